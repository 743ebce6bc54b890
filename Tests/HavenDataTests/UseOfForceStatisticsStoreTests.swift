import Foundation
import HavenCore
import HavenData
import HavenTestSupport
import SQLKit
import Testing

@Suite("Use of force: the monthly rollups and populations")
struct UseOfForceStatisticsStoreTests {
    let base = UseOfForceStoreTests()
    let december = CalendarMonth("2026-12")!

    func episode(_ id: String, _ organisationId: String, unit: String, user: String, ago: TimeInterval, prone: Bool,
                 ethnicity: String) throws -> UseOfForceEpisode {
        var episode = try base.episode(id: id, organisationId: organisationId, unitId: unit, userId: user, startedAgo: ago, prone: prone)
        episode.patient.characteristics = RelevantCharacteristics([.ethnicity: ethnicity, .sex: "female"])
        return episode
    }

    @Test("Recording and correcting keep the monthly sums in step, and equal to a rebuild from the episodes")
    func rollupsFollowTheRecords() async throws {
        try await TestDatabase.with { database in
            let (store, organisationId, units, userId, _) = try await base.setUp(database)
            let origin = Origin(organisationId: organisationId, actorId: userId)
            // Each helper episode: a 12-minute hold (prone or supine, pain-based) and oral medication; serious injury.
            try await store.record(try episode("a", organisationId, unit: units[0], user: userId, ago: 7200, prone: true, ethnicity: "N"),
                                   timeZone: UseOfForceStoreTests.london, origin: origin)
            try await store.record(try episode("b", organisationId, unit: units[0], user: userId, ago: 3600, prone: false, ethnicity: "N"),
                                   timeZone: UseOfForceStoreTests.london, origin: origin)
            try await store.record(try episode("c", organisationId, unit: units[1], user: userId, ago: 1800, prone: true, ethnicity: "A"),
                                   timeZone: UseOfForceStoreTests.london, origin: origin)
            var statistics = try await store.statistics(organisationId: organisationId, from: december, to: december, unitIds: nil)
            let totals = statistics.totals.measures
            #expect(totals.episodes == 3 && totals.restraints == 3 && totals.restraintSeconds == 3 * 720)
            #expect(totals.prone == 2 && totals.proneTenMinutes == 2 && totals.chemical == 3 && totals.painBased == 3 && totals.seriousInjuries == 3)
            #expect(statistics.totals.medianRestraintMinutes == 12 && statistics.totals.maximumRestraintMinutes == 12)
            #expect(statistics.unit(units[0]).measures.episodes == 2 && statistics.unit(units[1]).measures.episodes == 1)
            let ethnicity = try #require(statistics.characteristics.first { $0.characteristic == .ethnicity })
            #expect(ethnicity.values.first { $0.code == "N" }?.measures.episodes == 2)
            #expect(ethnicity.values.first { $0.code == "A" }?.measures.prone == 1)

            // A manager of the first unit sees only its figures.
            let oakOnly = try await store.statistics(organisationId: organisationId, from: december, to: december, unitIds: [units[0]])
            #expect(oakOnly.totals.measures.episodes == 2 && oakOnly.byUnitMonth[units[1]] == nil)

            // A correction moves episode b to the other unit, makes it a 40-minute hold and changes the ethnicity.
            let stored = try #require(try await store.episode(id: "b", organisationId: organisationId))
            var corrected = stored.episode
            corrected.unitId = units[1]
            corrected.interventions[0].endedAt = corrected.interventions[0].startedAt + 2400
            corrected.patient.characteristics = RelevantCharacteristics([.ethnicity: "M"])
            #expect(try await store.update(corrected, readAt: stored.updatedAt, changedItems: ["b"], timeZone: UseOfForceStoreTests.london, origin: origin))
            statistics = try await store.statistics(organisationId: organisationId, from: december, to: december, unitIds: nil)
            #expect(statistics.unit(units[0]).measures.episodes == 1 && statistics.unit(units[1]).measures.episodes == 2)
            #expect(statistics.totals.measures.restraintSeconds == 2 * 720 + 2400 && statistics.totals.maximumRestraintMinutes == 40)
            let after = try #require(statistics.characteristics.first { $0.characteristic == .ethnicity })
            #expect(after.values.first { $0.code == "N" }?.measures.episodes == 1 && after.values.first { $0.code == "M" }?.measures.episodes == 1)
            let sex = try #require(statistics.characteristics.first { $0.characteristic == .sex })
            #expect(sex.values.first { $0.code == "female" }?.measures.episodes == 2 && sex.values.first { $0.code == "not-known" }?.measures.episodes == 1)
            // Median and longest restraint by value: the 40-minute hold moved from N to M, and from female to not known.
            let black = try #require(after.values.first { $0.code == "N" }), mixed = try #require(after.values.first { $0.code == "M" })
            #expect(black.medianRestraintMinutes == 12 && black.maximumRestraintMinutes == 12 && black.minutes == [12: 1])
            #expect(mixed.medianRestraintMinutes == 40 && mixed.maximumRestraintMinutes == 40)
            #expect(sex.values.first { $0.code == "female" }?.minutes == [12: 2] && sex.values.first { $0.code == "not-known" }?.minutes == [40: 1])
            let white = try #require(after.values.first { $0.code == "A" })
            #expect(white.minutes == [12: 1] && after.values.first { $0.code == "C" }?.medianRestraintMinutes == nil)

            // The migration's backfill and the demo's bulk insert rebuild the same sums from the episodes.
            try await store.rebuildStatistics(organisationId: organisationId)
            let rebuilt = try await store.statistics(organisationId: organisationId, from: december, to: december, unitIds: nil)
            #expect(rebuilt == statistics)
            // Migration 14's own backfill (every organisation) gives the same sums for episodes recorded before it.
            let migration = try #require(Migrations.all.first { $0.version == 14 })
            try await database.write { db in
                for statement in migration.statements(for: database.dialect).drop(while: { !$0.hasPrefix("DELETE") }) {
                    try await db.raw("\(unsafeRaw: statement)").run()
                }
            }
            #expect(try await store.statistics(organisationId: organisationId, from: december, to: december, unitIds: nil) == statistics)
            // So does migration 24's (restraint lengths by characteristic value).
            let lengths = try #require(Migrations.all.first { $0.version == 24 })
            try await database.write { db in
                for statement in lengths.statements(for: database.dialect).drop(while: { !$0.hasPrefix("DELETE") }) {
                    try await db.raw("\(unsafeRaw: statement)").run()
                }
            }
            #expect(try await store.statistics(organisationId: organisationId, from: december, to: december, unitIds: nil) == statistics)
            #expect(try await store.statistics(organisationId: organisationId, from: CalendarMonth("2026-11")!, to: CalendarMonth("2026-11")!,
                                               unitIds: nil).totals.measures.isZero)
        }
    }

    @Test("Bed days give the rate, populations give the ratio; an overlapping period is refused and changes nothing")
    func ratesAndPopulations() async throws {
        try await TestDatabase.with { database in
            let (store, organisationId, units, userId, clock) = try await base.setUp(database)
            let origin = Origin(organisationId: organisationId, actorId: userId)
            try await store.record(try episode("a", organisationId, unit: units[0], user: userId, ago: 7200, prone: false, ethnicity: "N"),
                                   timeZone: UseOfForceStoreTests.london, origin: origin)
            try await store.record(try episode("b", organisationId, unit: units[0], user: userId, ago: 3600, prone: false, ethnicity: "A"),
                                   timeZone: UseOfForceStoreTests.london, origin: origin)
            let organisations = OrganisationStore(database: database, clock: clock)
            try await organisations.record(UnitActivity(unitId: units[0], month: "2026-12", occupiedBedDays: 400, staffWTE: nil), origin: origin)
            let year = UseOfForcePopulation(unitId: units[0], from: CalendarMonth("2026-04")!, to: CalendarMonth("2027-03")!,
                                            patients: [.ethnicity: ["N": 10, "A": 30, "not-known": 5]])
            #expect(try await store.setPopulation(year, organisationId: organisationId, origin: origin) == nil)
            let overlapping = UseOfForcePopulation(unitId: units[0], from: CalendarMonth("2027-01")!, to: CalendarMonth("2027-12")!,
                                                   patients: [.ethnicity: ["N": 99]])
            #expect(try await store.setPopulation(overlapping, organisationId: organisationId, origin: origin) == CalendarMonth("2026-04"))
            let otherUnit = UseOfForcePopulation(unitId: units[1], from: CalendarMonth("2027-01")!, to: CalendarMonth("2027-12")!,
                                                 patients: [.ethnicity: ["N": 1]])
            #expect(try await store.setPopulation(otherUnit, organisationId: organisationId, origin: origin) == nil, "another unit's period may overlap")

            let statistics = try await store.statistics(organisationId: organisationId, from: december, to: december, unitIds: [units[0]])
            #expect(statistics.totals.restraintsPerThousandBedDays == 5, "2 restraints over 400 bed days")
            let ethnicity = try #require(statistics.characteristics.first { $0.characteristic == .ethnicity })
            let black = try #require(ethnicity.values.first { $0.code == "N" })
            #expect(black.patients == 10 && black.episodeShare == 0.5 && black.populationShare == 0.25 && black.episodeRatio == 2)

            // The same unit and first month replaces the counts.
            var replaced = year
            replaced.patients = [.ethnicity: ["N": 20, "A": 20]]
            #expect(try await store.setPopulation(replaced, organisationId: organisationId, origin: origin) == nil)
            let periods = try await store.populations(organisationId: organisationId, unitIds: [units[0]])
            #expect(periods.count == 1 && periods[0].patients == replaced.patients)
            let audited = try await database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'use-of-force.population'").first()?.decode(column: "n", as: Int.self)
            }
            #expect(audited == 3, "three saves; the refused overlap wrote nothing")
        }
    }
}

@Suite("Use of force: retention (s6(6))")
struct UseOfForceRetentionTests {
    let base = UseOfForceStoreTests()

    @Test("Records made longer ago than the period lose their personal content in an audited batch; figures stay; never under 3 years")
    func purge() async throws {
        try await TestDatabase.with { database in
            let (store, organisationId, units, userId, clock) = try await base.setUp(database)
            let origin = Origin(organisationId: organisationId, actorId: userId)
            for id in ["old", "recent"] {
                var episode = try base.episode(id: id, organisationId: organisationId, unitId: units[0], userId: userId, startedAgo: 7200, prone: true)
                episode.patient.name = "Alex Doe"
                episode.patient.characteristics = RelevantCharacteristics([.ethnicity: "N"])
                try await store.record(episode, timeZone: UseOfForceStoreTests.london, origin: origin)
            }
            // "old" was made just over three years ago, "recent" just under.
            let year: Int64 = 365 * 86_400_000
            let now = clock.now().epochMilliseconds
            try await database.write { db in
                try await db.raw("UPDATE use_of_force_episodes SET recorded_at = \(bind: now - 3 * year - 2 * 86_400_000) WHERE id = 'old'").run()
                try await db.raw("UPDATE use_of_force_episodes SET recorded_at = \(bind: now - 3 * year + 2 * 86_400_000) WHERE id = 'recent'").run()
            }
            let december = CalendarMonth("2026-12")!
            let before = try await store.statistics(organisationId: organisationId, from: december, to: december, unitIds: nil)

            // The england rule pack's minimum is 3 years: a setting of 3 is the shortest the purge can use.
            #expect(RetentionPolicy.rule(for: .useOfForce, rulePack: .england).minimumYears == 3)
            #expect(RetentionPolicy.effectiveYears(1, for: .useOfForce, rulePack: .england) == 3)
            let cutoff = RetentionPolicy.cutoff(now: clock.now(), years: 3)
            #expect(try await store.episodesDue(organisationId: organisationId, before: cutoff) == ["old"])
            let purged = try await store.anonymiseEpisodes(organisationId: organisationId, before: cutoff, years: 3, limit: 500, auditEmpty: true, origin: origin)
            #expect(purged == ["old"])
            let old = try #require(try await store.episode(id: "old", organisationId: organisationId)).episode
            #expect(old.patient.name == nil && old.patient.nhsNumber == nil && old.patient.localIdentifier.isEmpty && old.patient.mentalDisorder == nil)
            #expect(old.reason.isEmpty && old.place.isEmpty && old.description.isEmpty && old.outcome.isEmpty && old.effortsToAvoid.isEmpty)
            #expect(old.staff.isEmpty && old.nonStaffInvolvement == nil && old.proneJustification == nil && old.patient.detentionSection == nil)
            #expect(old.interventions.map(\.type) == [.prone, .oral] && old.harm == .seriousInjury, "what the figures count stays")
            #expect(old.patient.characteristics[.ethnicity] == "N")
            let recent = try #require(try await store.episode(id: "recent", organisationId: organisationId)).episode
            #expect(recent.patient.name == "Alex Doe" && recent.patient.nhsNumber == "4010232137" && !recent.staff.isEmpty, "under three years: untouched")
            // Every sum stays; only the distinct patients change: the anonymised episode's patient can no longer be told
            // apart, so the count says "at least".
            var after = try await store.statistics(organisationId: organisationId, from: december, to: december, unitIds: nil)
            #expect(before.patients.total == PatientCount(patients: 1, incomplete: false))
            #expect(after.patients.total == PatientCount(patients: 1, incomplete: true))
            after.patients = before.patients
            #expect(after == before)
            try await store.rebuildStatistics(organisationId: organisationId)
            var rebuilt = try await store.statistics(organisationId: organisationId, from: december, to: december, unitIds: nil)
            rebuilt.patients = before.patients
            #expect(rebuilt == before, "a rebuild after the purge gives the same figures")

            let again = try await store.anonymiseEpisodes(organisationId: organisationId, before: cutoff, years: 3, limit: 500, auditEmpty: true, origin: origin)
            #expect(again.isEmpty, "a second run changes nothing")
            let entries = try await AuditLog.list(database, filter: .init(organisationId: organisationId, action: "use-of-force.retention-purge"))
            #expect(entries.count == 2, "one entry a run, also for a run that found nothing")
            let changes = try JSONDecoder().decode([String: String].self, from: Data(try #require(entries.last).changes.utf8))
            #expect(changes["count"] == "1" && changes["ids"] == "old" && changes["retentionYears"] == "3")
        }
    }
}
