import Foundation
import HavenCore
import SQLKit

/// The history of lone working: the facts reports are built from, and sessions a page at a time for the export.
extension LoneWorkingStore {
    /// Sessions started in [from, to) in these units (nil: all), in one organisation.
    public struct Period: Sendable {
        public var organisationId: String
        public var from: Date
        public var to: Date
        public var unitIds: Set<String>?

        public init(organisationId: String, from: Date, to: Date, unitIds: Set<String>?) {
            self.organisationId = organisationId
            self.from = from
            self.to = to
            self.unitIds = unitIds
        }

        var conditions: SQLQueryString {
            var sql: SQLQueryString = """
                s.organisation_id = \(bind: organisationId) AND s.started_at >= \(bind: from.epochMilliseconds) AND s.started_at < \(bind: to.epochMilliseconds)
                """
            if let unitIds { sql = "\(sql) AND s.unit_id IN (\(binds: unitIds.sorted()))" }
            return sql
        }
    }

    /// When each session first went overdue comes from its log, so a check-in that stopped the escalation still counts.
    static let overdueAt: SQLQueryString = """
        (SELECT MIN(e.created_at) FROM lone_working_events e WHERE e.session_id = s.id AND e.kind = 'overdue') AS overdue_at
        """

    public func reportFacts(_ period: Period) async throws -> [SessionFacts] {
        if period.unitIds?.isEmpty == true { return [] }
        return try await database.read { db in
            try await db.raw("""
                SELECT s.id, s.worker_id, s.unit_id, s.started_at, s.state, s.outcome, s.alarm_at, s.acknowledged_at, \(Self.overdueAt)
                FROM lone_working_sessions s WHERE \(period.conditions)
                """).all().map { row in
                SessionFacts(id: try row.string("id"), workerId: try row.string("worker_id"), unitId: try row.string("unit_id"),
                             startedAt: try row.date("started_at"), state: SessionState(rawValue: try row.string("state")) ?? .active,
                             outcome: try row.optionalString("outcome").flatMap(SessionOutcome.init(rawValue:)), alarmAt: try row.optionalDate("alarm_at"),
                             overdueAt: try row.optionalDate("overdue_at"), acknowledgedAt: try row.optionalDate("acknowledged_at"))
            }
        }
    }

    /// Device events received in the period from devices of these units, by kind (BS 8484 §15 E 35: use and test activations).
    public func alarmEventCounts(_ period: Period) async throws -> [AlarmEventKind: Int] {
        if period.unitIds?.isEmpty == true { return [:] }
        var units: SQLQueryString = ""
        if let ids = period.unitIds { units = "AND d.unit_id IN (\(binds: ids.sorted()))" }
        return try await database.read { [units] db in
            var counts: [AlarmEventKind: Int] = [:]
            for row in try await db.raw("""
                SELECT e.kind, COUNT(*) AS n FROM lone_working_alarm_events e JOIN lone_working_devices d ON d.id = e.device_id
                WHERE e.organisation_id = \(bind: period.organisationId) AND e.received_at >= \(bind: period.from.epochMilliseconds)
                  AND e.received_at < \(bind: period.to.epochMilliseconds) \(units)
                GROUP BY e.kind
                """).all() {
                if let kind = AlarmEventKind(rawValue: try row.string("kind")) { counts[kind] = try row.int("n") }
            }
            return counts
        }
    }

    /// One row of the sessions export.
    public struct HistoryRow: Sendable {
        public var session: LoneWorkSession
        public var overdueAt: Date?
    }

    /// Sessions of the period oldest first, `size` at a time after `cursor` (started at, id), so an export of any
    /// length streams in flat memory.
    public func historyPage(_ period: Period, after cursor: (startedAt: Date, id: String)?, size: Int) async throws -> [HistoryRow] {
        if period.unitIds?.isEmpty == true { return [] }
        var keyset: SQLQueryString = ""
        if let cursor {
            let at = cursor.startedAt.epochMilliseconds
            keyset = "AND (s.started_at > \(bind: at) OR (s.started_at = \(bind: at) AND s.id > \(bind: cursor.id)))"
        }
        return try await database.read { [keyset] db in
            try await db.raw("""
                SELECT s.*, \(Self.overdueAt) FROM lone_working_sessions s WHERE \(period.conditions) \(keyset)
                ORDER BY s.started_at, s.id LIMIT \(unsafeRaw: String(max(1, min(size, 5000))))
                """).all().map { HistoryRow(session: try Self.decode($0), overdueAt: try $0.optionalDate("overdue_at")) }
        }
    }
}
