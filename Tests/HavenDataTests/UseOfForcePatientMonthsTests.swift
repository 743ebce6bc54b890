import Foundation
import HavenCore
import HavenData
import HavenTestSupport
import SQLKit
import Testing

/// The distinct-patient counts come from patient-months kept on write (migration 23); these tests hold them against a
/// count from scratch over the episodes as records are made, corrected and anonymised.
@Suite("Use of force: distinct patients kept on write")
struct UseOfForcePatientMonthsTests {
    let base = UseOfForceStoreTests()
    let november = CalendarMonth("2026-11")!, december = CalendarMonth("2026-12")!

    func episode(_ id: String, _ organisationId: String, unit: String, user: String, patient: String, ago: TimeInterval) throws -> UseOfForceEpisode {
        var episode = try base.episode(id: id, organisationId: organisationId, unitId: unit, userId: user, startedAgo: ago, prone: false)
        episode.patient.localIdentifier = patient
        return episode
    }

    /// The definition: every unit, month and patient of the organisation's episodes, counted at each level.
    func fromScratch(_ database: Database, _ organisationId: String, units: Set<String>? = nil) async throws -> DistinctPatients {
        let rows = try await database.read { db in
            try await db.raw("SELECT DISTINCT unit_id, local_month, patient_local_id FROM use_of_force_episodes WHERE organisation_id = \(bind: organisationId)").all()
        }
        return DistinctPatients(try rows.compactMap { row -> (String, CalendarMonth, String)? in
            let unit = try row.decode(column: "unit_id", as: String.self)
            guard units?.contains(unit) ?? true else { return nil }
            return (unit, CalendarMonth(try row.decode(column: "local_month", as: String.self))!, try row.decode(column: "patient_local_id", as: String.self))
        })
    }

    @Test("A correction moving an episode to another unit, month or patient moves its patient; anonymisation makes the counts lower bounds; always equal to a count from scratch and to a rebuild")
    func patientsFollowTheRecords() async throws {
        try await TestDatabase.with { database in
            let (store, organisationId, units, userId, clock) = try await base.setUp(database)
            let oak = units[0], elm = units[1]
            let origin = Origin(organisationId: organisationId, actorId: userId)
            let lastMonth: TimeInterval = 40 * 86_400
            // P-1 twice on Oak in December and once on Elm; P-2 on Oak in December; P-3 on Elm in November.
            for (id, unit, patient, ago) in [("a", oak, "P-1", 7200.0), ("b", oak, "P-1", 3600), ("c", oak, "P-2", 5400),
                                             ("d", elm, "P-1", 1800), ("e", elm, "P-3", lastMonth)] {
                try await store.record(try episode(id, organisationId, unit: unit, user: userId, patient: patient, ago: ago),
                                       timeZone: UseOfForceStoreTests.london, origin: origin)
            }
            func patients(_ unitIds: Set<String>? = nil) async throws -> DistinctPatients {
                try await store.statistics(organisationId: organisationId, from: november, to: december, unitIds: unitIds).patients
            }
            var counted = try await patients()
            #expect(counted.total == PatientCount(patients: 3) && counted.unit(oak).patients == 2 && counted.unit(elm).patients == 2)
            #expect(counted.month(december).patients == 2 && counted.month(november).patients == 1, "P-1 on two units is one patient of December")
            #expect(counted.byUnitMonth[oak]?[december] == PatientCount(patients: 2) && counted.byUnitMonth[elm]?[november] == PatientCount(patients: 1))
            #expect(counted == (try await fromScratch(database, organisationId)))
            #expect(try await patients([oak]) == (try await fromScratch(database, organisationId, units: [oak])), "a manager's units alone")

            func correct(_ id: String, _ change: (inout UseOfForceEpisode) -> Void) async throws {
                let stored = try #require(try await store.episode(id: id, organisationId: organisationId))
                var corrected = stored.episode
                change(&corrected)
                #expect(try await store.update(corrected, readAt: stored.updatedAt, changedItems: ["a"], timeZone: UseOfForceStoreTests.london, origin: origin))
            }
            // c moves to Elm, to November and to another patient (P-2 is then gone); b moves to Elm (P-1 stays on Oak through a).
            try await correct("c") { e in
                e.unitId = elm; e.patient.localIdentifier = "P-4"
                for i in e.interventions.indices { e.interventions[i].startedAt -= lastMonth; e.interventions[i].endedAt -= lastMonth }
            }
            try await correct("b") { e in e.unitId = elm }
            counted = try await patients()
            #expect(counted.total == PatientCount(patients: 3) && counted.byUnitMonth[oak]?[december] == PatientCount(patients: 1))
            #expect(counted.byUnitMonth[elm]?[november] == PatientCount(patients: 2) && counted.byUnitMonth[elm]?[december] == PatientCount(patients: 1))
            #expect(counted.month(november).patients == 2 && counted.month(december).patients == 1 && counted.unit(elm).patients == 3)
            #expect(counted == (try await fromScratch(database, organisationId)))

            // Retention anonymises a (P-1 on Oak in December): P-1 is no longer told apart there, so Oak's December,
            // Oak, December and the range say "at least"; Elm's November does not.
            let year: Int64 = 365 * 86_400_000
            try await database.write { db in
                try await db.raw("UPDATE use_of_force_episodes SET recorded_at = \(bind: clock.now().epochMilliseconds - 4 * year) WHERE id = 'a'").run()
            }
            let purged = try await store.anonymiseEpisodes(organisationId: organisationId, before: RetentionPolicy.cutoff(now: clock.now(), years: 3),
                                                           years: 3, limit: 500, auditEmpty: false, origin: origin)
            #expect(purged == ["a"])
            counted = try await patients()
            #expect(counted.byUnitMonth[oak]?[december] == PatientCount(patients: 0, incomplete: true))
            #expect(counted.total == PatientCount(patients: 3, incomplete: true), "P-1 is still counted through b and d on Elm")
            #expect(counted.unit(oak) == PatientCount(patients: 0, incomplete: true) && counted.month(december) == PatientCount(patients: 1, incomplete: true))
            #expect(counted.byUnitMonth[elm]?[november] == PatientCount(patients: 2, incomplete: false))
            #expect(counted == (try await fromScratch(database, organisationId)))

            // Rebuilding from the episodes, and migration 23's own backfill, give the same counts as those kept on write.
            try await store.rebuildStatistics(organisationId: organisationId)
            #expect(try await patients() == counted)
            let migration = try #require(Migrations.all.first { $0.version == 23 })
            try await database.write { db in
                for statement in migration.statements(for: database.dialect).drop(while: { !$0.hasPrefix("DELETE") }) {
                    try await db.raw("\(unsafeRaw: statement)").run()
                }
            }
            #expect(try await patients() == counted)
        }
    }
}
