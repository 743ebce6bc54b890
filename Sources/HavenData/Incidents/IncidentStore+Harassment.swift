import Foundation
import HavenCore
import SQLKit

/// The HR side of confidential cases: stage, trusted person, investigator, measures, support, retaliation check.
extension IncidentStore {
    public func harassmentCase(incidentId: String, organisationId: String) async throws -> HarassmentCase? {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM harassment_cases WHERE incident_id = \(bind: incidentId) AND organisation_id = \(bind: organisationId)
                """).first().map(Self.decodeHarassmentCase)
        }
    }

    public func save(_ harassmentCase: HarassmentCase, organisationId: String, origin: Origin) async throws {
        let now = clock.now()
        let c = harassmentCase
        try await database.write { [database] db in
            try await db.raw("""
                UPDATE harassment_cases SET stage = \(bind: c.stage.rawValue), trusted_person_id = \(bind: c.trustedPersonId),
                    subject_id = \(bind: c.subjectId), investigator_id = \(bind: c.investigatorId), investigation_due_on = \(bind: c.investigationDueOn),
                    measures = \(bind: c.measures), support = \(bind: c.support), retaliation_check_due_on = \(bind: c.retaliationCheckDueOn),
                    retaliation_checked_at = \(bind: c.retaliationCheckedAt?.epochMilliseconds), retaliation_note = \(bind: c.retaliationNote),
                    updated_at = \(bind: now.epochMilliseconds)
                WHERE incident_id = \(bind: c.incidentId) AND organisation_id = \(bind: organisationId)
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
