import Foundation
import HavenCore
import SQLKit

/// A user as stored, with the secrets that never leave the data and service layers.
public struct StoredUser: Sendable {
    public var user: User
    public var passwordHash: String
    public var totpSecret: String?
}

public struct UserStore: Sendable {
    public let database: Database
    public let clock: any HavenClock

    public init(database: Database, clock: any HavenClock) {
        self.database = database
        self.clock = clock
    }

    public func create(_ user: User, passwordHash: String, origin: Origin) async throws {
        let now = clock.now()
        try await database.write { [database] db in
            let clash = try await db.raw("SELECT id FROM users WHERE email = \(bind: user.email)").first()
            if clash != nil { throw FieldErrors("email", "An account with this e-mail address already exists") }
            try await db.raw("""
                INSERT INTO users (id, organisation_id, email, name, job_title, password_hash, active, totp_enabled, created_at, updated_at)
                VALUES (\(bind: user.id), \(bind: user.organisationId), \(bind: user.email), \(bind: user.name), \(bind: user.jobTitle),
                        \(bind: passwordHash), \(bind: user.active.storedFlag), 0, \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds))
                """).run()
            try await Self.replaceRolesAndUnits(db, user)
            try await database.audit(db, origin, "user.create", entity: "user", id: user.id, changes: Self.describe(user), at: now)
        }
    }

    /// Updates name, job title, roles, units and whether the account is active.
    public func update(_ user: User, origin: Origin) async throws {
        let now = clock.now()
        try await database.write { [database] db in
            let clash = try await db.raw("SELECT id FROM users WHERE email = \(bind: user.email) AND id <> \(bind: user.id)").first()
            if clash != nil { throw FieldErrors("email", "An account with this e-mail address already exists") }
            try await db.raw("""
                UPDATE users SET email = \(bind: user.email), name = \(bind: user.name), job_title = \(bind: user.jobTitle),
                    active = \(bind: user.active.storedFlag), updated_at = \(bind: now.epochMilliseconds)
                WHERE id = \(bind: user.id) AND organisation_id = \(bind: user.organisationId)
                """).run()
            try await Self.replaceRolesAndUnits(db, user)
            if !user.active {
                try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: user.id)").run()
            }
            try await database.audit(db, origin, "user.update", entity: "user", id: user.id, changes: Self.describe(user), at: now)
        }
    }

    static func describe(_ user: User) -> [String: String] {
        ["email": user.email, "name": user.name, "jobTitle": user.jobTitle,
         "roles": user.roles.sorted().map(\.rawValue).joined(separator: ","),
         "units": user.unitIds.sorted().joined(separator: ","), "active": String(user.active)]
    }

    private static func replaceRolesAndUnits(_ db: any SQLDatabase, _ user: User) async throws {
        try await db.raw("DELETE FROM user_roles WHERE user_id = \(bind: user.id)").run()
        try await db.raw("DELETE FROM user_units WHERE user_id = \(bind: user.id)").run()
        for role in user.roles {
            try await db.raw("INSERT INTO user_roles (user_id, organisation_id, role) VALUES (\(bind: user.id), \(bind: user.organisationId), \(bind: role.rawValue))").run()
        }
        for unitId in user.unitIds {
            try await db.raw("INSERT INTO user_units (user_id, organisation_id, unit_id) VALUES (\(bind: user.id), \(bind: user.organisationId), \(bind: unitId))").run()
        }
    }

    /// Changes the password and signs the user out everywhere else.
    public func setPassword(userId: String, passwordHash: String, keepSession: String?, origin: Origin, action: String = "user.password-change") async throws {
        let now = clock.now()
        try await database.write { [database] db in
            try await db.raw("UPDATE users SET password_hash = \(bind: passwordHash), updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: userId)").run()
            try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userId) AND id_hash <> \(bind: keepSession ?? "")").run()
            try await database.audit(db, origin, action, entity: "user", id: userId, at: now)
        }
    }

    public func setTwoFactor(userId: String, secret: String?, enabled: Bool, origin: Origin) async throws {
        let now = clock.now()
        try await database.write { [database] db in
            try await db.raw("""
                UPDATE users SET totp_secret = \(bind: secret), totp_enabled = \(bind: enabled.storedFlag), updated_at = \(bind: now.epochMilliseconds)
                WHERE id = \(bind: userId)
                """).run()
            try await database.audit(db, origin, enabled ? "user.two-factor-enable" : "user.two-factor-setup", entity: "user", id: userId, at: now)
        }
    }

    public func find(id: String, organisationId: String) async throws -> StoredUser? {
        try await load("SELECT * FROM users WHERE id = \(bind: id) AND organisation_id = \(bind: organisationId)").first
    }

    public func find(email: String) async throws -> StoredUser? {
        try await load("SELECT * FROM users WHERE email = \(bind: email.lowercased())").first
    }

    /// Users visible in the scope, by name. A manager's scope is the people of their units.
    public func list(organisationId: String, scope: UnitScope) async throws -> [User] {
        switch scope {
        case .none:
            return []
        case .all:
            return try await load("SELECT * FROM users WHERE organisation_id = \(bind: organisationId) ORDER BY name, email").map(\.user)
        case .units(let unitIds):
            guard !unitIds.isEmpty else { return [] }
            return try await load("""
                SELECT * FROM users WHERE organisation_id = \(bind: organisationId)
                  AND id IN (SELECT user_id FROM user_units WHERE unit_id IN (\(binds: Array(unitIds))))
                ORDER BY name, email
                """).map(\.user)
        }
    }

    private func load(_ query: SQLQueryString) async throws -> [StoredUser] {
        try await database.read { db in
            let rows = try await db.raw(query).all()
            guard !rows.isEmpty else { return [] }
            let ids = try rows.map { try $0.string("id") }
            var roles: [String: Set<Role>] = [:]
            var units: [String: Set<String>] = [:]
            // Roles and units for the whole page in two queries, not two per user.
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                for row in try await db.raw("SELECT user_id, role FROM user_roles WHERE user_id IN (\(binds: chunk))").all() {
                    if let role = Role(rawValue: try row.string("role")) { roles[try row.string("user_id"), default: []].insert(role) }
                }
                for row in try await db.raw("SELECT user_id, unit_id FROM user_units WHERE user_id IN (\(binds: chunk))").all() {
                    units[try row.string("user_id"), default: []].insert(try row.string("unit_id"))
                }
            }
            return try rows.map { row in
                let id = try row.string("id")
                let user = User(
                    id: id, organisationId: try row.string("organisation_id"), email: try row.string("email"),
                    name: try row.string("name"), jobTitle: try row.string("job_title"), roles: roles[id] ?? [],
                    unitIds: units[id] ?? [], active: try row.flag("active"), twoFactorEnabled: try row.flag("totp_enabled"))
                return StoredUser(user: user, passwordHash: try row.string("password_hash"), totpSecret: try row.optionalString("totp_secret"))
            }
        }
    }
}
