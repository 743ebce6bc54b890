import Foundation
import HavenCore
import SQLKit

/// Retention of the records that go with use of force, on the same daily purge as the episodes:
/// - a **behaviour support plan** is deleted once its period has passed since it stopped applying: since the day it
///   ended, or, for a plan never ended, since the day it was last due for review (a plan nobody has reviewed for
///   years is not in use), and only when it has not been changed since. Nothing counts plans, so nothing is kept.
/// - a **negligible-force record** is anonymised once its period has passed since it was made: it keeps the unit,
///   the hold, its times and length and its month (the analytics count it) and loses the patient's local identifier
///   and the description of what was done.
/// Each batch is one transaction with one audit entry naming what it purged.
extension BehaviourSupportPlanStore {
    /// Plans past `cutoff` (a moment; the day is its UTC date), oldest first.
    public func plansDue(organisationId: String, before cutoff: Date, limit: Int? = nil) async throws -> [String] {
        try await database.read { db in
            try await db.raw(Self.dueQuery(organisationId: organisationId, cutoff: cutoff, limit: limit)).all().map { try $0.string("id") }
        }
    }

    public func purgePlans(organisationId: String, before cutoff: Date, years: Int, limit: Int, auditEmpty: Bool, origin: Origin) async throws -> [String] {
        let now = clock.now()
        return try await database.write { [database] db in
            let ids = try await db.raw(Self.dueQuery(organisationId: organisationId, cutoff: cutoff, limit: limit)).all().map { try $0.string("id") }
            if !ids.isEmpty {
                try await db.raw("DELETE FROM behaviour_support_plans WHERE organisation_id = \(bind: organisationId) AND id IN (\(binds: ids))").run()
            }
            try await RetentionBatch.audit(database, on: db, origin, action: "behaviour-support-plan.retention-purge", entity: "behaviour-support-plan",
                                           record: .behaviourSupportPlans, ids: ids, years: years,
                                           period: ["endedBefore": String(cutoff.iso8601.prefix(10)), "action": "deleted"], auditEmpty: auditEmpty, at: now)
            return ids
        }
    }

    static func dueQuery(organisationId: String, cutoff: Date, limit: Int?) -> SQLQueryString {
        let day = String(cutoff.iso8601.prefix(10))
        return RetentionBatch.limited("""
            SELECT id FROM behaviour_support_plans WHERE organisation_id = \(bind: organisationId)
              AND ((ended_on IS NOT NULL AND ended_on < \(bind: day)) OR (ended_on IS NULL AND review_on < \(bind: day)))
              AND updated_at < \(bind: cutoff.epochMilliseconds)
            ORDER BY updated_at, id
            """, limit: limit)
    }
}

extension NegligibleForceStore {
    /// Short records made before `cutoff` that still name the patient, oldest first.
    public func usesDue(organisationId: String, before cutoff: Date, limit: Int? = nil) async throws -> [String] {
        try await database.read { db in
            try await db.raw(Self.dueQuery(organisationId: organisationId, cutoff: cutoff, limit: limit, lock: "")).all().map { try $0.string("id") }
        }
    }

    public func anonymiseUses(organisationId: String, before cutoff: Date, years: Int, limit: Int, auditEmpty: Bool, origin: Origin) async throws -> [String] {
        let now = clock.now()
        let lock = RetentionBatch.lock(database.dialect)
        return try await database.write { [database] db in
            let ids = try await db.raw(Self.dueQuery(organisationId: organisationId, cutoff: cutoff, limit: limit, lock: lock)).all()
                .map { try $0.string("id") }
            if !ids.isEmpty {
                try await db.raw("""
                    UPDATE negligible_force_uses SET patient_local_id = '', description = '', anonymised_at = \(bind: now.epochMilliseconds)
                    WHERE organisation_id = \(bind: organisationId) AND id IN (\(binds: ids)) AND anonymised_at IS NULL
                    """).run()
            }
            try await RetentionBatch.audit(database, on: db, origin, action: "use-of-force.negligible-retention-purge", entity: "negligible-force",
                                           record: .negligibleForce, ids: ids, years: years, period: ["recordedBefore": cutoff.iso8601],
                                           auditEmpty: auditEmpty, at: now)
            return ids
        }
    }

    /// `IS NULL` is written out so SQLite can use the partial index of records not yet anonymised.
    static func dueQuery(organisationId: String, cutoff: Date, limit: Int?, lock: String) -> SQLQueryString {
        RetentionBatch.limited("""
            SELECT id FROM negligible_force_uses WHERE organisation_id = \(bind: organisationId) AND anonymised_at IS NULL
              AND recorded_at < \(bind: cutoff.epochMilliseconds) ORDER BY recorded_at, id
            """, limit: limit, lock: lock)
    }
}
