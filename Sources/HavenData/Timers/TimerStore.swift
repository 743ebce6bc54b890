import Foundation
import HavenCore
import SQLKit

/// A piece of work due at a time: a delivery attempt, a reminder, an escalation step.
public struct DueTimer: Sendable, Equatable {
    public var id: String
    public var organisationId: String
    public var kind: String
    public var subjectId: String
    public var dueAt: Date
    public var attempts: Int
}

/// Durable scheduled work. Timers live in the database so none is lost across a restart, and a claim is
/// an atomic update so that several instances sharing one PostgreSQL never run the same timer twice.
public struct TimerStore: Sendable {
    public let database: Database
    public let clock: any HavenClock

    public init(database: Database, clock: any HavenClock) {
        self.database = database
        self.clock = clock
    }

    /// Schedules work inside a write that is already running, so the timer commits with the record it serves. Work due
    /// now inside a write that hands its timers over (`TimerHandoff.current`) is written claimed by that instance, which
    /// runs it as soon as the write commits.
    public static func schedule(on db: any SQLDatabase, organisationId: String, kind: String, subjectId: String,
                                dueAt: Date, now: Date) async throws -> String {
        let id = Identifier.make()
        if let handoff = TimerHandoff.current, dueAt <= now {
            try await db.raw("""
                INSERT INTO timers (id, organisation_id, kind, subject_id, due_at, attempts, claimed_by, claimed_until, created_at)
                VALUES (\(bind: id), \(bind: organisationId), \(bind: kind), \(bind: subjectId), \(bind: dueAt.epochMilliseconds), 1,
                        \(bind: handoff.owner), \(bind: (now + handoff.lease).epochMilliseconds), \(bind: now.epochMilliseconds))
                """).run()
            handoff.add(DueTimer(id: id, organisationId: organisationId, kind: kind, subjectId: subjectId, dueAt: dueAt, attempts: 1))
            return id
        }
        try await db.raw("""
            INSERT INTO timers (id, organisation_id, kind, subject_id, due_at, attempts, created_at)
            VALUES (\(bind: id), \(bind: organisationId), \(bind: kind), \(bind: subjectId), \(bind: dueAt.epochMilliseconds), 0, \(bind: now.epochMilliseconds))
            """).run()
        return id
    }

    /// Moves an open timer that nobody holds to a later due time, inside a write that is already running, and says
    /// whether it did. A check-in puts its visit's timer back this way: one row updated in place, where completing it
    /// and scheduling a new one wrote two rows and left one behind each time. A timer already claimed (its handler
    /// may be about to run) or done is left alone and the caller schedules a new one, as before; so is a move to now
    /// or earlier, which must go through `schedule` to be handed over.
    public static func move(on db: any SQLDatabase, id: String, to dueAt: Date, now: Date) async throws -> Bool {
        guard dueAt > now else { return false }
        return try await db.raw("""
            UPDATE timers SET due_at = \(bind: dueAt.epochMilliseconds)
            WHERE id = \(bind: id) AND completed_at IS NULL AND claimed_until IS NULL RETURNING id
            """).first() != nil
    }

    public func schedule(organisationId: String, kind: String, subjectId: String, dueAt: Date) async throws -> String {
        let now = clock.now()
        return try await database.write { db in
            try await Self.schedule(on: db, organisationId: organisationId, kind: kind, subjectId: subjectId, dueAt: dueAt, now: now)
        }
    }

    /// When the next timer that nobody holds falls due (an index walk in due order, not a scan), including ones whose
    /// claim has lapsed. Timers claimed and still running are left out, so a loop with work in flight does not wake
    /// for it again and again; a claim that lapses later (its owner died) is found on the loop's next periodic look.
    public func nextDueAt() async throws -> Date? {
        let nowMs = clock.now().epochMilliseconds
        return try await database.read { db in
            let row = try await db.raw("""
                SELECT due_at FROM timers WHERE completed_at IS NULL AND (claimed_until IS NULL OR claimed_until < \(bind: nowMs))
                ORDER BY due_at LIMIT 1
                """).first()
            return try row.map { Date(epochMilliseconds: try $0.decode(column: "due_at", as: Int64.self)) }
        }
    }

    /// Claims the earliest due timer for `owner` for `lease` seconds. A claim whose owner died lapses
    /// after the lease and the timer is claimed again, so work is never lost, only retried.
    public func claimNext(owner: String, lease: TimeInterval = 60) async throws -> DueTimer? {
        try await claimDue(owner: owner, limit: 1, lease: lease).first
    }

    /// Claims up to `limit` timers due by `dueBy` (default now), earliest first, for `owner` in one transaction, so a
    /// burst of due work costs one commit to claim rather than one per timer. It looks on a reader first, so a loop
    /// that finds nothing due never takes the write lock.
    ///
    /// Of several instances racing, each timer goes to one: the UPDATE checks the claim again (and on PostgreSQL the
    /// candidates are locked with SKIP LOCKED, so instances take different timers instead of queueing on the same).
    public func claimDue(owner: String, limit: Int, dueBy: Date? = nil, lease: TimeInterval = 60) async throws -> [DueTimer] {
        guard limit > 0 else { return [] }
        let now = clock.now()
        let nowMs = now.epochMilliseconds
        let byMs = max(dueBy ?? now, now).epochMilliseconds
        let until = (max(dueBy ?? now, now) + lease).epochMilliseconds
        let dueQuery: SQLQueryString = """
            SELECT id FROM timers WHERE completed_at IS NULL AND due_at <= \(bind: byMs)
              AND (claimed_until IS NULL OR claimed_until < \(bind: nowMs))
            ORDER BY due_at LIMIT \(unsafeRaw: String(limit))
            """
        guard try await database.read({ db in try await db.raw(dueQuery).first() }) != nil else { return [] }
        let lock = database.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        return try await database.write { db in
            let ids = try await db.raw(dueQuery + SQLQueryString(lock)).all().map { try $0.string("id") }
            guard !ids.isEmpty else { return [] }
            let rows = try await db.raw("""
                UPDATE timers SET claimed_by = \(bind: owner), claimed_until = \(bind: until), attempts = attempts + 1
                WHERE id IN (\(binds: ids)) AND completed_at IS NULL AND (claimed_until IS NULL OR claimed_until < \(bind: nowMs))
                RETURNING id, organisation_id, kind, subject_id, due_at, attempts
                """).all()
            return try rows.map { row in
                DueTimer(id: try row.string("id"), organisationId: try row.string("organisation_id"), kind: try row.string("kind"),
                         subjectId: try row.string("subject_id"), dueAt: try row.date("due_at"), attempts: try row.int("attempts"))
            }.sorted { ($0.dueAt, $0.id) < ($1.dueAt, $1.id) }
        }
    }

    public func complete(_ id: String) async throws { try await complete([id]) }

    /// Marks timers done in one statement (a batch that ran together is completed together).
    public func complete(_ ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        let now = clock.now().epochMilliseconds
        try await database.write { db in
            try await db.raw("UPDATE timers SET completed_at = \(bind: now), claimed_until = NULL WHERE id IN (\(binds: ids))").run()
        }
    }

    /// Puts a claimed timer back, due again at `dueAt` (after a handler failed).
    public func reschedule(_ id: String, dueAt: Date) async throws {
        try await database.write { db in
            try await db.raw("UPDATE timers SET due_at = \(bind: dueAt.epochMilliseconds), claimed_by = NULL, claimed_until = NULL WHERE id = \(bind: id)").run()
        }
    }

    /// Gives a claim back without running the timer (it was claimed ahead of its due time and the instance is stopping).
    public func release(_ id: String, attempts: Int) async throws {
        try await database.write { db in
            try await db.raw("""
                UPDATE timers SET claimed_by = NULL, claimed_until = NULL, attempts = \(bind: max(0, attempts))
                WHERE id = \(bind: id) AND completed_at IS NULL
                """).run()
        }
    }

    /// Clears every claim on open timers. Only for SQLite, which has one app instance by design: at start, any claim
    /// left belongs to a process that is gone (killed mid-run), and waiting for its lease would delay the work a minute.
    @discardableResult
    public func releaseClaimsOfStoppedInstances() async throws -> Int {
        guard database.dialect == .sqlite else { return 0 }
        return try await database.write { db in
            try await db.raw("""
                UPDATE timers SET claimed_by = NULL, claimed_until = NULL WHERE completed_at IS NULL AND claimed_until IS NOT NULL RETURNING id
                """).all().count
        }
    }

    /// Whether a timer of this kind is waiting to run (for recurring housekeeping, which keeps one at a time).
    public func hasOpen(kind: String) async throws -> Bool {
        try await database.read { db in
            try await db.raw("SELECT id FROM timers WHERE kind = \(bind: kind) AND completed_at IS NULL LIMIT 1").first() != nil
        }
    }

    public func openCount() async throws -> Int {
        try await database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM timers WHERE completed_at IS NULL").first()?.int("n") ?? 0 }
    }
}
