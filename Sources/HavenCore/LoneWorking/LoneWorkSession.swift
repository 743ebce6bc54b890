import Foundation

/// Where a lone-working session stands. `active`, `overdue`, `alarm` and `acknowledged` are open; `ended` and
/// `resolved` are closed. Escalation runs only while a session is `overdue` or `alarm`.
public enum SessionState: String, CaseIterable, Codable, Sendable {
    /// The visit is under way and not yet due.
    case active
    /// The worker missed the due time (expected end plus grace): the escalation steps are being sent.
    case overdue
    /// A panic or silent (duress) alarm: escalation from step 1 at once.
    case alarm
    /// A monitor or buddy has taken it on: escalation stopped, waiting for a resolution.
    case acknowledged
    /// The worker ended the visit ("I'm safe").
    case ended
    /// A monitor closed it with an outcome.
    case resolved

    public var isOpen: Bool { self != .ended && self != .resolved }
    /// States whose escalation is running.
    public var isEscalating: Bool { self == .overdue || self == .alarm }
}

/// How a monitor closes an alert (issue 4: safe, false alarm, help sent).
public enum SessionOutcome: String, CaseIterable, Codable, Sendable {
    case safe
    case falseAlarm = "false-alarm"
    case helpSent = "help-sent"

    public var displayName: String {
        switch self {
        case .safe: "Worker safe"
        case .falseAlarm: "False alarm"
        case .helpSent: "Help sent"
        }
    }
}

/// What kind of visit (free choice would make reports useless, so a short list).
public enum VisitKind: String, CaseIterable, Codable, Sendable {
    case homeVisit = "home-visit"
    case clinic
    case community
    case travel
    case other

    public var displayName: String {
        switch self {
        case .homeVisit: "Home visit"
        case .clinic: "Clinic or office alone"
        case .community: "Community setting"
        case .travel: "Travelling"
        case .other: "Other"
        }
    }
}

/// The entries of a session's log, oldest first; every one is also in the audit trail.
public enum SessionEventKind: String, CaseIterable, Codable, Sendable {
    case started
    case checkIn = "check-in"
    case overdue
    case escalation
    case alarm
    case acknowledged
    case ended
    case resolved
}

public struct SessionEvent: Codable, Sendable, Equatable {
    public var id: String
    public var sessionId: String
    public var kind: SessionEventKind
    /// The escalation step for `escalation` entries.
    public var step: Int?
    public var actorId: String?
    public var detail: String
    public var createdAt: Date

    public init(id: String, sessionId: String, kind: SessionEventKind, step: Int?, actorId: String?, detail: String, createdAt: Date) {
        self.id = id
        self.sessionId = sessionId
        self.kind = kind
        self.step = step
        self.actorId = actorId
        self.detail = detail
        self.createdAt = createdAt
    }
}

/// One lone-working visit: who, where, until when, who to tell, and how far the escalation has gone.
public struct LoneWorkSession: Codable, Sendable, Equatable {
    public var id: String
    public var organisationId: String
    public var workerId: String
    public var unitId: String
    public var location: String
    public var latitude: Double?
    public var longitude: Double?
    public var visitKind: VisitKind
    public var risks: String
    public var checklist: [String]
    public var vehicle: String
    public var buddyId: String?
    public var backupBuddyId: String?
    public var policyId: String?
    /// The policy as it was when the session started: a policy edited mid-visit does not change a running escalation.
    public var policy: EscalationPolicy
    public var startedAt: Date
    public var expectedEndAt: Date
    public var state: SessionState
    /// The last escalation step sent (0 before any).
    public var escalationStep: Int
    public var alarmAt: Date?
    /// Ended with the duress PIN: shown to the worker as a normal end, to monitors as an alarm.
    public var duress: Bool
    public var lastCheckInAt: Date?
    public var acknowledgedBy: String?
    public var acknowledgedAt: Date?
    public var endedAt: Date?
    public var resolvedBy: String?
    public var resolvedAt: Date?
    public var outcome: SessionOutcome?

    public init(id: String, organisationId: String, workerId: String, unitId: String, location: String, latitude: Double? = nil,
                longitude: Double? = nil, visitKind: VisitKind, risks: String = "", checklist: [String] = [], vehicle: String = "",
                buddyId: String? = nil, backupBuddyId: String? = nil, policyId: String?, policy: EscalationPolicy, startedAt: Date,
                expectedEndAt: Date, state: SessionState = .active, escalationStep: Int = 0, alarmAt: Date? = nil, duress: Bool = false,
                lastCheckInAt: Date? = nil, acknowledgedBy: String? = nil, acknowledgedAt: Date? = nil, endedAt: Date? = nil,
                resolvedBy: String? = nil, resolvedAt: Date? = nil, outcome: SessionOutcome? = nil) {
        self.id = id
        self.organisationId = organisationId
        self.workerId = workerId
        self.unitId = unitId
        self.location = location
        self.latitude = latitude
        self.longitude = longitude
        self.visitKind = visitKind
        self.risks = risks
        self.checklist = checklist
        self.vehicle = vehicle
        self.buddyId = buddyId
        self.backupBuddyId = backupBuddyId
        self.policyId = policyId
        self.policy = policy
        self.startedAt = startedAt
        self.expectedEndAt = expectedEndAt
        self.state = state
        self.escalationStep = escalationStep
        self.alarmAt = alarmAt
        self.duress = duress
        self.lastCheckInAt = lastCheckInAt
        self.acknowledgedBy = acknowledgedBy
        self.acknowledgedAt = acknowledgedAt
        self.endedAt = endedAt
        self.resolvedBy = resolvedBy
        self.resolvedAt = resolvedAt
        self.outcome = outcome
    }

    /// When the first escalation step goes out if nobody checks in: the expected end plus the grace period.
    public var dueAt: Date { expectedEndAt + TimeInterval(policy.graceSeconds) }

    /// The session as the worker (and anyone looking over their shoulder) sees it: a duress end is shown as the
    /// normal end it pretended to be, so an aggressor watching the phone learns nothing.
    public var asSeenByWorker: LoneWorkSession {
        guard duress else { return self }
        var seen = self
        seen.state = .ended
        seen.duress = false
        seen.escalationStep = 0
        seen.alarmAt = nil
        seen.acknowledgedBy = nil
        seen.acknowledgedAt = nil
        seen.resolvedBy = nil
        seen.resolvedAt = nil
        seen.outcome = nil
        return seen
    }

    /// What the monitor board shows for the session at `now`.
    public func boardStatus(at now: Date, dueSoon: TimeInterval = 10 * 60) -> BoardStatus {
        switch state {
        case .alarm: return .alarm(step: escalationStep, silent: duress)
        case .overdue: return escalationStep > 0 ? .escalating(step: escalationStep, last: escalationStep >= policy.steps.count) : .overdue
        case .acknowledged: return .acknowledged
        case .ended, .resolved: return .closed
        case .active:
            if now >= expectedEndAt { return .overdue }
            return expectedEndAt.timeIntervalSince(now) <= dueSoon ? .dueSoon : .ok
        }
    }
}

/// A session's state in the words of the board (issue 4: ok, due soon, overdue, escalating step N, alarm).
public enum BoardStatus: Sendable, Equatable {
    case ok
    case dueSoon
    case overdue
    case escalating(step: Int, last: Bool)
    case alarm(step: Int, silent: Bool)
    case acknowledged
    case closed

    /// Words, never colour alone: the board also styles by `key`.
    public var label: String {
        switch self {
        case .ok: "OK"
        case .dueSoon: "Due soon"
        case .overdue: "Overdue"
        case .escalating(let step, let last): last ? "Escalating step \(step) (last): call the police" : "Escalating step \(step)"
        case .alarm(_, let silent): silent ? "ALARM (silent duress)" : "ALARM (panic)"
        case .acknowledged: "Acknowledged"
        case .closed: "Closed"
        }
    }

    public var key: String {
        switch self {
        case .ok: "ok"
        case .dueSoon: "due-soon"
        case .overdue: "overdue"
        case .escalating: "escalating"
        case .alarm: "alarm"
        case .acknowledged: "acknowledged"
        case .closed: "closed"
        }
    }

    /// Sorts the board: alarms first, then escalations, then the rest.
    public var urgency: Int {
        switch self {
        case .alarm: 0
        case .escalating: 1
        case .overdue: 2
        case .acknowledged: 3
        case .dueSoon: 4
        case .ok: 5
        case .closed: 6
        }
    }
}
