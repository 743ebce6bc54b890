import Foundation
import HavenCore
import SQLKit

/// Retention of use-of-force records (s6(6): at least three years from the date the record was made). An episode past
/// its period is anonymised, not deleted, as incidents are: the row keeps what the figures count (unit, times, the
/// interventions' types and lengths, harm, detention, learning disability or autism and the coded characteristics,
/// the calendar columns), so the monthly rollups and a rebuild of them stay the same, and it loses everything that
/// names or describes a person: the patient's name, NHS number and local identifier, mental disorder, the note,
/// the MHA section, the reason, place, description, outcome, efforts to avoid force, staff names and job titles,
/// non-staff involvement, prone justification, the review note and reviewer, the link to an incident, why police
/// body cameras were not on and where footage is held (s12; whether police attended and their cameras were on stays), and each
/// intervention's described position; its s9 investigation loses its words and people (`UseOfForceInvestigationStore.anonymise`);
/// its debriefs lose who took part and what was said, and its observations their notes.
extension UseOfForceStore {
    /// Episodes recorded before `cutoff` that still hold personal content, oldest first.
    public func episodesDue(organisationId: String, before cutoff: Date, limit: Int? = nil) async throws -> [String] {
        try await database.read { db in
            try await db.raw(Self.dueQuery(organisationId: organisationId, cutoff: cutoff, limit: limit, lock: "")).all().map { try $0.string("id") }
        }
    }

    /// Anonymises up to `limit` episodes due at `cutoff` in one transaction with one audit entry naming them
    /// (`use-of-force.retention-purge`); a batch that finds nothing is audited only when `auditEmpty`.
    public func anonymiseEpisodes(organisationId: String, before cutoff: Date, years: Int, limit: Int, auditEmpty: Bool,
                                  origin: Origin) async throws -> [String] {
        let now = clock.now()
        let lock = RetentionBatch.lock(database.dialect)
        return try await database.write { [database] db in
            let ids = try await db.raw(Self.dueQuery(organisationId: organisationId, cutoff: cutoff, limit: limit, lock: lock)).all()
                .map { try $0.string("id") }
            if !ids.isEmpty {
                // The distinct-patient counts of these months become lower bounds, in the same transaction.
                try await UseOfForceRollupSQL.anonymise(organisationId: organisationId, episodeIds: ids, on: db)
                try await db.raw("""
                    UPDATE use_of_force_episodes SET patient_name = NULL, nhs_number = NULL, patient_local_id = '', mental_disorder = NULL,
                        relevant_characteristics = NULL, detention_section = NULL, reason = '', place = '', description = '', outcome = '',
                        efforts_to_avoid = '', staff = '[]', non_staff_involvement = NULL, prone_justification = NULL, review_note = NULL,
                        police_body_camera_reason = NULL, footage_reference = NULL,
                        reviewed_by = NULL, incident_id = NULL, anonymised_at = \(bind: now.epochMilliseconds), updated_at = \(bind: now.epochMilliseconds)
                    WHERE organisation_id = \(bind: organisationId) AND id IN (\(binds: ids)) AND anonymised_at IS NULL
                    """).run()
                try await db.raw("UPDATE use_of_force_interventions SET position = NULL WHERE episode_id IN (\(binds: ids))").run()
                // Debriefs and observations keep when they were due and held; what people said goes.
                try await db.raw("""
                    UPDATE use_of_force_debriefs SET attendees = NULL, notes = NULL, patient_account = NULL, recorded_by = NULL
                    WHERE episode_id IN (\(binds: ids))
                    """).run()
                try await db.raw("""
                    UPDATE rapid_tranquillisation_observations SET notes = NULL, not_taken_reason = NULL, taken_by = NULL
                    WHERE episode_id IN (\(binds: ids))
                    """).run()
                try await UseOfForceInvestigationStore.anonymise(on: db, episodeIds: ids, organisationId: organisationId, now: now)
                // The alerts' in-app notifications link to the record (or its investigation) and name the unit and what happened.
                try await db.raw("""
                    DELETE FROM notifications WHERE organisation_id = \(bind: organisationId)
                      AND link IN (\(binds: ids.flatMap { ["/use-of-force/" + $0, "/use-of-force/\($0)/investigation"] }))
                    """).run()
            }
            try await RetentionBatch.audit(database, on: db, origin, action: "use-of-force.retention-purge", entity: "use-of-force",
                                           record: .useOfForce, ids: ids, years: years, period: ["recordedBefore": cutoff.iso8601],
                                           auditEmpty: auditEmpty, at: now)
            return ids
        }
    }

    /// `IS NULL` is written out so SQLite can prove the query matches the partial index and use it.
    static func dueQuery(organisationId: String, cutoff: Date, limit: Int?, lock: String) -> SQLQueryString {
        RetentionBatch.limited("""
            SELECT id FROM use_of_force_episodes WHERE organisation_id = \(bind: organisationId) AND anonymised_at IS NULL
              AND recorded_at < \(bind: cutoff.epochMilliseconds) ORDER BY recorded_at, id
            """, limit: limit, lock: lock)
    }
}
