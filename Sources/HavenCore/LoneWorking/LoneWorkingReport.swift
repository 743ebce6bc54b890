import Foundation

/// What a report needs to know of one session.
public struct SessionFacts: Sendable, Equatable {
    public var id: String
    public var workerId: String
    public var unitId: String
    public var startedAt: Date
    public var state: SessionState
    public var outcome: SessionOutcome?
    public var alarmAt: Date?
    /// When it first went overdue (its `overdue` log entry), if it did.
    public var overdueAt: Date?
    public var acknowledgedAt: Date?

    public init(id: String, workerId: String, unitId: String, startedAt: Date, state: SessionState, outcome: SessionOutcome?, alarmAt: Date?,
                overdueAt: Date?, acknowledgedAt: Date?) {
        self.id = id
        self.workerId = workerId
        self.unitId = unitId
        self.startedAt = startedAt
        self.state = state
        self.outcome = outcome
        self.alarmAt = alarmAt
        self.overdueAt = overdueAt
        self.acknowledgedAt = acknowledgedAt
    }

    /// When the session first needed someone: it went overdue or an alarm was raised, whichever came first.
    public var alertAt: Date? {
        switch (overdueAt, alarmAt) {
        case let (overdue?, alarm?): min(overdue, alarm)
        case let (overdue?, nil): overdue
        case let (nil, alarm?): alarm
        case (nil, nil): nil
        }
    }

    /// Seconds from the alert to its acknowledgement (resolving an alert nobody acknowledged counts as taking it on).
    public var secondsToAcknowledge: Int? {
        guard let alert = alertAt, let acknowledged = acknowledgedAt, acknowledged >= alert else { return nil }
        return Int(acknowledged.timeIntervalSince(alert).rounded())
    }
}

/// Lone-working history over a period (issue 4): sessions, overdue events, alarms, time from alert to acknowledgement
/// and false alarms, in total, by person and by team. Pure, so the page, the API and the tests agree.
public struct LoneWorkingReport: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        /// The worker's or unit's id; empty for the total.
        public var key: String
        public var sessions = 0
        public var overdue = 0
        public var alarms = 0
        public var falseAlarms = 0
        /// Alerts someone acknowledged, and how long that took.
        public var acknowledged = 0
        public var medianSecondsToAcknowledge: Int?
        public var maxSecondsToAcknowledge: Int?
        /// Alerts still unacknowledged (open, or closed by the worker without anyone taking them on).
        public var unacknowledged = 0

        public init(key: String) { self.key = key }
    }

    public var total: Line
    public var byPerson: [Line]
    public var byUnit: [Line]

    public init(_ facts: [SessionFacts]) {
        total = Self.line("", facts)
        byPerson = Dictionary(grouping: facts, by: \.workerId).map { Self.line($0.key, $0.value) }.sorted(by: Self.order)
        byUnit = Dictionary(grouping: facts, by: \.unitId).map { Self.line($0.key, $0.value) }.sorted(by: Self.order)
    }

    /// Busiest first, so the people and teams with most alerts are at the top.
    static func order(_ a: Line, _ b: Line) -> Bool {
        (a.alarms + a.overdue, a.sessions, b.key) > (b.alarms + b.overdue, b.sessions, a.key)
    }

    static func line(_ key: String, _ facts: [SessionFacts]) -> Line {
        var line = Line(key: key)
        var times: [Int] = []
        for fact in facts {
            line.sessions += 1
            if fact.overdueAt != nil { line.overdue += 1 }
            if fact.alarmAt != nil { line.alarms += 1 }
            if fact.outcome == .falseAlarm { line.falseAlarms += 1 }
            if fact.alertAt != nil {
                if let seconds = fact.secondsToAcknowledge { times.append(seconds) } else { line.unacknowledged += 1 }
            }
        }
        line.acknowledged = times.count
        line.medianSecondsToAcknowledge = median(times)
        line.maxSecondsToAcknowledge = times.max()
        return line
    }

    /// The middle value; for an even count, the mean of the two middle ones (rounded down).
    public static func median(_ values: [Int]) -> Int? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// "4 min 05 s", "52 s", "1 h 02 min": the board and report speak in words people read at a glance.
    public static func duration(_ seconds: Int?) -> String {
        guard let seconds else { return "–" }
        if seconds < 60 { return "\(seconds) s" }
        if seconds < 3600 { return "\(seconds / 60) min \(zeroPadded(seconds % 60, 2)) s" }
        return "\(seconds / 3600) h \(zeroPadded(seconds % 3600 / 60, 2)) min"
    }
}
