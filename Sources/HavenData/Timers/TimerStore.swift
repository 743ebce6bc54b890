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

    /// Schedules work inside a write that is already running, so the timer commits with the record it serves.
    public static func schedule(on db: any SQLDatabase, organisationId: String, kind: String, subjectId: String,
                                dueAt: Date, now: Date) async throws -> String {
        let id = Identifier.make()
        try await db.raw("""
            INSERT INTO timers (id, organisation_id, kind, subject_id, due_at, attempts, created_at)
            VALUES (\(bind: id), \(bind: organisationId), \(bind: kind), \(bind: subjectId), \(bind: dueAt.epochMilliseconds), 0, \(bind: now.epochMilliseconds))
            """).run()
        return id
    }

    public func schedule(organisationId: String, kind: String, subjectId: String, dueAt: Date) async throws -> String {
        let now = clock.now()
        return try await database.write { db in
            try await Self.schedule(on: db, organisationId: organisationId, kind: kind, subjectId: subjectId, dueAt: dueAt, now: now)
        }
    }

    /// When the next open timer falls due (an index lookup, not a scan), including ones whose claim has lapsed.
    public func nextDueAt() async throws -> Date? {
        try await database.read { db in
            let row = try await db.raw("SELECT MIN(due_at) AS due FROM timers WHERE completed_at IS NULL").first()
            return try row?.decode(column: "due", as: Int64?.self).map { Date(epochMilliseconds: $0) }
        }
    }

    /// Claims the earliest due timer for `owner` for `lease` seconds. A claim whose owner died lapses
    /// after the lease and the timer is claimed again, so work is never lost, only retried.
    public func claimNext(owner: String, lease: TimeInterval = 60) async throws -> DueTimer? {
        let now = clock.now()
        let nowMs = now.epochMilliseconds
        let until = (now + lease).epochMilliseconds
        return try await database.write { db in
            guard let candidate = try await db.raw("""
                SELECT id FROM timers WHERE completed_at IS NULL AND due_at <= \(bind: nowMs)
                  AND (claimed_until IS NULL OR claimed_until < \(bind: nowMs))
                ORDER BY due_at LIMIT 1
                """).first() else { return nil }
            let id = try candidate.string("id")
            // The condition is checked again by the UPDATE itself: of two instances racing, only one changes the row.
            let claimed = try await db.raw("""
                UPDATE timers SET claimed_by = \(bind: owner), claimed_until = \(bind: until), attempts = attempts + 1
                WHERE id = \(bind: id) AND completed_at IS NULL AND (claimed_until IS NULL OR claimed_until < \(bind: nowMs))
                RETURNING id, organisation_id, kind, subject_id, due_at, attempts
                """).first()
            guard let row = claimed else { return nil }
            return DueTimer(id: try row.string("id"), organisationId: try row.string("organisation_id"), kind: try row.string("kind"),
                            subjectId: try row.string("subject_id"), dueAt: try row.date("due_at"), attempts: try row.int("attempts"))
        }
    }

    public func complete(_ id: String) async throws {
        let now = clock.now().epochMilliseconds
        try await database.write { db in
            try await db.raw("UPDATE timers SET completed_at = \(bind: now), claimed_until = NULL WHERE id = \(bind: id)").run()
        }
    }

    /// Puts a claimed timer back, due again at `dueAt` (after a handler failed).
    public func reschedule(_ id: String, dueAt: Date) async throws {
        try await database.write { db in
            try await db.raw("UPDATE timers SET due_at = \(bind: dueAt.epochMilliseconds), claimed_by = NULL, claimed_until = NULL WHERE id = \(bind: id)").run()
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
