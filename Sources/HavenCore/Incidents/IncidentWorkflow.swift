import Foundation

extension IncidentStatus {
    public var displayName: String {
        switch self {
        case .reported: "Reported"
        case .underReview: "Under review"
        case .investigating: "Investigating"
        case .actions: "Actions agreed"
        case .closed: "Closed"
        }
    }

    /// The statuses a case may move to from this one. A case is reviewed before anything else; investigation is
    /// optional (most incidents need actions, not an investigation); a closed case may be reopened for review.
    public var next: [IncidentStatus] {
        switch self {
        case .reported: [.underReview]
        case .underReview: [.investigating, .actions, .closed]
        case .investigating: [.actions, .closed]
        case .actions: [.investigating, .closed]
        case .closed: [.underReview]
        }
    }

    public func canMove(to status: IncidentStatus) -> Bool { next.contains(status) }

    /// What the reporter is told when the case reaches this status (REFERENCE §15 A 5: feedback to reporters).
    public func feedback(outcome: String) -> String {
        switch self {
        case .reported: "Your report was received."
        case .underReview: "Your report is being reviewed."
        case .investigating: "Your report is being investigated."
        case .actions: "Actions have been agreed to stop it happening again." + (outcome.isEmpty ? "" : " " + outcome)
        case .closed: "Your report has been closed. What we did: " + outcome
        }
    }
}

/// Kinds of entry on a case's timeline, which the reporter sees as well as the handler.
public enum TimelineKind: String, Codable, Sendable {
    case message
    case status
}

/// One entry on a case's timeline: a message between reporter and handler, or a status change with its feedback.
public struct TimelineEntry: Sendable, Equatable {
    public var id: String
    public var incidentId: String
    public var kind: TimelineKind
    /// nil for the anonymous reporter and for entries the system wrote.
    public var authorId: String?
    public var fromReporter: Bool
    public var body: String
    public var createdAt: Date

    public init(id: String, incidentId: String, kind: TimelineKind, authorId: String?, fromReporter: Bool, body: String, createdAt: Date) {
        self.id = id
        self.incidentId = incidentId
        self.kind = kind
        self.authorId = authorId
        self.fromReporter = fromReporter
        self.body = body
        self.createdAt = createdAt
    }

    public static let maximumBody = 5_000
}

/// An action agreed to stop an incident happening again (REFERENCE §15 A 10): an owner and a due date.
public struct IncidentAction: Sendable, Equatable {
    public var id: String
    public var incidentId: String
    public var description: String
    public var ownerId: String?
    /// YYYY-MM-DD
    public var dueOn: String?
    public var doneAt: Date?
    public var createdAt: Date

    public init(id: String, incidentId: String, description: String, ownerId: String?, dueOn: String?, doneAt: Date?, createdAt: Date) {
        self.id = id
        self.incidentId = incidentId
        self.description = description
        self.ownerId = ownerId
        self.dueOn = dueOn
        self.doneAt = doneAt
        self.createdAt = createdAt
    }
}

/// Support offered to staff after an incident (REFERENCE §15 A 9), each tracked with its due time.
public enum SupportKind: String, CaseIterable, Codable, Sendable {
    case welfareCheck = "welfare-check"
    case debrief
    case occupationalHealth = "occupational-health"
    case counselling
    case returnToWork = "return-to-work"

    public var displayName: String {
        switch self {
        case .welfareCheck: "Welfare check"
        case .debrief: "Debrief"
        case .occupationalHealth: "Occupational health referral"
        case .counselling: "Counselling referral"
        case .returnToWork: "Return-to-work support"
        }
    }
}

public enum SupportOutcome: String, CaseIterable, Codable, Sendable {
    case done
    case declined
    case notNeeded = "not-needed"

    public var displayName: String {
        switch self {
        case .done: "Done"
        case .declined: "Offered and declined"
        case .notNeeded: "Not needed"
        }
    }
}

public struct SupportItem: Sendable, Equatable {
    public var id: String
    public var incidentId: String
    public var kind: SupportKind
    public var dueAt: Date
    public var outcome: SupportOutcome?
    public var note: String
    public var doneAt: Date?

    public init(id: String, incidentId: String, kind: SupportKind, dueAt: Date, outcome: SupportOutcome?, note: String, doneAt: Date?) {
        self.id = id
        self.incidentId = incidentId
        self.kind = kind
        self.dueAt = dueAt
        self.outcome = outcome
        self.note = note
        self.doneAt = doneAt
    }
}

/// Working days (Monday to Friday) in the organisation's time zone, for review targets such as "5 working days".
/// Bank holidays are not known to Haven, so a target that spans one falls due a day early — the safe side.
public enum WorkingDays {
    /// `days` working days (Monday to Friday) after `date`, at the same local time. The weekdays are counted in
    /// integers from the start's weekday and the calendar is asked once: this runs on every incident report, and a
    /// calendar step per day was about 2% of a submission's CPU (docs/PERFORMANCE.md).
    public static func add(_ days: Int, to date: Date, timeZone: TimeZone) -> Date {
        guard days > 0 else { return date }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = calendar.component(.weekday, from: date)  // 1 is Sunday, 7 Saturday
        var calendarDays = 0, remaining = days
        while remaining > 0 {
            calendarDays += 1
            let weekday = (start - 1 + calendarDays) % 7 + 1
            if weekday != 1 && weekday != 7 { remaining -= 1 }
        }
        return calendar.date(byAdding: .day, value: calendarDays, to: date)!
    }
}

/// A change a case cannot take in its current state (answered with 409): a status that cannot follow the
/// current one, or a case someone else moved meanwhile.
public struct CaseConflict: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }

    public static let anonymised = CaseConflict("This report was anonymised under the retention policy and can no longer change.")
}
