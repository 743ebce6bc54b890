import Foundation
import HavenCore
import SQLKit

/// A signed-in browser session, stored in the database so that it survives a restart.
public struct Session: Sendable {
    public var idHash: String
    public var organisationId: String
    public var userId: String
    public var csrfToken: String
    public var secondFactorPassed: Bool
    public var expiresAt: Date
}

public struct SessionStore: Sendable {
    public let database: Database
    public let clock: any HavenClock
    /// Long enough for a 12.5-hour shift and its handover.
    public static let lifetime: TimeInterval = 14 * 60 * 60

    public init(database: Database, clock: any HavenClock) {
        self.database = database
        self.clock = clock
    }

    /// Starts a session and returns the secret for the cookie (only its hash is stored).
    public func create(user: User, secondFactorPassed: Bool, origin: Origin) async throws -> (token: String, session: Session) {
        let token = Identifier.secret(length: 43)
        let now = clock.now()
        let session = Session(idHash: SecretHash.of(token), organisationId: user.organisationId, userId: user.id,
                              csrfToken: Identifier.secret(length: 32), secondFactorPassed: secondFactorPassed,
                              expiresAt: now + Self.lifetime)
        try await database.write { [database] db in
            try await db.raw("""
                INSERT INTO sessions (id_hash, organisation_id, user_id, csrf_token, second_factor_passed, created_at, expires_at, address)
                VALUES (\(bind: session.idHash), \(bind: session.organisationId), \(bind: session.userId), \(bind: session.csrfToken),
                        \(bind: secondFactorPassed.storedFlag), \(bind: now.epochMilliseconds), \(bind: session.expiresAt.epochMilliseconds), \(bind: origin.address))
                """).run()
            try await database.audit(db, origin, "sign-in.success", entity: "user", id: user.id, at: now)
        }
        return (token, session)
    }

    /// The live session for a cookie value, or nil when unknown or expired.
    public func find(token: String) async throws -> Session? {
        let hash = SecretHash.of(token)
        let now = clock.now().epochMilliseconds
        return try await database.read { db in
            guard let row = try await db.raw("SELECT * FROM sessions WHERE id_hash = \(bind: hash) AND expires_at > \(bind: now)").first() else { return nil }
            return Session(idHash: hash, organisationId: try row.string("organisation_id"), userId: try row.string("user_id"),
                           csrfToken: try row.string("csrf_token"), secondFactorPassed: try row.flag("second_factor_passed"),
                           expiresAt: try row.date("expires_at"))
        }
    }

    public func markSecondFactorPassed(_ session: Session, origin: Origin) async throws {
        let now = clock.now()
        try await database.write { [database] db in
            try await db.raw("UPDATE sessions SET second_factor_passed = 1 WHERE id_hash = \(bind: session.idHash)").run()
            try await database.audit(db, origin, "sign-in.second-factor", entity: "user", id: session.userId, at: now)
        }
    }

    public func delete(_ session: Session, origin: Origin) async throws {
        let now = clock.now()
        try await database.write { [database] db in
            try await db.raw("DELETE FROM sessions WHERE id_hash = \(bind: session.idHash)").run()
            try await database.audit(db, origin, "sign-out", entity: "user", id: session.userId, at: now)
        }
    }

    /// Removes expired sessions (run from a timer).
    public func purgeExpired() async throws -> Int {
        let now = clock.now().epochMilliseconds
        return try await database.write { db in
            let rows = try await db.raw("SELECT id_hash FROM sessions WHERE expires_at <= \(bind: now)").all()
            try await db.raw("DELETE FROM sessions WHERE expires_at <= \(bind: now)").run()
            return rows.count
        }
    }
}
