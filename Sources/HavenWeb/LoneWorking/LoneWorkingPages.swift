import Foundation
import HavenCore

/// The session page: for the worker, what they can do; for monitors and buddies, everything a responder needs.
struct SessionPage: Sendable {
    struct Event: Sendable {
        var when: String
        var what: String
        var who: String
    }

    /// Forms carry the request's CSRF token: the layout's is not in the page's own context.
    var csrfToken: String
    var errors: ErrorSummary
    var flash: String?
    var isWorker: Bool
    var statusLabel: String
    var statusKey: String
    var isAlarm: Bool
    var isOpen: Bool
    var dueBy: String
    var minutesLeft: String
    /// The expected end for the page's script, which keeps the countdown going without signal.
    var expectedEndISO: String
    var sessionId: String
    var location: String
    var position: String?
    var visitKind: String
    var vehicle: String?
    var risks: String?
    var checklist: [String]
    var hasChecklist: Bool
    var worker: String
    var buddy: String?
    var backupBuddy: String?
    var policy: String
    var step: String?
    var lastStep: Bool
    var acknowledged: String?
    var outcome: String?
    var events: [Event]
    var hasEvents: Bool
    var canCheckIn: Bool
    var canAlarm: Bool
    var canAcknowledge: Bool
    var canResolve: Bool
    var hasPins: Bool
    var pinError: String?
    var outcomeError: String?
    var outcomes: [Choice]
    var checkInAction: String
    var endAction: String
    var alarmAction: String
    var acknowledgeAction: String
    var resolveAction: String

    init(session: LoneWorkSession, board: BoardStatus, organisation: Organisation, now: Date, isWorker: Bool, canAcknowledge: Bool,
         canResolve: Bool, worker: String, buddy: String, backupBuddy: String, acknowledgedBy: String, events: [Event], done: String?,
         errors: FieldErrors, hasPins: Bool, csrfToken: String) {
        self.csrfToken = csrfToken
        self.errors = ErrorSummary(errors)
        flash = switch done {
        case "check-in": "Checked in. Your new due time is below."
        case "end": "Visit ended. Thank you: you are marked safe."
        case "alarm": "Alarm raised. Your escalation contacts are being told now."
        case "acknowledge": "Acknowledged: the escalation has stopped. Resolve it once you know the outcome."
        case "resolve": "Resolved."
        default: nil
        }
        self.isWorker = isWorker
        statusLabel = board.label
        statusKey = board.key
        isAlarm = session.state == .alarm
        isOpen = session.state.isOpen
        dueBy = LoneWorkingController.time(session.expectedEndAt, organisation)
        expectedEndISO = session.expectedEndAt.iso8601
        sessionId = session.id
        let left = Int(session.expectedEndAt.timeIntervalSince(now) / 60)
        minutesLeft = left >= 0 ? "\(left) minute\(left == 1 ? "" : "s") left" : "\(-left) minute\(left == -1 ? "" : "s") past the expected end"
        location = session.location
        position = session.latitude.flatMap { lat in session.longitude.map { "\(lat), \($0)" } }
        visitKind = session.visitKind.displayName
        vehicle = session.vehicle.nilIfEmpty
        risks = session.risks.nilIfEmpty
        checklist = session.checklist
        hasChecklist = !session.checklist.isEmpty
        self.worker = worker
        self.buddy = buddy.nilIfEmpty
        self.backupBuddy = backupBuddy.nilIfEmpty
        policy = "\(session.policy.name): \(session.policy.graceSeconds / 60) minutes' grace, \(session.policy.steps.count) steps"
        step = session.escalationStep > 0 ? "Step \(session.escalationStep) of \(session.policy.steps.count) sent" : nil
        lastStep = session.state.isEscalating && session.escalationStep >= session.policy.steps.count && session.escalationStep > 0
        acknowledged = session.acknowledgedAt.map { "\(acknowledgedBy.isEmpty ? "Someone" : acknowledgedBy) at \(LoneWorkingController.time($0, organisation))" }
        outcome = session.outcome?.displayName
        self.events = events
        hasEvents = !events.isEmpty
        canCheckIn = isWorker && (session.state == .active || session.state == .overdue)
        canAlarm = isWorker && session.state.isOpen && session.state != .alarm
        self.canAcknowledge = canAcknowledge
        self.canResolve = canResolve
        self.hasPins = hasPins
        pinError = errors["pin"]
        outcomeError = errors["outcome"]
        outcomes = SessionOutcome.allCases.map { Choice(value: $0.rawValue, label: $0.displayName, selected: false) }
        checkInAction = LoneWorkingRoute.checkIn(session.id).path
        endAction = LoneWorkingRoute.end(session.id).path
        alarmAction = LoneWorkingRoute.alarm(session.id).path
        acknowledgeAction = LoneWorkingRoute.acknowledge(session.id).path
        resolveAction = LoneWorkingRoute.resolve(session.id).path
    }
}

struct PinsPage: Sendable {
    var csrfToken: String
    var errors: ErrorSummary
    var hasPins: Bool
    var saved: Bool
    var pin: FormField
    var duressPin: FormField
}

/// The monitor board: open sessions in the viewer's remit, most urgent first, each state in words. The same value
/// renders the page and is sent, as JSON, down the board's event stream.
struct BoardPage: Sendable, Encodable {
    struct Row: Sendable, Encodable {
        var id: String
        var href: String
        var worker: String
        var unit: String
        var location: String
        var due: String
        var status: String
        var statusKey: String
        var vehicle: String
        /// Set when a webhook delivery of this session's alerts has failed.
        var delivery: String?
    }
    var rows: [Row]
    var hasRows: Bool
    var alarms: Int
    var alarmText: String?
    var updated: String
    var eventsURL: String
}
