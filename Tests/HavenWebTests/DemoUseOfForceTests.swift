import Foundation
import HavenCore
import HavenData
import HavenServices
import HavenTestSupport
import SQLKit
import Testing

@Suite("haven demo --use-of-force: the generator")
struct DemoUseOfForceTests {
    @Test("Generates the count asked for on inpatient units, valid records whose bulk rollups equal a rebuild, with bed days and populations")
    func generates() async throws {
        try await DemoIncidentsTests().withDemo { environment, organisation in
            let saved = try await DemoUseOfForce.generate(environment, organisation: organisation, count: 1_200, seed: 3)
            #expect(saved == 1_200)
            let store = environment.useOfForce.store
            #expect(try await store.count(organisationId: organisation.id) == 1_200)
            let units = try await environment.organisations.units(organisationId: organisation.id)
            let inpatient = Set(units.filter { $0.kind == .mentalHealthWard || $0.kind == .inpatientWard }.map(\.id))
            let (episodes, _) = try await store.episodes(organisationId: organisation.id, .init(limit: 1_200))
            let now = environment.clock.now()
            var types: [RestrictiveInterventionType: Int] = [:]
            for stored in episodes {
                let episode = stored.episode
                #expect(inpatient.contains(episode.unitId))
                #expect(episode.startedAt <= now && episode.startedAt > now.addingTimeInterval(-Double(DemoUseOfForce.historyDays + 2) * 86_400))
                #expect(episode.patient.nhsNumber.map(NHSNumber.isValid) ?? true)
                #expect(!episode.interventions.contains { $0.type == .prone } || episode.proneJustification != nil)
                for intervention in episode.interventions { types[intervention.type, default: 0] += 1 }
            }
            // Physical restraint is the most common kind, prone a small share of it.
            let physical = types.filter { $0.key.isPhysicalRestraint }.values.reduce(0, +), all = types.values.reduce(0, +)
            #expect(physical * 2 > all && (types[.prone] ?? 0) * 5 < physical && (types[.prone] ?? 0) > 0)

            let timeZone = try #require(TimeZone(identifier: organisation.timeZone))
            let to = CalendarMonth(now, in: timeZone), from = to.adding(months: -40)
            let generated = try await store.statistics(organisationId: organisation.id, from: from, to: to, unitIds: nil)
            #expect(generated.totals.measures.episodes == 1_200)
            #expect(generated.totals.monthsWithoutBedDays == 0 && generated.totals.restraintsPerThousandBedDays != nil)
            let ethnicity = try #require(generated.characteristics.first { $0.characteristic == .ethnicity })
            #expect((ethnicity.values.first { $0.code == "N" }?.episodeRatio ?? 0) > 1.2, "Black African patients are restrained more than their share")
            try await store.rebuildStatistics(organisationId: organisation.id)
            #expect(try await store.statistics(organisationId: organisation.id, from: from, to: to, unitIds: nil) == generated)

            // One audit entry for the whole generation, not one per episode.
            let audited = try await environment.database.read { db in
                try await db.raw("SELECT changes FROM audit_events WHERE action = 'use-of-force.generate'").all().count
            }
            #expect(audited == 1)
        }
    }
}
