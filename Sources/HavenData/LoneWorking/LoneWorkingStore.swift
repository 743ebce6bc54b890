import Foundation
import HavenCore
import SQLKit

/// Someone an escalation step tells: enough to notify them in-app and by e-mail.
public struct Contact: Sendable, Equatable {
    public var id: String
    public var organisationId: String
    public var email: String
    public var name: String

    public init(id: String, organisationId: String, email: String, name: String) {
        self.id = id; self.organisationId = organisationId; self.email = email; self.name = name
    }
}

/// The SQL of lone working, in one place. Writes are functions on a running transaction (`on db`), so the engine
/// can change a session, log it, schedule its timer, stage its notifications and audit it in one commit.
public struct LoneWorkingStore: Sendable {
    public let database: Database
    public let clock: any HavenClock

    public init(database: Database, clock: any HavenClock) {
        self.database = database
        self.clock = clock
    }

    // MARK: Sessions

    public static func insert(on db: any SQLDatabase, _ session: LoneWorkSession, timerId: String?, now: Date) async throws {
        try await db.raw("""
            INSERT INTO lone_working_sessions (id, organisation_id, worker_id, unit_id, location, latitude, longitude, visit_kind, risks,
                checklist, vehicle, buddy_id, backup_buddy_id, policy_id, policy, started_at, expected_end_at, due_at, state,
                escalation_step, alarm_at, duress, timer_id, last_check_in_at, updated_at)
            VALUES (\(bind: session.id), \(bind: session.organisationId), \(bind: session.workerId), \(bind: session.unitId),
                \(bind: session.location), \(bind: session.latitude), \(bind: session.longitude), \(bind: session.visitKind.rawValue),
                \(bind: session.risks), \(bind: Self.json(session.checklist)), \(bind: session.vehicle), \(bind: session.buddyId),
                \(bind: session.backupBuddyId), \(bind: session.policyId), \(bind: Self.json(session.policy)),
                \(bind: session.startedAt.epochMilliseconds), \(bind: session.expectedEndAt.epochMilliseconds),
                \(bind: session.dueAt.epochMilliseconds), \(bind: session.state.rawValue), \(bind: session.escalationStep),
                \(bind: session.alarmAt?.epochMilliseconds), \(bind: session.duress.storedFlag), \(bind: timerId),
                \(bind: session.lastCheckInAt?.epochMilliseconds), \(bind: now.epochMilliseconds))
            """).run()
    }

    /// Writes the session's changing fields and the timer that may move it on next (nil: none).
    public static func update(on db: any SQLDatabase, _ session: LoneWorkSession, timerId: String?, now: Date) async throws {
        try await db.raw("""
            UPDATE lone_working_sessions SET location = \(bind: session.location), latitude = \(bind: session.latitude),
                longitude = \(bind: session.longitude), expected_end_at = \(bind: session.expectedEndAt.epochMilliseconds),
                due_at = \(bind: session.dueAt.epochMilliseconds), state = \(bind: session.state.rawValue),
                escalation_step = \(bind: session.escalationStep), alarm_at = \(bind: session.alarmAt?.epochMilliseconds),
                duress = \(bind: session.duress.storedFlag), timer_id = \(bind: timerId),
                last_check_in_at = \(bind: session.lastCheckInAt?.epochMilliseconds), acknowledged_by = \(bind: session.acknowledgedBy),
                acknowledged_at = \(bind: session.acknowledgedAt?.epochMilliseconds), ended_at = \(bind: session.endedAt?.epochMilliseconds),
                resolved_by = \(bind: session.resolvedBy), resolved_at = \(bind: session.resolvedAt?.epochMilliseconds),
                outcome = \(bind: session.outcome?.rawValue), updated_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: session.id) AND organisation_id = \(bind: session.organisationId)
            """).run()
    }

    /// Reads a session inside a write; on PostgreSQL the row is locked until the commit, so two instances (or a
    /// check-in racing an escalation timer) change it one after the other, each seeing the other's result.
    public static func session(on db: any SQLDatabase, dialect: Dialect, id: String, organisationId: String?) async throws
        -> (session: LoneWorkSession, timerId: String?)? {
        let lock = dialect == .postgres ? " FOR UPDATE" : ""
        let row: SQLRow?
        if let organisationId {
            row = try await db.raw("SELECT * FROM lone_working_sessions WHERE id = \(bind: id) AND organisation_id = \(bind: organisationId)\(unsafeRaw: lock)").first()
        } else {
            row = try await db.raw("SELECT * FROM lone_working_sessions WHERE id = \(bind: id)\(unsafeRaw: lock)").first()
        }
        guard let row else { return nil }
        return (try decode(row), try row.optionalString("timer_id"))
    }

    public static func insert(on db: any SQLDatabase, _ event: SessionEvent, organisationId: String) async throws {
        try await db.raw("""
            INSERT INTO lone_working_events (id, organisation_id, session_id, kind, step, actor_id, detail, created_at)
            VALUES (\(bind: event.id), \(bind: organisationId), \(bind: event.sessionId), \(bind: event.kind.rawValue), \(bind: event.step),
                    \(bind: event.actorId), \(bind: event.detail), \(bind: event.createdAt.epochMilliseconds))
            """).run()
    }

    public func session(id: String, organisationId: String) async throws -> LoneWorkSession? {
        try await database.read { db in
            try await db.raw("SELECT * FROM lone_working_sessions WHERE id = \(bind: id) AND organisation_id = \(bind: organisationId)")
                .first().map(Self.decode)
        }
    }

    /// Which sessions a list shows.
    public struct Filter: Sendable {
        public enum Which: String, Sendable, CaseIterable { case open, closed, all }
        public var which: Which
        /// Only this worker's sessions.
        public var workerId: String?
        /// Only these units (a manager's); nil for all.
        public var unitIds: Set<String>?
        public var limit: Int
        public var offset: Int

        public init(which: Which = .open, workerId: String? = nil, unitIds: Set<String>? = nil, limit: Int = 100, offset: Int = 0) {
            self.which = which
            self.workerId = workerId
            self.unitIds = unitIds
            self.limit = limit
            self.offset = offset
        }
    }

    public func sessions(organisationId: String, _ filter: Filter) async throws -> (items: [LoneWorkSession], total: Int) {
        var conditions: [SQLQueryString] = ["organisation_id = \(bind: organisationId)"]
        switch filter.which {
        case .open: conditions.append("state NOT IN ('ended', 'resolved')")
        case .closed: conditions.append("state IN ('ended', 'resolved')")
        case .all: break
        }
        if let worker = filter.workerId { conditions.append("worker_id = \(bind: worker)") }
        if let units = filter.unitIds {
            if units.isEmpty { return ([], 0) }
            conditions.append("unit_id IN (\(binds: units.sorted()))")
        }
        let whereClause = conditions.joined(separator: " AND ")
        return try await database.read { [filter] db in
            let total = try await db.raw("SELECT COUNT(*) AS n FROM lone_working_sessions WHERE \(whereClause)").first()?.int("n") ?? 0
            let rows = try await db.raw("""
                SELECT * FROM lone_working_sessions WHERE \(whereClause) ORDER BY due_at, id
                LIMIT \(unsafeRaw: String(filter.limit)) OFFSET \(unsafeRaw: String(filter.offset))
                """).all()
            return (try rows.map(Self.decode), total)
        }
    }

    public func events(sessionId: String, organisationId: String) async throws -> [SessionEvent] {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM lone_working_events WHERE session_id = \(bind: sessionId) AND organisation_id = \(bind: organisationId)
                ORDER BY created_at, id
                """).all().map { row in
                SessionEvent(id: try row.string("id"), sessionId: try row.string("session_id"),
                             kind: SessionEventKind(rawValue: try row.string("kind")) ?? .checkIn, step: try row.optionalInt("step"),
                             actorId: try row.optionalString("actor_id"), detail: try row.string("detail"), createdAt: try row.date("created_at"))
            }
        }
    }

    /// Sessions share a few policies and checklists: decoded once per text (`DecodedJSONCache`).
    static let policies = DecodedJSONCache<EscalationPolicy>()
    static let checklists = DecodedJSONCache<[String]>()

    static func decode(_ row: SQLRow) throws -> LoneWorkSession {
        let organisationId = try row.string("organisation_id")
        let policy = Self.policies.value(decoding: try row.string("policy")) ?? EscalationPolicy.builtIn(organisationId: organisationId)
        let checklist = Self.checklists.value(decoding: try row.string("checklist")) ?? []
        return LoneWorkSession(
            id: try row.string("id"), organisationId: organisationId, workerId: try row.string("worker_id"), unitId: try row.string("unit_id"),
            location: try row.string("location"), latitude: try row.double("latitude"), longitude: try row.double("longitude"),
            visitKind: VisitKind(rawValue: try row.string("visit_kind")) ?? .other, risks: try row.string("risks"), checklist: checklist,
            vehicle: try row.string("vehicle"), buddyId: try row.optionalString("buddy_id"), backupBuddyId: try row.optionalString("backup_buddy_id"),
            policyId: try row.optionalString("policy_id"), policy: policy, startedAt: try row.date("started_at"),
            expectedEndAt: try row.date("expected_end_at"), state: SessionState(rawValue: try row.string("state")) ?? .active,
            escalationStep: try row.int("escalation_step"), alarmAt: try row.optionalDate("alarm_at"), duress: try row.flag("duress"),
            lastCheckInAt: try row.optionalDate("last_check_in_at"), acknowledgedBy: try row.optionalString("acknowledged_by"),
            acknowledgedAt: try row.optionalDate("acknowledged_at"), endedAt: try row.optionalDate("ended_at"),
            resolvedBy: try row.optionalString("resolved_by"), resolvedAt: try row.optionalDate("resolved_at"),
            outcome: try row.optionalString("outcome").flatMap(SessionOutcome.init(rawValue:)))
    }

    static func json(_ value: some Encodable) -> String {
        String(decoding: (try? JSONEncoder.sorted.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    // MARK: Who to tell

    /// The people a step tells for a session, read inside the escalation's transaction (active accounts only).
    public static func contacts(on db: any SQLDatabase, step: EscalationStep, session: LoneWorkSession) async throws -> [Contact] {
        let query: SQLQueryString
        switch step.who {
        case .webhook, .alarmReceivingCentre: return []
        case .buddy, .backupBuddy, .user:
            let id = step.who == .buddy ? session.buddyId : step.who == .backupBuddy ? session.backupBuddyId : step.userId
            guard let id else { return [] }
            query = "SELECT id, organisation_id, email, name FROM users WHERE id = \(bind: id) AND organisation_id = \(bind: session.organisationId) AND active = 1"
        case .lineManager:
            query = """
                SELECT u.id, u.organisation_id, u.email, u.name FROM users u
                JOIN user_roles r ON r.user_id = u.id AND r.role = 'manager'
                JOIN user_units m ON m.user_id = u.id AND m.unit_id = \(bind: session.unitId)
                WHERE u.organisation_id = \(bind: session.organisationId) AND u.active = 1 ORDER BY u.name, u.id
                """
        case .role:
            guard let role = step.role else { return [] }
            query = """
                SELECT u.id, u.organisation_id, u.email, u.name FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = \(bind: role.rawValue)
                WHERE u.organisation_id = \(bind: session.organisationId) AND u.active = 1 ORDER BY u.name, u.id
                """
        }
        return try await db.raw(query).all().map { row in
            Contact(id: try row.string("id"), organisationId: try row.string("organisation_id"), email: try row.string("email"), name: try row.string("name"))
        }
    }
}
