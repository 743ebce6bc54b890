import Foundation
import HavenCore
import HavenData
import HavenTestSupport
import SQLKit
import Testing

@Suite("Incident search and filters in the store")
struct IncidentSearchStoreTests {
    struct Fixture {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_780_000_000))
        let database: Database
        let organisation: Organisation
        let oak: CareUnit
        let ed: CareUnit
        var incidents: IncidentStore { .init(database: database, clock: clock) }
        var origin: Origin { Origin(organisationId: organisation.id, actorId: "tester") }

        static func make(_ database: Database) async throws -> Fixture {
            let organisation = Organisation(id: Identifier.make(), name: "Org", timeZone: "Europe/London", rulePack: .england)
            let site = Site(id: Identifier.make(), organisationId: organisation.id, name: "Main", address: "")
            func unit(_ code: String) -> CareUnit {
                CareUnit(id: Identifier.make(), organisationId: organisation.id, siteId: site.id, code: code, name: code, kind: .inpatientWard, beds: 10, staffWTE: 10)
            }
            let fixture = Fixture(database: database, organisation: organisation, oak: unit("OAK"), ed: unit("ED"))
            let organisations = OrganisationStore(database: database, clock: fixture.clock)
            try await organisations.create(organisation)
            let origin = Origin(organisationId: organisation.id, actorId: "tester")
            try await organisations.save(site, origin: origin)
            try await organisations.save(fixture.oak, origin: origin)
            try await organisations.save(fixture.ed, origin: origin)
            return fixture
        }

        /// Saves a report `daysAgo` days before the fixed clock.
        @discardableResult
        func report(_ description: String, unit: CareUnit? = nil, daysAgo: Double = 1, type: IncidentType = .physicalAssault,
                    harm: Harm = .none) async throws -> IncidentReport {
            let at = clock.now() - daysAgo * 86_400
            let report = IncidentReport(id: Identifier.make(), organisationId: organisation.id, type: type, occurredAt: at, unitId: (unit ?? oak).id,
                                        area: "Ward", perpetrator: .patientOrServiceUser, harm: harm, description: description,
                                        reporterRole: .harmed, reporterId: nil, status: .reported, reportedAt: at)
            return try await incidents.create(report, timeZone: .gmt, idempotencyKey: nil, origin: origin).report
        }

        func filter(search: String? = nil, scope: UnitScope = .all) -> IncidentStore.Filter {
            var filter = IncidentStore.Filter(organisationId: organisation.id, scope: scope, reporterId: nil)
            filter.search = search
            return filter
        }

        func found(_ search: String, scope: UnitScope = .all) async throws -> [String] {
            try await incidents.list(filter(search: search, scope: scope)).items.map(\.description)
        }
    }

    static func with(_ body: (Fixture) async throws -> Void) async throws {
        try await TestDatabase.with { database in try await body(try await Fixture.make(database)) }
    }

    @Test("Finds reports by every word typed, the last one also as the start of a word, newest first")
    func wordsAndPrefix() async throws {
        try await Self.with { fixture in
            try await fixture.report("Punched in the arm during the medication round", daysAgo: 3)
            try await fixture.report("Kicked in the corridor by a visitor", daysAgo: 2)
            try await fixture.report("Punched by a visitor in the corridor", daysAgo: 1)
            #expect(try await fixture.found("punched") == ["Punched by a visitor in the corridor", "Punched in the arm during the medication round"])
            #expect(try await fixture.found("MEDICAT") == ["Punched in the arm during the medication round"], "a prefix of the last word")
            #expect(try await fixture.found("corridor kicked") == ["Kicked in the corridor by a visitor"], "words in any order")
            #expect(try await fixture.found("punched medication corr").isEmpty, "every word must match")
            #expect(try await fixture.found("dinner").isEmpty)
            #expect(try await fixture.found("the corridor kicked").count == 1, "a common word among others does not empty the search")
            let list = try await fixture.incidents.list(fixture.filter(search: "visitor"))
            #expect(list.total == 2 && !list.totalIsCapped)
        }
    }

    @Test("Query syntax typed into the box finds plain words or nothing, and never fails")
    func hostileSyntax() async throws {
        try await Self.with { fixture in
            try await fixture.report("Punched in the arm near the door")
            let hostile = ["\"", "\"punched", "*", "punched*", "-punched", "NEAR(punched door)", "punched:*", "punched & arm", "!punched", "punched | x",
                           "OR", "AND NOT", "description:punched", "(", ")", "'", "\\", "%", "_", "^punched", "{arm}", "arm + door", "😀", "é",
                           "punched\u{301}", "a", "the", "x:y:z", "'; DROP TABLE incidents; --", String(repeating: "punched ", count: 30)]
            for text in hostile {
                _ = try await fixture.found(text)
            }
            #expect(try await fixture.found("-punched").count == 1, "a minus is not NOT")
            #expect(try await fixture.found("NEAR(punched door)").count == 1, "NEAR is only a word")
            #expect(try await fixture.found("punched & arm").count == 1)
            #expect(try await fixture.found("!!!").isEmpty, "no letters or digits finds nothing rather than everything")
        }
    }

    @Test("A search stays within the remit: a manager never finds another unit's report")
    func remit() async throws {
        try await Self.with { fixture in
            try await fixture.report("Spat at in the waiting room", unit: fixture.ed)
            try await fixture.report("Spat at during the medication round", unit: fixture.oak)
            let oakManager = UnitScope.units([fixture.oak.id])
            #expect(try await fixture.found("spat", scope: oakManager) == ["Spat at during the medication round"])
            #expect(try await fixture.found("waiting room", scope: oakManager).isEmpty)
            var asked = fixture.filter(search: "spat", scope: oakManager)
            asked.unitId = fixture.ed.id
            #expect(try await fixture.incidents.list(asked).items.isEmpty, "asking for the other unit by id finds nothing either")
            #expect(try await fixture.found("spat", scope: .none).isEmpty, "no remit and no own reports: nothing")
        }
    }

    @Test("Triggers keep the index in step: a changed description is found by its new words only, a deleted report not at all")
    func triggers() async throws {
        try await Self.with { fixture in
            let report = try await fixture.report("Threatened with a chair")
            try await fixture.database.write { db in
                try await db.raw("UPDATE incidents SET description = 'Threatened with scissors' WHERE id = \(bind: report.id)").run()
            }
            #expect(try await fixture.found("scissors").count == 1)
            #expect(try await fixture.found("chair").isEmpty)
            try await fixture.database.write { db in try await db.raw("UPDATE incidents SET status = 'closed' WHERE id = \(bind: report.id)").run() }
            #expect(try await fixture.found("scissors").count == 1, "other changes leave the words alone")
            try await fixture.database.write { db in try await db.raw("DELETE FROM incidents WHERE id = \(bind: report.id)").run() }
            #expect(try await fixture.found("scissors").isEmpty)
            try await fixture.report("Threatened with scissors again")
            #expect(try await fixture.found("scissors") == ["Threatened with scissors again"])
        }
    }

    @Test("Reports written before the search migration are found after it")
    func existingRowsIndexed() async throws {
        let test = try await TestDatabase.make(migrate: false)
        do {
            try await Migrations.run(on: test.database, upTo: 6)
            let fixture = try await Fixture.make(test.database)
            try await fixture.report("Bitten on the hand at handover")
            try await Migrations.run(on: test.database)
            #expect(try await fixture.found("bitten hand") == ["Bitten on the hand at handover"])
        } catch {
            await test.close()
            throw error
        }
        await test.close()
    }

    @Test("Filters combine with the search, and pages follow on without gaps or repeats")
    func filtersAndPaging() async throws {
        try await Self.with { fixture in
            for day in 1...7 {
                try await fixture.report("Slapped on day \(day)", daysAgo: Double(day), type: day.isMultiple(of: 2) ? .verbalAbuse : .physicalAssault,
                                         harm: day == 3 ? .minor : .none)
            }
            try await fixture.report("Slapped in the other unit", unit: fixture.ed, daysAgo: 2)
            var filter = fixture.filter(search: "slapped")
            filter.unitId = fixture.oak.id
            filter.type = .physicalAssault
            #expect(try await fixture.incidents.list(filter).items.map(\.description) == ["Slapped on day 1", "Slapped on day 3", "Slapped on day 5", "Slapped on day 7"])
            filter.harm = .minor
            #expect(try await fixture.incidents.list(filter).items.map(\.description) == ["Slapped on day 3"])
            filter.harm = nil
            let day = { (ago: Double) in CalendarColumns(fixture.clock.now() - ago * 86_400, timeZone: .gmt).localDate }
            filter.fromDate = day(5)
            filter.toDate = day(3)
            #expect(try await fixture.incidents.list(filter).items.map(\.description) == ["Slapped on day 3", "Slapped on day 5"])

            var paged = fixture.filter(search: "slapped")
            paged.limit = 3
            var seen: [String] = []
            for offset in stride(from: 0, to: 9, by: 3) {
                paged.offset = offset
                let page = try await fixture.incidents.list(paged)
                #expect(page.total == 8)
                seen += page.items.map(\.id)
            }
            #expect(seen.count == 8 && Set(seen).count == 8)
        }
    }

    @Test("Counting stops at the cap and says so, for the plain list and for a search with many matches")
    func cappedCount() async throws {
        try await Self.with { fixture in
            try await fixture.report("Pushed against the wall")
            // Doubling fourteen times makes 16,384 reports, past both caps and past the point where SQLite walks the index.
            for round in 0..<14 {
                try await fixture.database.write { db in
                    try await db.raw("""
                        INSERT INTO incidents (id, organisation_id, unit_id, area, type, perpetrator, harm, description, reporter_role, status,
                                               occurred_at, reported_at, local_date, iso_week, month, hour, weekday)
                        SELECT id || \(bind: "-\(round)"), organisation_id, unit_id, area, type, perpetrator, harm, description, reporter_role, status,
                               occurred_at - \(bind: round * 1000), reported_at, local_date, iso_week, month, hour, weekday FROM incidents
                        """).run()
                }
            }
            try await fixture.report("Pushed over by a visitor", unit: fixture.ed, daysAgo: 0.5)
            let plain = try await fixture.incidents.list(fixture.filter())
            #expect(plain.total == 10_000 && plain.totalIsCapped && plain.items.count == 50)
            let search = try await fixture.incidents.list(fixture.filter(search: "pushed"))
            #expect(search.total == 1_000 && search.totalIsCapped)
            #expect(search.items.first?.description == "Pushed over by a visitor", "newest first on the walking plan too")
            let few = try await fixture.incidents.list(fixture.filter(search: "visitor"))
            #expect(few.total == 1 && !few.totalIsCapped)
            var oakOnly = fixture.filter(search: "pushed", scope: .units([fixture.oak.id]))
            oakOnly.limit = 5
            #expect(try await fixture.incidents.list(oakOnly).items.allSatisfy { $0.unitId == fixture.oak.id })
        }
    }
}
