import Foundation
import HavenCore
import SQLKit

/// An API bearer token's public details (never the token itself, which is shown once).
public struct APIToken: Sendable, Codable, Equatable {
    public var id: String
    public var userId: String
    public var name: String
    public var createdAt: Date
    public var expiresAt: Date?
    public var revokedAt: Date?
}

public struct TokenStore: Sendable {
    public let database: Database
    public let clock: any HavenClock
    /// Tokens start with this, so a leaked one is easy to recognise in logs and secret scanners.
    public static let prefix = "haven_"

    public init(database: Database, clock: any HavenClock) {
        self.database = database
        self.clock = clock
    }

    public func create(userId: String, name: String, expiresAt: Date?, origin: Origin) async throws -> (token: String, record: APIToken) {
        let token = Self.prefix + Identifier.secret(length: 40)
        let now = clock.now()
        let record = APIToken(id: Identifier.make(), userId: userId, name: name, createdAt: now, expiresAt: expiresAt, revokedAt: nil)
        try await database.write { [database] db in
            try await db.raw("""
                INSERT INTO api_tokens (id, organisation_id, user_id, name, token_hash, created_at, expires_at)
                VALUES (\(bind: record.id), \(bind: origin.organisationId), \(bind: userId), \(bind: name), \(bind: SecretHash.of(token)),
                        \(bind: now.epochMilliseconds), \(bind: expiresAt?.epochMilliseconds))
                """).run()
            try await database.audit(db, origin, "api-token.create", entity: "api-token", id: record.id, changes: ["name": name], at: now)
        }
        return (token, record)
    }

    /// The user id a bearer token stands for, when it is known, unrevoked and unexpired.
    public func userId(forToken token: String) async throws -> (userId: String, organisationId: String)? {
        guard token.hasPrefix(Self.prefix) else { return nil }
        let hash = SecretHash.of(token)
        let now = clock.now().epochMilliseconds
        return try await database.read { db in
            guard let row = try await db.raw("""
                SELECT user_id, organisation_id FROM api_tokens WHERE token_hash = \(bind: hash) AND revoked_at IS NULL
                  AND (expires_at IS NULL OR expires_at > \(bind: now))
                """).first() else { return nil }
            return (try row.string("user_id"), try row.string("organisation_id"))
        }
    }

    public func list(userId: String) async throws -> [APIToken] {
        try await database.read { db in
            try await db.raw("SELECT * FROM api_tokens WHERE user_id = \(bind: userId) ORDER BY created_at DESC").all().map { row in
                APIToken(id: try row.string("id"), userId: try row.string("user_id"), name: try row.string("name"),
                         createdAt: try row.date("created_at"), expiresAt: try row.optionalDate("expires_at"),
                         revokedAt: try row.optionalDate("revoked_at"))
            }
        }
    }

    /// Revokes one of the user's tokens; false when there is no such token of theirs.
    public func revoke(id: String, userId: String, origin: Origin) async throws -> Bool {
        let now = clock.now()
        return try await database.write { [database] db in
            let row = try await db.raw("SELECT id FROM api_tokens WHERE id = \(bind: id) AND user_id = \(bind: userId) AND revoked_at IS NULL").first()
            guard row != nil else { return false }
            try await db.raw("UPDATE api_tokens SET revoked_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id)").run()
            try await database.audit(db, origin, "api-token.revoke", entity: "api-token", id: id, at: now)
            return true
        }
    }
}

/// One-time password-reset links issued by an administrator.
public struct PasswordResetStore: Sendable {
    public let database: Database
    public let clock: any HavenClock
    public static let lifetime: TimeInterval = 24 * 60 * 60

    public init(database: Database, clock: any HavenClock) {
        self.database = database
        self.clock = clock
    }

    public func issue(userId: String, origin: Origin) async throws -> String {
        let token = Identifier.secret(length: 43)
        let now = clock.now()
        try await database.write { [database] db in
            try await db.raw("""
                INSERT INTO password_resets (token_hash, organisation_id, user_id, created_by, created_at, expires_at)
                VALUES (\(bind: SecretHash.of(token)), \(bind: origin.organisationId), \(bind: userId), \(bind: origin.actorId ?? "system"),
                        \(bind: now.epochMilliseconds), \(bind: (now + Self.lifetime).epochMilliseconds))
                """).run()
            try await database.audit(db, origin, "user.password-reset-issue", entity: "user", id: userId, at: now)
        }
        return token
    }

    /// The user a reset link is for, when it is unused and unexpired.
    public func userId(forToken token: String) async throws -> String? {
        let now = clock.now().epochMilliseconds
        return try await database.read { db in
            try await db.raw("""
                SELECT user_id FROM password_resets WHERE token_hash = \(bind: SecretHash.of(token)) AND used_at IS NULL AND expires_at > \(bind: now)
                """).first()?.string("user_id")
        }
    }

    /// Uses the link once: sets the new password and makes the link worthless. False when it was already used.
    public func consume(token: String, passwordHash: String, origin: Origin) async throws -> Bool {
        let now = clock.now()
        let hash = SecretHash.of(token)
        return try await database.write { [database] db in
            guard let row = try await db.raw("""
                SELECT user_id FROM password_resets WHERE token_hash = \(bind: hash) AND used_at IS NULL AND expires_at > \(bind: now.epochMilliseconds)
                """).first() else { return false }
            let userId = try row.string("user_id")
            try await db.raw("UPDATE password_resets SET used_at = \(bind: now.epochMilliseconds) WHERE token_hash = \(bind: hash)").run()
            try await db.raw("UPDATE users SET password_hash = \(bind: passwordHash), updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: userId)").run()
            try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userId)").run()
            try await database.audit(db, origin, "user.password-reset-use", entity: "user", id: userId, at: now)
            return true
        }
    }
}
