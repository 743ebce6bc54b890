import Foundation
import HavenCore
import SQLKit

/// The HR side of confidential cases: stage, trusted person, investigator, measures, support, retaliation check.
extension IncidentStore {
    /// The HR record of a confidential case; a confidential report without one (made in bulk) starts a new one.
    public func harassmentCase(incidentId: String, organisationId: String) async throws -> HarassmentCase? {
        try await database.read { db in
            if let row = try await db.raw("""
                SELECT * FROM harassment_cases WHERE incident_id = \(bind: incidentId) AND organisation_id = \(bind: organisationId)
                """).first() {
                return try Self.decodeHarassmentCase(row)
            }
            let incident = try await db.raw("""
                SELECT confidential FROM incidents WHERE id = \(bind: incidentId) AND organisation_id = \(bind: organisationId)
                """).first()
            return try incident?.flag("confidential") == true ? HarassmentCase(incidentId: incidentId) : nil
        }
    }

    public func save(_ harassmentCase: HarassmentCase, organisationId: String, origin: Origin) async throws {
        let now = clock.now()
        let c = harassmentCase
        try await database.write { [database] db in
            // An upsert: the row exists from the report, except for reports made in bulk.
            try await db.raw("""
                INSERT INTO harassment_cases (incident_id, organisation_id, stage, trusted_person_id, subject_id, investigator_id, investigation_due_on,
                                              measures, support, retaliation_check_due_on, retaliation_checked_at, retaliation_note, updated_at)
                VALUES (\(bind: c.incidentId), \(bind: organisationId), \(bind: c.stage.rawValue), \(bind: c.trustedPersonId), \(bind: c.subjectId),
                        \(bind: c.investigatorId), \(bind: c.investigationDueOn), \(bind: c.measures), \(bind: c.support),
                        \(bind: c.retaliationCheckDueOn), \(bind: c.retaliationCheckedAt?.epochMilliseconds), \(bind: c.retaliationNote),
                        \(bind: now.epochMilliseconds))
                ON CONFLICT (incident_id) DO UPDATE SET stage = excluded.stage, trusted_person_id = excluded.trusted_person_id,
                    subject_id = excluded.subject_id, investigator_id = excluded.investigator_id, investigation_due_on = excluded.investigation_due_on,
                    measures = excluded.measures, support = excluded.support, retaliation_check_due_on = excluded.retaliation_check_due_on,
                    retaliation_checked_at = excluded.retaliation_checked_at, retaliation_note = excluded.retaliation_note,
                    updated_at = excluded.updated_at
                """).run()
            try await database.audit(db, origin, "harassment-case.update", entity: "incident", id: c.incidentId, changes: [
                "stage": c.stage.rawValue, "investigatorId": c.investigatorId ?? "", "subjectId": c.subjectId ?? "",
                "retaliationChecked": String(c.retaliationCheckedAt != nil),
            ], at: now)
        }
    }

    /// Formal investigations past their target and retaliation checks that are due, for HR's attention.
    public func harassmentWorkDue(organisationId: String, today: String) async throws -> (investigations: Int, retaliationChecks: Int) {
        try await database.read { db in
            let investigations = try await db.raw("""
                SELECT COUNT(*) AS n FROM harassment_cases h JOIN incidents i ON i.id = h.incident_id
                WHERE h.organisation_id = \(bind: organisationId) AND h.stage = 'formal' AND h.investigation_due_on < \(bind: today)
                AND i.status <> 'closed'
                """).first()?.int("n") ?? 0
            let checks = try await db.raw("""
                SELECT COUNT(*) AS n FROM harassment_cases WHERE organisation_id = \(bind: organisationId)
                AND retaliation_check_due_on <= \(bind: today) AND retaliation_checked_at IS NULL
                """).first()?.int("n") ?? 0
            return (investigations, checks)
        }
    }

    static func decodeHarassmentCase(_ row: any SQLRow) throws -> HarassmentCase {
        HarassmentCase(incidentId: try row.string("incident_id"), stage: HarassmentCase.Stage(rawValue: try row.string("stage")) ?? .informal,
                       trustedPersonId: try row.optionalString("trusted_person_id"), subjectId: try row.optionalString("subject_id"),
                       investigatorId: try row.optionalString("investigator_id"), investigationDueOn: try row.optionalString("investigation_due_on"),
                       measures: try row.string("measures"), support: try row.string("support"),
                       retaliationCheckDueOn: try row.optionalString("retaliation_check_due_on"),
                       retaliationCheckedAt: try row.optionalDate("retaliation_checked_at"), retaliationNote: try row.string("retaliation_note"))
    }
}
