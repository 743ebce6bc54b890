import Foundation
import HavenCore
import SQLKit

/// Escalation policies, which unit uses which, and each user's PINs.
extension LoneWorkingStore {
    public func save(_ policy: EscalationPolicy, isNew: Bool, origin: Origin) async throws {
        try await save(policy, isNew: isNew, unitIds: nil, origin: origin)
    }

    /// Saves the policy and, when `unitIds` is given, makes exactly those units use it (others that used it fall
    /// back to the built-in policy), in one transaction: the policy page saves both at once.
    public func save(_ policy: EscalationPolicy, isNew: Bool, unitIds: [String]?, origin: Origin) async throws {
        let now = clock.now()
        let steps = Self.json(policy.steps)
        try await database.write { [database] db in
            if isNew {
                try await db.raw("""
                    INSERT INTO lone_working_policies (id, organisation_id, name, grace_seconds, steps, created_at, updated_at)
                    VALUES (\(bind: policy.id), \(bind: policy.organisationId), \(bind: policy.name), \(bind: policy.graceSeconds), \(bind: steps),
                            \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds))
                    """).run()
            } else {
                try await db.raw("""
                    UPDATE lone_working_policies SET name = \(bind: policy.name), grace_seconds = \(bind: policy.graceSeconds), steps = \(bind: steps),
                        updated_at = \(bind: now.epochMilliseconds)
                    WHERE id = \(bind: policy.id) AND organisation_id = \(bind: policy.organisationId)
                    """).run()
            }
            try await database.audit(db, origin, isNew ? "lone-working.policy.create" : "lone-working.policy.update", entity: "escalation-policy",
                                     id: policy.id, changes: ["name": policy.name, "graceSeconds": String(policy.graceSeconds), "steps": steps], at: now)
            guard let unitIds else { return }
            try await db.raw("""
                DELETE FROM lone_working_policy_units WHERE policy_id = \(bind: policy.id) AND organisation_id = \(bind: policy.organisationId)
                """).run()
            try await Self.assign(on: db, database: database, policyId: policy.id, unitIds: unitIds, organisationId: policy.organisationId,
                                  origin: origin, now: now)
        }
    }

    public func policy(id: String, organisationId: String) async throws -> EscalationPolicy? {
        try await database.read { db in
            try await db.raw("SELECT * FROM lone_working_policies WHERE id = \(bind: id) AND organisation_id = \(bind: organisationId)")
                .first().map(Self.decodePolicy)
        }
    }

    public func policies(organisationId: String) async throws -> [EscalationPolicy] {
        try await database.read { db in
            try await db.raw("SELECT * FROM lone_working_policies WHERE organisation_id = \(bind: organisationId) ORDER BY name, id")
                .all().map(Self.decodePolicy)
        }
    }

    /// The policy a unit uses, if one is assigned.
    public func policy(forUnit unitId: String, organisationId: String) async throws -> EscalationPolicy? {
        try await database.read { db in
            try await db.raw("""
                SELECT p.* FROM lone_working_policies p JOIN lone_working_policy_units a ON a.policy_id = p.id
                WHERE a.unit_id = \(bind: unitId) AND a.organisation_id = \(bind: organisationId)
                """).first().map(Self.decodePolicy)
        }
    }

    public func unitIds(policyId: String, organisationId: String) async throws -> [String] {
        try await database.read { db in
            try await db.raw("""
                SELECT unit_id FROM lone_working_policy_units WHERE policy_id = \(bind: policyId) AND organisation_id = \(bind: organisationId)
                ORDER BY unit_id
                """).all().map { try $0.string("unit_id") }
        }
    }

    /// Makes the policy the one these units use (replacing whatever they used before).
    public func assign(policyId: String, unitIds: [String], organisationId: String, origin: Origin) async throws {
        let now = clock.now()
        try await database.write { [database] db in
            try await Self.assign(on: db, database: database, policyId: policyId, unitIds: unitIds, organisationId: organisationId, origin: origin, now: now)
        }
    }

    static func assign(on db: any SQLDatabase, database: Database, policyId: String, unitIds: [String], organisationId: String, origin: Origin,
                       now: Date) async throws {
        for unitId in unitIds {
            try await db.raw("DELETE FROM lone_working_policy_units WHERE unit_id = \(bind: unitId) AND organisation_id = \(bind: organisationId)").run()
            try await db.raw("""
                INSERT INTO lone_working_policy_units (unit_id, organisation_id, policy_id, assigned_at)
                VALUES (\(bind: unitId), \(bind: organisationId), \(bind: policyId), \(bind: now.epochMilliseconds))
                """).run()
        }
        try await database.audit(db, origin, "lone-working.policy.assign", entity: "escalation-policy", id: policyId,
                                 changes: ["unitIds": unitIds.joined(separator: ",")], at: now)
    }

    /// Which policy each unit uses, for the units that have one assigned.
    public func policyIdsByUnit(organisationId: String) async throws -> [String: String] {
        try await database.read { db in
            var result: [String: String] = [:]
            for row in try await db.raw("SELECT unit_id, policy_id FROM lone_working_policy_units WHERE organisation_id = \(bind: organisationId)").all() {
                result[try row.string("unit_id")] = try row.string("policy_id")
            }
            return result
        }
    }

    static func decodePolicy(_ row: SQLRow) throws -> EscalationPolicy {
        let steps = (try? JSONDecoder().decode([EscalationStep].self, from: Data(try row.string("steps").utf8))) ?? []
        return EscalationPolicy(id: try row.string("id"), organisationId: try row.string("organisation_id"), name: try row.string("name"),
                                graceSeconds: try row.int("grace_seconds"), steps: steps)
    }

    // MARK: PINs

    /// Stores a user's PIN and duress PIN hashes (replacing earlier ones). The audit names the change, never the PINs.
    public func setPins(userId: String, organisationId: String, pinHash: String, duressHash: String, origin: Origin) async throws {
        let now = clock.now()
        try await database.write { [database] db in
            try await db.raw("DELETE FROM lone_working_pins WHERE user_id = \(bind: userId)").run()
            try await db.raw("""
                INSERT INTO lone_working_pins (user_id, organisation_id, pin_hash, duress_hash, updated_at)
                VALUES (\(bind: userId), \(bind: organisationId), \(bind: pinHash), \(bind: duressHash), \(bind: now.epochMilliseconds))
                """).run()
            try await database.audit(db, origin, "lone-working.pins.set", entity: "user", id: userId, at: now)
        }
    }

    public func pins(userId: String, organisationId: String) async throws -> (pin: String, duress: String)? {
        try await database.read { db in
            guard let row = try await db.raw("""
                SELECT pin_hash, duress_hash FROM lone_working_pins WHERE user_id = \(bind: userId) AND organisation_id = \(bind: organisationId)
                """).first() else { return nil }
            return (try row.string("pin_hash"), try row.string("duress_hash"))
        }
    }
}
