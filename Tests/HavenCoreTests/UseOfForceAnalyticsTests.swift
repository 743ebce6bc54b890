import Foundation
import HavenCore
import Testing

@Suite("Use of force: reduction analytics arithmetic")
struct UseOfForceAnalyticsTests {
    @Test("An episode adds its restraints, prone (and prone of 10 minutes), seclusion seconds, chemical restraint and harm")
    func measures() throws {
        var d = UseOfForceTests().draft()
        let now = UseOfForceTests().now
        d.interventions = [.init(type: "01", startedAt: now - 3000, endedAt: now - 2400, plannedInCarePlan: false, painBased: true),
                           .init(type: "09", startedAt: now - 2400, endedAt: now - 2340, plannedInCarePlan: false),
                           .init(type: "05", startedAt: now - 2300, endedAt: now - 500, plannedInCarePlan: false),
                           .init(type: "14", startedAt: now - 2350, endedAt: now - 2340, plannedInCarePlan: false)]
        d.proneJustification = "Fell forward"
        d.harm = "serious-injury"
        let episode = try d.validated(id: "e", organisationId: "o", recordedBy: "u", now: now)
        let m = UseOfForceMeasures(episode)
        #expect(m.episodes == 1 && m.restraints == 2 && m.restraintSeconds == 660)
        #expect(m.prone == 1 && m.proneTenMinutes == 1, "600 seconds prone is 10 minutes or more")
        #expect(m.seclusions == 1 && m.seclusionSeconds == 1800 && m.segregations == 0)
        #expect(m.chemical == 1 && m.rapidTranquillisation == 1 && m.painBased == 1 && m.seriousInjuries == 1 && m.deaths == 0)
        #expect((m + -m).isZero, "a correction takes out exactly what the record put in")
        #expect(UseOfForceMeasures(values: m.values) == m)
    }

    @Test("Median and maximum of restraint minutes come from the minute histogram; rates need bed days")
    func medianAndRates() {
        #expect(UseOfForceRates.median([:]) == nil)
        #expect(UseOfForceRates.median([3: 1, 10: 1, 40: 1]) == 10)
        #expect(UseOfForceRates.median([3: 2, 10: 2]) == 6.5, "even count: the mean of the two middle values")
        #expect(UseOfForceRates.median([1: 5, 2: 0, 9: 1]) == 1)
        #expect(UseOfForceRates.wholeMinutes(89) == 1 && UseOfForceRates.wholeMinutes(90) == 2 && UseOfForceRates.wholeMinutes(-5) == 0)
        #expect(UseOfForceRates.perThousandBedDays(6, bedDays: 1500) == 4)
        #expect(UseOfForceRates.perThousandBedDays(6, bedDays: nil) == nil && UseOfForceRates.perThousandBedDays(6, bedDays: 0) == nil)
    }

    @Test("Disproportionality is the share of episodes over the share of patients, both among known values")
    func disproportionality() throws {
        // 6 of 12 known episodes were Black African patients, who are 10 of 60 known patients: 0.5 ÷ 1/6 = 3.
        #expect(abs((UseOfForceRates.disproportionality(count: 6, knownTotal: 12, population: 10, populationKnownTotal: 60) ?? 0) - 3) < 1e-9)
        #expect(UseOfForceRates.disproportionality(count: 1, knownTotal: 1, population: 0, populationKnownTotal: 60) == nil)
        #expect(UseOfForceRates.disproportionality(count: 0, knownTotal: 0, population: 5, populationKnownTotal: 60) == nil)

        var n = UseOfForceMeasures(), a = UseOfForceMeasures(), unknown = UseOfForceMeasures()
        n.episodes = 6; n.restraints = 4; a.episodes = 6; a.restraints = 12; unknown.episodes = 8
        let statistics = UseOfForceStatistics.assemble(
            from: CalendarMonth("2026-01")!, to: CalendarMonth("2026-03")!, unitMonths: [], minutes: [], bedDays: [],
            byValue: [.ethnicity: ["N": n, "A": a, "not-known": unknown]],
            population: [.ethnicity: ["N": 10, "A": 50, "not-known": 40]])
        let ethnicity = try #require(statistics.characteristics.first { $0.characteristic == .ethnicity })
        let black = try #require(ethnicity.values.first { $0.code == "N" })
        #expect(black.episodeShare == 0.5 && black.populationShare == 10.0 / 60, "not known is in neither total")
        #expect(abs((black.episodeRatio ?? 0) - 3) < 1e-9)
        #expect(abs((black.restraintRatio ?? 0) - 1.5) < 1e-9, "4 of 16 restraints against 1/6 of patients")
        let notKnown = try #require(ethnicity.values.first { $0.code == "not-known" })
        #expect(notKnown.measures.episodes == 8 && notKnown.episodeRatio == nil && !notKnown.isKnown)
        let sex = try #require(statistics.characteristics.first { $0.characteristic == .sex })
        #expect(sex.values.allSatisfy { $0.patients == nil && $0.episodeRatio == nil }, "no population entered: no ratio, not a ratio of 0")
    }

    @Test("The rate per 1,000 bed days counts only the months whose bed days were entered")
    func rateLeavesOutMonthsWithoutBedDays() {
        var busy = UseOfForceMeasures(), quiet = UseOfForceMeasures()
        busy.restraints = 10; quiet.restraints = 3
        let jan = CalendarMonth("2026-01")!, feb = CalendarMonth("2026-02")!
        let statistics = UseOfForceStatistics.assemble(
            from: jan, to: feb, unitMonths: [("oak", jan, busy), ("oak", feb, quiet)],
            minutes: [("oak", jan, 5, 6), ("oak", jan, 30, 4), ("oak", feb, 2, 3)], bedDays: [("oak", jan, 500)], byValue: [:], population: [:])
        #expect(statistics.totals.measures.restraints == 13)
        #expect(statistics.totals.restraintsPerThousandBedDays == 20, "10 restraints over 500 bed days; February has none entered")
        #expect(statistics.totals.monthsWithoutBedDays == 1)
        #expect(statistics.totals.medianRestraintMinutes == 5 && statistics.totals.maximumRestraintMinutes == 30)
        #expect(statistics.months.map(\.month) == [jan, feb])
        #expect(statistics.months[1].figures.restraintsPerThousandBedDays == nil)
    }

    @Test("Calendar months parse strictly, step across years and give their days")
    func months() {
        #expect(CalendarMonth("2026-13") == nil && CalendarMonth("2026-1") == nil && CalendarMonth("26-01") == nil)
        let jan = CalendarMonth("2026-01")!
        #expect(jan.adding(months: -1).description == "2025-12" && jan.adding(months: 13).description == "2027-02")
        #expect(CalendarMonth("2024-02")!.lastDay == "2024-02-29" && jan.firstDay == "2026-01-01")
        #expect(CalendarMonth("2025-11")!.through(jan).count == 3 && jan.through(CalendarMonth("2025-11")!).isEmpty)
    }

    @Test("Who sees the analytics and enters populations")
    func access() {
        func actor(_ role: Role) -> Actor { Actor(userId: "x", organisationId: "o", roles: [role], unitIds: ["oak"]) }
        for role in [Role.restrictivePracticeLead, .safetyLead, .executive, .partnershipRep] {
            #expect(Access.scope(of: actor(role), for: .viewUseOfForceStatistics) == .all, "\(role)")
        }
        #expect(Access.scope(of: actor(.manager), for: .viewUseOfForceStatistics) == .units(["oak"]))
        #expect(!Access.allows(actor(.staff), .viewUseOfForceStatistics) && !Access.allows(actor(.trainer), .viewUseOfForceStatistics))
        #expect(!Access.allows(actor(.partnershipRep), .viewUseOfForce), "aggregates only: no records")
        #expect(Access.scope(of: actor(.manager), for: .manageUseOfForcePopulation) == .units(["oak"]))
        #expect(Access.allows(actor(.restrictivePracticeLead), .manageUseOfForcePopulation, unitId: "elm"))
        #expect(!Access.allows(actor(.executive), .manageUseOfForcePopulation))
    }
}
