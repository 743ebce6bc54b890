import Foundation
import HavenCore
import HavenData

/// Incident reports and their cases, as the pages and the API use them: the rules of the workflow, the feedback
/// the reporter hears, the messages between reporter and handler, and reminders of overdue reviews.
public struct IncidentCases: Sendable {
    let store: IncidentStore
    let users: UserStore
    let organisations: OrganisationStore
    let notifier: Notifier
    let clock: any HavenClock
    var timers: TimerStore { TimerStore(database: store.database, clock: clock) }

    public init(store: IncidentStore, users: UserStore, organisations: OrganisationStore, notifier: Notifier, clock: any HavenClock) {
        self.store = store
        self.users = users
        self.organisations = organisations
        self.notifier = notifier
        self.clock = clock
    }

    public static let reminderKind = "incident-review-reminders"
    /// How often overdue reviews are looked for.
    public static let reminderInterval: TimeInterval = 15 * 60

    // MARK: Reporting

    /// Saves a new report with its review target and its welfare check. For an anonymous report pass the receipt
    /// code; only its hash is stored.
    public func report(_ report: IncidentReport, organisation: Organisation, idempotencyKey: String?, receiptCode: String? = nil,
                       origin: Origin) async throws -> (report: IncidentReport, created: Bool) {
        let timeZone = TimeZone(identifier: organisation.timeZone) ?? .gmt
        var report = report
        report.reviewDueAt = WorkingDays.add(organisation.reviewTargetDays, to: report.reportedAt, timeZone: timeZone)
        report.anonymous = receiptCode != nil
        report.confidential = HarassmentCase.isConfidential(report.perpetrator)
        let welfare = SupportItem(id: Identifier.make(), incidentId: report.id, kind: .welfareCheck,
                                  dueAt: report.reportedAt + TimeInterval(organisation.welfareCheckHours * 3600), outcome: nil, note: "", doneAt: nil)
        // Cal/OSHA's 24- and 72-hour reports are short: the handlers are reminded a quarter of the time before the end.
        var reminders: [(kind: String, dueAt: Date)] = []
        if let deadline = RegulatorDeadline.of(report, rulePack: organisation.rulePack, timeZone: timeZone, now: report.reportedAt),
           deadline.kind == .calOSHA24 || deadline.kind == .calOSHA72 {
            reminders.append((Self.regulatorReminderKind, deadline.dueAt - deadline.dueAt.timeIntervalSince(report.reportedAt) / 4))
        }
        let result = try await store.create(report, timeZone: timeZone, idempotencyKey: idempotencyKey,
                                            receiptHash: receiptCode.map(SecretHash.of), support: [welfare], reminders: reminders, origin: origin)
        if result.created && !reminders.isEmpty { notifier.scheduled() }
        return result
    }

    public static let regulatorReminderKind = "incident-regulator-reminder"
    public static let sanctionReviewKind = "incident-sanction-review"

    /// Everyone active who may handle the report: the unit's managers and safety leads, or HR for a confidential case.
    func handlers(of report: IncidentReport) async throws -> [User] {
        try await users.list(organisationId: report.organisationId, scope: .all).filter { $0.active && IncidentAccess.canHandle(report, $0.actor) }
    }

    /// Each new sanction with a review date gets a timer for 09:00 that day in the organisation's time zone.
    func scheduleSanctionReviews(added: [IncidentDetail.Sanction], report: IncidentReport) async throws {
        guard !added.isEmpty, let organisation = try await organisations.organisation(id: report.organisationId) else { return }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: organisation.timeZone) ?? .gmt
        var scheduled = false
        for sanction in added {
            guard let day = CalendarDay(sanction.reviewOn),
                  let due = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 9)) else { continue }
            _ = try await timers.schedule(organisationId: report.organisationId, kind: Self.sanctionReviewKind, subjectId: report.id, dueAt: due)
            scheduled = true
        }
        if scheduled { notifier.scheduled() }
    }

    /// A sanction's review day: those who handle the incident are told which sanction to review.
    public func remindSanctionReview(incidentId: String, organisationId: String) async throws {
        guard let report = try await store.find(id: incidentId, organisationId: organisationId), !report.anonymised,
              let organisation = try await organisations.organisation(id: organisationId) else { return }
        let today = CalendarColumns(clock.now(), timeZone: TimeZone(identifier: organisation.timeZone) ?? .gmt).localDate
        let due = report.detail.sanctions.filter { !$0.reviewOn.isEmpty && $0.reviewOn <= today }
        guard !due.isEmpty else { return }
        for user in try await handlers(of: report) {
            try await notifier.notify(user: user, .init(
                title: "A sanction is due for review",
                body: due.map { "\($0.kind.displayName) (review on \($0.reviewOn))" }.joined(separator: "; ") + ", after \(report.type.displayName.lowercased()) on \(report.occurredAt.iso8601.prefix(10)).",
                link: "/incidents/\(report.id)", event: .incidentReviewOverdue))
        }
    }

    /// The reminder before a Cal/OSHA deadline: everyone who handles the incident is told, unless it was reported.
    public func remindRegulatorDeadline(incidentId: String, organisationId: String) async throws {
        guard let report = try await store.find(id: incidentId, organisationId: organisationId),
              let organisation = try await organisations.organisation(id: organisationId),
              let deadline = RegulatorDeadline.of(report, rulePack: organisation.rulePack, timeZone: TimeZone(identifier: organisation.timeZone) ?? .gmt,
                                                  now: clock.now()) else { return }
        for user in try await handlers(of: report) {
            try await notifier.notify(user: user, .init(title: "\(deadline.title) is due soon",
                                                        body: "\(report.type.displayName) reported \(report.reportedAt.iso8601): report it through Cal/OSHA's system by \(deadline.dueAt.iso8601), then record the reference.",
                                                        link: "/incidents/\(report.id)", event: .incidentReviewOverdue))
        }
    }

    // MARK: Handling

    /// Applies a handler's change. Refuses (409) a status that cannot follow the current one, and (400) closing
    /// without saying what was done or a handler who may not handle the unit's cases.
    public func change(_ current: IncidentReport, _ change: IncidentStore.CaseChange, by actor: Actor, origin: Origin) async throws -> IncidentReport {
        guard !current.anonymised else { throw CaseConflict.anonymised }
        var change = change
        var errors = FieldErrors()
        if let status = change.status, status != current.status, !current.status.canMove(to: status) {
            throw CaseConflict("A case that is \(current.status.displayName.lowercased()) cannot move to \(status.displayName.lowercased()); "
                               + "it can move to: \(current.status.next.map { $0.displayName.lowercased() }.joined(separator: ", ")).")
        }
        if let outcome = change.outcome {
            change.outcome = Validate.text(outcome, field: "outcome", label: "What we did", required: false, max: TimelineEntry.maximumBody, into: &errors)
        }
        if let lessons = change.lessons {
            change.lessons = Validate.text(lessons, field: "lessons", label: "Lessons learned", required: false, max: TimelineEntry.maximumBody, into: &errors)
        }
        if change.status == .closed && (change.outcome ?? current.outcome).isEmpty {
            errors.add("outcome", "Say what was done before closing: the reporter is told")
        }
        if let handlerId = change.handlerId {
            let handler = try await users.find(id: handlerId, organisationId: current.organisationId)?.user
            if handler == nil || !handler!.active || !IncidentAccess.canHandle(current, handler!.actor) {
                errors.add("handlerId", current.confidential ? "Choose an HR case handler" : "Choose someone who handles incidents for this unit")
            }
        }
        if let detail = change.detail { errors.merge(detail.problems()) }
        try errors.throwIfAny()
        // Whoever first picks up a report becomes its handler, unless someone is named.
        if change.status == .underReview && current.handlerId == nil && change.handlerId == nil { change.handlerId = actor.userId }

        let updated: IncidentReport
        do {
            updated = try await store.change(current, change, actorId: actor.userId, origin: origin)
        } catch IncidentStore.CaseError.statusChanged(let now) {
            throw CaseConflict("Someone else changed this case meanwhile; it is now \(now.displayName.lowercased()).")
        }
        try await scheduleSanctionReviews(added: updated.detail.sanctions.filter { !current.detail.sanctions.contains($0) }, report: updated)
        if updated.status != current.status {
            try await tellReporter(updated)
            try await scheduleRetaliationCheck(updated, origin: origin)
        }
        if let handlerId = change.handlerId, handlerId != current.handlerId, handlerId != actor.userId,
           let handler = try await users.find(id: handlerId, organisationId: current.organisationId)?.user {
            try await notifier.notify(user: handler, .init(title: "An incident case is yours to handle",
                                                           body: "\(current.type.displayName) on \(current.occurredAt.iso8601): you are now its handler.",
                                                           link: "/incidents/\(current.id)", event: .incidentAssigned))
        }
        return updated
    }

    /// The reporter hears of every status change, with what was done (REFERENCE §15 A 5). An anonymous reporter
    /// reads it on the timeline with their receipt code.
    func tellReporter(_ report: IncidentReport) async throws {
        guard let reporterId = report.reporterId, let reporter = try await users.find(id: reporterId, organisationId: report.organisationId)?.user,
              reporter.active else { return }
        try await notifier.notify(user: reporter, .init(title: "Your incident report: \(report.status.displayName.lowercased())",
                                                        body: report.status.feedback(outcome: report.outcome),
                                                        link: "/incidents/\(report.id)", event: .incidentFeedback))
    }

    // MARK: Messages

    /// A message on the case. From the reporter it goes to the handler; from the handler it goes to the reporter.
    public func message(_ report: IncidentReport, body: String, authorId: String?, fromReporter: Bool, origin: Origin) async throws -> TimelineEntry {
        guard !report.anonymised else { throw CaseConflict.anonymised }
        var errors = FieldErrors()
        let text = Validate.text(body, field: "body", label: "Message", required: true, max: TimelineEntry.maximumBody, into: &errors)
        try errors.throwIfAny()
        let entry = TimelineEntry(id: Identifier.make(), incidentId: report.id, kind: .message, authorId: fromReporter && report.anonymous ? nil : authorId,
                                  fromReporter: fromReporter, body: text, createdAt: clock.now())
        try await store.addMessage(entry, organisationId: report.organisationId, origin: origin)
        let recipientId = fromReporter ? report.handlerId : report.reporterId
        if let recipientId, recipientId != authorId,
           let recipient = try await users.find(id: recipientId, organisationId: report.organisationId)?.user, recipient.active {
            try await notifier.notify(user: recipient, .init(
                title: fromReporter ? "A message from the reporter of an incident" : "A message about your incident report",
                body: "Open the report to read it.", link: "/incidents/\(report.id)", event: .incidentMessage))
        }
        return entry
    }

    // MARK: Reminders

    /// Reminds the handler, or everyone who may handle the unit's cases when there is none, of each report whose
    /// review is overdue. Each report is reminded once; "needs your attention" keeps showing it until reviewed.
    public func remindOverdueReviews() async throws -> Int {
        let due = try await store.claimReviewReminders(now: clock.now())
        var handlersByOrganisation: [String: [User]] = [:]
        for report in due {
            if handlersByOrganisation[report.organisationId] == nil {
                handlersByOrganisation[report.organisationId] = try await users.list(organisationId: report.organisationId, scope: .all)
                    .filter { $0.active }
            }
            let candidates = (handlersByOrganisation[report.organisationId] ?? []).filter { IncidentAccess.canHandle(report, $0.actor) }
            let recipients = report.handlerId.map { id in candidates.filter { $0.id == id } }
                ?? candidates.filter { report.confidential || Access.scope(of: $0.actor, for: .handleIncidents) != .all }
            // With no manager for the unit, the organisation-wide handlers (safety leads) are told instead.
            let chosen = recipients.isEmpty ? candidates : recipients
            for user in chosen {
                try await notifier.notify(user: user, .init(title: "An incident report is waiting for review",
                                                            body: "\(report.type.displayName) reported \(report.reportedAt.iso8601) has not been reviewed within the target.",
                                                            link: "/incidents/\(report.id)", event: .incidentReviewOverdue))
            }
        }
        return due.count
    }
}

extension IncidentCases {
    /// Regulator reports owed by incidents the person handles, soonest first: RIDDOR (and the day-8 absence
    /// prompt) under the England pack, Cal/OSHA's 24/72-hour reports under the California pack.
    public func regulatorDeadlines(for actor: Actor, organisation: Organisation) async throws -> [(report: IncidentReport, deadline: RegulatorDeadline)] {
        let now = clock.now()
        let timeZone = TimeZone(identifier: organisation.timeZone) ?? .gmt
        // RIDDOR's latest deadline is 15 days after the incident; a month covers it with room for late detail.
        var candidates: [IncidentReport] = []
        let scope = Access.scope(of: actor, for: .handleIncidents)
        for confidential in [false, true] where confidential ? Access.allows(actor, .handleHarassmentCases) : !scope.isNone {
            candidates += try await store.regulatorCandidates(organisationId: organisation.id, scope: scope, confidential: confidential,
                                                              since: now - 45 * 86400)
        }
        return candidates.compactMap { report in
            guard IncidentAccess.canHandle(report, actor),
                  let deadline = RegulatorDeadline.of(report, rulePack: organisation.rulePack, timeZone: timeZone, now: now) else { return nil }
            return (report, deadline)
        }.sorted { $0.deadline.dueAt < $1.deadline.dueAt }
    }
}
