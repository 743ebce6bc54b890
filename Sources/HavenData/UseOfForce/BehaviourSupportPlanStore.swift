import Foundation
import HavenCore
import SQLKit

/// The SQL of behaviour support plans, and the question the use-of-force rules ask of them: which patients have
/// had repeated interventions and no current plan.
public struct BehaviourSupportPlanStore: Sendable {
    public let database: Database
    public let clock: any HavenClock

    public init(database: Database, clock: any HavenClock) {
        self.database = database
        self.clock = clock
    }

    public func save(_ plan: BehaviourSupportPlan, isNew: Bool, origin: Origin) async throws {
        let now = clock.now().epochMilliseconds
        try await database.write { [database] db in
            if isNew {
                try await db.raw("""
                    INSERT INTO behaviour_support_plans (id, organisation_id, unit_id, patient_local_id, title, summary, starts_on, review_on,
                        ended_on, created_by, created_at, updated_at)
                    VALUES (\(bind: plan.id), \(bind: plan.organisationId), \(bind: plan.unitId), \(bind: plan.patientLocalId), \(bind: plan.title),
                        \(bind: plan.summary), \(bind: plan.startsOn), \(bind: plan.reviewOn), \(bind: plan.endedOn), \(bind: plan.createdBy),
                        \(bind: now), \(bind: now))
                    """).run()
            } else {
                try await db.raw("""
                    UPDATE behaviour_support_plans SET unit_id = \(bind: plan.unitId), patient_local_id = \(bind: plan.patientLocalId),
                        title = \(bind: plan.title), summary = \(bind: plan.summary), starts_on = \(bind: plan.startsOn),
                        review_on = \(bind: plan.reviewOn), ended_on = \(bind: plan.endedOn), updated_at = \(bind: now)
                    WHERE id = \(bind: plan.id) AND organisation_id = \(bind: plan.organisationId)
                    """).run()
            }
            // The audit names the plan and its dates, never its content (it describes a person).
            try await database.audit(db, origin, isNew ? "behaviour-support-plan.create" : "behaviour-support-plan.update",
                                     entity: "behaviour-support-plan", id: plan.id,
                                     changes: ["unitId": plan.unitId, "reviewOn": plan.reviewOn, "endedOn": plan.endedOn ?? ""],
                                     at: Date(epochMilliseconds: now))
        }
    }

    public func plan(id: String, organisationId: String) async throws -> BehaviourSupportPlan? {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM behaviour_support_plans WHERE id = \(bind: id) AND organisation_id = \(bind: organisationId)
                """).first().map(Self.decode)
        }
    }

    /// Plans in these units (nil: all), for one patient or all; newest start first.
    public func plans(organisationId: String, unitIds: Set<String>?, patientLocalId: String? = nil, limit: Int = 100, offset: Int = 0)
        async throws -> (items: [BehaviourSupportPlan], total: Int)
    {
        var conditions: [SQLQueryString] = ["organisation_id = \(bind: organisationId)"]
        if let unitIds {
            if unitIds.isEmpty { return ([], 0) }
            conditions.append("unit_id IN (\(binds: unitIds.sorted()))")
        }
        if let patientLocalId { conditions.append("patient_local_id = \(bind: patientLocalId)") }
        let whereClause = conditions.joined(separator: " AND ")
        return try await database.read { db in
            let total = try await db.raw("SELECT COUNT(*) AS n FROM behaviour_support_plans WHERE \(whereClause)").first()?.int("n") ?? 0
            let items = try await db.raw("""
                SELECT * FROM behaviour_support_plans WHERE \(whereClause) ORDER BY starts_on DESC, id
                LIMIT \(unsafeRaw: String(limit)) OFFSET \(unsafeRaw: String(offset))
                """).all().map(Self.decode)
            return (items, total)
        }
    }

    public struct PatientNeedingPlan: Sendable, Equatable {
        public var patientLocalId: String
        public var unitId: String
        public var interventions: Int
    }

    /// Patients with at least `UseOfForceRules.repeatedInterventions` interventions that began since `since`, in these
    /// units (nil: all), who have no plan current on `today`. One row per patient, with the unit of their latest episode.
    public func patientsNeedingPlans(organisationId: String, unitIds: Set<String>?, since: Date, today: String,
                                     patientLocalId: String? = nil) async throws -> [PatientNeedingPlan] {
        if let unitIds, unitIds.isEmpty { return [] }
        var sql: SQLQueryString = """
            SELECT e.patient_local_id AS patient, MAX(e.unit_id) AS unit, COUNT(*) AS n
            FROM use_of_force_interventions i JOIN use_of_force_episodes e ON e.id = i.episode_id
            WHERE e.organisation_id = \(bind: organisationId) AND i.started_at >= \(bind: since.epochMilliseconds)
            """
        if let unitIds { sql = sql + " AND e.unit_id IN (\(binds: unitIds.sorted()))" }
        if let patientLocalId { sql = sql + " AND e.patient_local_id = \(bind: patientLocalId)" }
        sql = sql + """
             AND NOT EXISTS (SELECT 1 FROM behaviour_support_plans p WHERE p.organisation_id = e.organisation_id
                 AND p.patient_local_id = e.patient_local_id AND p.starts_on <= \(bind: today)
                 AND (p.ended_on IS NULL OR p.ended_on > \(bind: today)))
            GROUP BY e.patient_local_id HAVING COUNT(*) >= \(bind: UseOfForceRules.repeatedInterventions) ORDER BY n DESC, patient LIMIT 200
            """
        let query = sql
        return try await database.read { db in
            try await db.raw(query).all().map {
                PatientNeedingPlan(patientLocalId: try $0.string("patient"), unitId: try $0.string("unit"), interventions: try $0.int("n"))
            }
        }
    }

    /// How many interventions began since `since` for one patient, and whether they have a plan current on `today`.
    public func repeatedInterventions(organisationId: String, patientLocalId: String, since: Date, today: String) async throws -> (count: Int, hasCurrentPlan: Bool) {
        try await database.read { db in
            // Newest episodes first, from the patient index, and only those that began up to a window before `since`
            // (an intervention starting a month after its episode began is not one episode), stopping at the cap:
            // the cost stays the same however long the patient's history.
            let earliestEpisode = since - TimeInterval(UseOfForceRules.repeatedWindowDays * 86_400)
            // One statement for both answers: it runs on every record, so one query fewer matters (PERFORMANCE.md).
            let row = try await db.raw("""
                SELECT (SELECT COUNT(*) FROM (
                    SELECT 1 FROM use_of_force_episodes e JOIN use_of_force_interventions i ON i.episode_id = e.id
                    WHERE e.organisation_id = \(bind: organisationId) AND e.patient_local_id = \(bind: patientLocalId)
                      AND e.started_at >= \(bind: earliestEpisode.epochMilliseconds) AND i.started_at >= \(bind: since.epochMilliseconds)
                    ORDER BY e.started_at DESC LIMIT \(bind: UseOfForceRules.repeatedInterventionsCountedUpTo)
                ) AS recent) AS n,
                CASE WHEN EXISTS (
                    SELECT 1 FROM behaviour_support_plans WHERE organisation_id = \(bind: organisationId) AND patient_local_id = \(bind: patientLocalId)
                      AND starts_on <= \(bind: today) AND (ended_on IS NULL OR ended_on > \(bind: today))
                ) THEN 1 ELSE 0 END AS has_plan
                """).first()
            return (try row?.int("n") ?? 0, try row?.flag("has_plan") ?? false)
        }
    }

    static func decode(_ row: SQLRow) throws -> BehaviourSupportPlan {
        BehaviourSupportPlan(id: try row.string("id"), organisationId: try row.string("organisation_id"), unitId: try row.string("unit_id"),
                             patientLocalId: try row.string("patient_local_id"), title: try row.string("title"), summary: try row.string("summary"),
                             startsOn: try row.string("starts_on"), reviewOn: try row.string("review_on"),
                             endedOn: try row.optionalString("ended_on"), createdBy: try row.string("created_by"))
    }
}
