import Foundation
import HavenCore
import SQLKit

/// Many open visits at once, for `haven demo --lone-working N` and the lone-working benchmarks: each session with its
/// due timer and its "started" log entry, exactly as `LoneWorking.start` writes them, but a multi-row INSERT per
/// `rowsPerStatement` sessions and a whole batch in one transaction (one fsync for thousands of visits), with one
/// audit entry for the generation instead of one per visit.
extension LoneWorkingStore {
    /// 25 bound values a session row keeps a statement under SQLite's 32,766 variables and PostgreSQL's 65,535.
    public static let rowsPerStatement = 400

    /// Saves the sessions, their timers (of `timerKind`, due at each session's `dueAt`) and their log entries in one
    /// transaction and returns once it is committed. The audit entry, when given, is written in the same transaction.
    public func insert(generated sessions: [LoneWorkSession], timerKind: String, now: Date, audit: (origin: Origin, count: Int)? = nil)
        async throws {
        guard !sessions.isEmpty || audit != nil else { return }
        let timerIds = sessions.map { _ in Identifier.make() }
        var statements: [SQLQueryString] = []
        var start = 0
        while start < sessions.count {
            let range = start..<min(start + Self.rowsPerStatement, sessions.count)
            statements.append(Self.timersStatement(sessions[range], timerIds: timerIds[range], kind: timerKind, now: now))
            statements.append(Self.sessionsStatement(sessions[range], timerIds: timerIds[range], now: now))
            statements.append(Self.startedStatement(sessions[range]))
            start = range.upperBound
        }
        try await database.write { [database, statements] db in
            for statement in statements { try await db.raw(statement).run() }
            if let audit {
                try await database.audit(db, audit.origin, "lone-working.generate", entity: "lone-working-session", id: nil,
                                         changes: ["count": String(audit.count)], at: now)
            }
        }
    }

    static func timersStatement(_ sessions: ArraySlice<LoneWorkSession>, timerIds: ArraySlice<String>, kind: String, now: Date) -> SQLQueryString {
        var query: SQLQueryString = "INSERT INTO timers (id, organisation_id, kind, subject_id, due_at, attempts, created_at) VALUES"
        for (index, (session, timerId)) in zip(sessions, timerIds).enumerated() {
            query += index == 0 ? " (" : ", ("
            query += """
                \(bind: timerId), \(bind: session.organisationId), \(bind: kind), \(bind: session.id), \(bind: session.dueAt.epochMilliseconds), \
                0, \(bind: now.epochMilliseconds))
                """
        }
        return query
    }

    static func sessionsStatement(_ sessions: ArraySlice<LoneWorkSession>, timerIds: ArraySlice<String>, now: Date) -> SQLQueryString {
        var query: SQLQueryString = """
            INSERT INTO lone_working_sessions (id, organisation_id, worker_id, unit_id, location, latitude, longitude, visit_kind, risks,
                checklist, vehicle, buddy_id, backup_buddy_id, policy_id, policy, started_at, expected_end_at, due_at, state,
                escalation_step, alarm_at, duress, timer_id, last_check_in_at, updated_at) VALUES
            """
        // Sessions of one generation share a few policies: encode each once.
        var policies: [String: String] = [:]
        for (index, (session, timerId)) in zip(sessions, timerIds).enumerated() {
            let policyKey = session.policyId ?? session.policy.id
            let policy = policies[policyKey] ?? json(session.policy)
            policies[policyKey] = policy
            query += index == 0 ? " (" : ", ("
            query += """
                \(bind: session.id), \(bind: session.organisationId), \(bind: session.workerId), \(bind: session.unitId), \
                \(bind: session.location), \(bind: session.latitude), \(bind: session.longitude), \(bind: session.visitKind.rawValue), \
                \(bind: session.risks), \(bind: json(session.checklist)), \(bind: session.vehicle), \(bind: session.buddyId), \
                \(bind: session.backupBuddyId), \(bind: session.policyId), \(bind: policy), \(bind: session.startedAt.epochMilliseconds), \
                \(bind: session.expectedEndAt.epochMilliseconds), \(bind: session.dueAt.epochMilliseconds), \(bind: session.state.rawValue), \
                \(bind: session.escalationStep), NULL, 0, \(bind: timerId), NULL, \(bind: now.epochMilliseconds))
                """
        }
        return query
    }

    static func startedStatement(_ sessions: ArraySlice<LoneWorkSession>) -> SQLQueryString {
        var query: SQLQueryString = "INSERT INTO lone_working_events (id, organisation_id, session_id, kind, step, actor_id, detail, created_at) VALUES"
        for (index, session) in sessions.enumerated() {
            query += index == 0 ? " (" : ", ("
            query += """
                \(bind: Identifier.make()), \(bind: session.organisationId), \(bind: session.id), \(bind: SessionEventKind.started.rawValue), \
                NULL, \(bind: session.workerId), \(bind: "Due back by \(session.expectedEndAt.iso8601)"), \(bind: session.startedAt.epochMilliseconds))
                """
        }
        return query
    }
}
