import AsyncHTTPClient
import Foundation
import HavenCore
import HavenData
import Logging

/// Everything the web layer and the CLI need, built once from the database and the settings, passed by value.
public struct HavenEnvironment: Sendable {
    public struct Settings: Sendable {
        public var bcryptCost: UInt8
        public var sendmailCommand: String?
        public var allowPrivateWebhooks: Bool
        public var loginLimits: LoginThrottle.Limits

        public init(bcryptCost: UInt8 = 12, sendmailCommand: String? = nil, allowPrivateWebhooks: Bool = false,
                    loginLimits: LoginThrottle.Limits = .init()) {
            self.bcryptCost = bcryptCost
            self.sendmailCommand = sendmailCommand
            self.allowPrivateWebhooks = allowPrivateWebhooks
            self.loginLimits = loginLimits
        }
    }

    public let database: Database
    public let clock: any HavenClock
    public let settings: Settings
    public let organisations: OrganisationStore
    public let users: UserStore
    public let sessions: SessionStore
    public let tokens: TokenStore
    public let passwordResets: PasswordResetStore
    public let notifications: NotificationStore
    public let deliveries: DeliveryStore
    public let timers: TimerStore
    public let incidents: IncidentStore
    public let incidentCases: IncidentCases
    /// The lone-worker engine: sessions, check-ins, alarms and staged escalation (issue 4).
    public let loneWorking: LoneWorking
    /// Use-of-force records (issue 5): recording, corrections, senior review and alert delivery.
    public let useOfForce: UseOfForceRecords
    /// Slows down guessing of anonymous receipt codes: per address, and a cap across all addresses.
    public let receiptThrottle: LoginThrottle
    public let retention: RetentionStore
    public let retentionPurge: RetentionPurge
    public let accounts: AccountService
    public let notifier: Notifier
    public let timerService: TimerService
    public let webhookPolicy: WebhookAddressPolicy
    public let logger: Logger

    public init(database: Database, clock: any HavenClock, settings: Settings, httpClient: HTTPClient, logger: Logger) {
        self.database = database
        self.clock = clock
        self.settings = settings
        self.logger = logger
        organisations = OrganisationStore(database: database, clock: clock)
        users = UserStore(database: database, clock: clock)
        sessions = SessionStore(database: database, clock: clock)
        tokens = TokenStore(database: database, clock: clock)
        passwordResets = PasswordResetStore(database: database, clock: clock)
        notifications = NotificationStore(database: database, clock: clock)
        deliveries = DeliveryStore(database: database, clock: clock)
        timers = TimerStore(database: database, clock: clock)
        incidents = IncidentStore(database: database, clock: clock)
        retention = RetentionStore(database: database, clock: clock)
        retentionPurge = RetentionPurge(retention: retention, organisations: organisations, clock: clock)
        accounts = AccountService(users: users, organisations: organisations,
                                  throttle: LoginThrottle(limits: settings.loginLimits, clock: clock), clock: clock,
                                  bcryptCost: settings.bcryptCost)
        receiptThrottle = LoginThrottle(limits: .init(perAccount: 1_000, perAddress: 10, window: 15 * 60), clock: clock)
        webhookPolicy = WebhookAddressPolicy(allowPrivate: settings.allowPrivateWebhooks)
        let worker = DeliveryWorker(deliveries: deliveries, httpClient: httpClient, sendmailCommand: settings.sendmailCommand,
                                    addressPolicy: webhookPolicy, clock: clock, logger: logger)
        let sessions = self.sessions, timers = self.timers
        // The notifier wakes the timer service, which is built below; the box lets the two refer to each other.
        let wakeBox = WakeBox()
        let notifier = Notifier(database: database, clock: clock, emailEnabled: settings.sendmailCommand != nil,
                                onScheduled: { wakeBox.wake() }, onTimerScheduled: { wakeBox.wake(forTimerDueAt: $0) }, makeHandoff: { wakeBox.service?.handoff() },
                                onHandedOver: { wakeBox.service?.run(handedOver: $0) })
        self.notifier = notifier
        let incidentCases = IncidentCases(store: incidents, users: users, organisations: organisations, notifier: notifier, clock: clock)
        self.incidentCases = incidentCases
        let useOfForce = UseOfForceRecords(store: UseOfForceStore(database: database, clock: clock),
                                           debriefs: UseOfForceDebriefStore(database: database, clock: clock),
                                           plans: BehaviourSupportPlanStore(database: database, clock: clock),
                                           observations: RapidTranquillisationStore(database: database, clock: clock), users: users,
                                           organisations: organisations, incidents: incidents, notifier: notifier, clock: clock)
        self.useOfForce = useOfForce
        let loneWorkingStore = LoneWorkingStore(database: database, clock: clock)
        let loneWorking = LoneWorking(database: database, store: loneWorkingStore, users: users,
                                      organisations: organisations, notifier: notifier, clock: clock, bcryptCost: settings.bcryptCost)
        self.loneWorking = loneWorking
        timerService = TimerService(timers: timers, clock: clock, logger: logger, handlers: [
            DeliveryStore.timerKind: { timer in try await worker.handle(timer) },
            Self.sessionPurgeKind: { timer in
                _ = try await sessions.purgeExpired()
                try await loneWorkingStore.purgeRejectedCalls()
                _ = try await timers.schedule(organisationId: timer.organisationId, kind: Self.sessionPurgeKind, subjectId: "sessions",
                                              dueAt: clock.now() + Self.housekeepingInterval)
            },
            IncidentCases.reminderKind: { timer in
                _ = try await incidentCases.remindOverdueReviews()
                _ = try await timers.schedule(organisationId: timer.organisationId, kind: IncidentCases.reminderKind, subjectId: "incidents",
                                              dueAt: clock.now() + IncidentCases.reminderInterval)
            },
            IncidentCases.sanctionReviewKind: { timer in
                try await incidentCases.remindSanctionReview(incidentId: timer.subjectId, organisationId: timer.organisationId)
            },
            IncidentCases.regulatorReminderKind: { timer in
                try await incidentCases.remindRegulatorDeadline(incidentId: timer.subjectId, organisationId: timer.organisationId)
            },
            UseOfForceRecords.reminderKind: { timer in
                _ = try await useOfForce.remindOverdueFollowUps(organisationId: timer.organisationId)
                _ = try await useOfForce.remindOverdueInvestigations(organisationId: timer.organisationId)
                _ = try await timers.schedule(organisationId: timer.organisationId, kind: UseOfForceRecords.reminderKind, subjectId: "use-of-force",
                                              dueAt: clock.now() + UseOfForceRecords.reminderInterval)
            },
            RetentionPurgeJob.kind: RetentionPurgeJob.handler(retentionPurge, timers: timers, clock: clock),
            LoneWorking.timerKind: { timer in try await loneWorking.handle(timer) },
        ])
        wakeBox.service = timerService
    }

    static let sessionPurgeKind = "session-purge"
    static let housekeepingInterval: TimeInterval = 60 * 60

    /// Makes sure the recurring housekeeping timers exist (expired sessions and old refused alarm-event calls are removed hourly, overdue reviews
    /// reminded, overdue use-of-force debriefs and observations reminded, records past retention anonymised daily).
    public func scheduleHousekeeping() async throws {
        guard let organisation = try await organisations.primaryOrganisation() else { return }
        if !(try await timers.hasOpen(kind: Self.sessionPurgeKind)) {
            _ = try await timers.schedule(organisationId: organisation.id, kind: Self.sessionPurgeKind, subjectId: "sessions",
                                          dueAt: clock.now() + Self.housekeepingInterval)
        }
        if !(try await timers.hasOpen(kind: IncidentCases.reminderKind)) {
            _ = try await timers.schedule(organisationId: organisation.id, kind: IncidentCases.reminderKind, subjectId: "incidents",
                                          dueAt: clock.now() + IncidentCases.reminderInterval)
        }
        if !(try await timers.hasOpen(kind: UseOfForceRecords.reminderKind)) {
            _ = try await timers.schedule(organisationId: organisation.id, kind: UseOfForceRecords.reminderKind, subjectId: "use-of-force",
                                          dueAt: clock.now() + UseOfForceRecords.reminderInterval)
        }
        try await RetentionPurgeJob.schedule(organisationId: organisation.id, timers: timers, clock: clock)
    }

    /// The "needs your attention" list for a user. Feature issues add their items here.
    public func attention(for user: User, organisation: Organisation) async throws -> [AttentionItem] {
        var items: [AttentionItem] = []
        if organisation.requiresTwoFactorForPrivileged && user.isPrivileged && !user.twoFactorEnabled {
            items.append(AttentionItem(title: "Set up two-step sign-in",
                                       detail: "Your organisation asks people in your role to use an authenticator app when signing in.",
                                       link: "/account/two-factor", priority: 1))
        }
        if user.roles.contains(.admin) {
            let failed = try await deliveries.failedCount(organisationId: organisation.id)
            if failed > 0 {
                items.append(AttentionItem(title: "\(failed) webhook \(failed == 1 ? "delivery has" : "deliveries have") failed",
                                           detail: "They were retried for 24 hours and then given up. Check the endpoint and its delivery log.",
                                           link: "/admin/webhooks", priority: 2))
            }
        }
        items += try await incidentAttention(for: user, organisation: organisation)
        items += try await loneWorkingAttention(for: user, organisation: organisation)
        items += try await useOfForceAttention(for: user, organisation: organisation)
        return items.sorted { $0.priority < $1.priority }
    }
}

/// Lets the notifier wake the timer service that is created after it.
final class WakeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _service: TimerService?
    var service: TimerService? {
        get { lock.withLock { _service } }
        set { lock.withLock { _service = newValue } }
    }
    func wake() { service?.wake() }
    func wake(forTimerDueAt dueAt: Date) { service?.wake(forTimerDueAt: dueAt) }
}
