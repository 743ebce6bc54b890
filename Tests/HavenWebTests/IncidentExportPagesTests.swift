import Foundation
import HavenCore
import HavenData
import HavenTestSupport
@testable import HavenWeb
import Testing

@Suite("Incident export: pages read several at a time")
struct IncidentExportPagesTests {
    @Test("Pages read at once come out in list order, each report once, also with reports added while the export runs")
    func pagesInOrder() async throws {
        try await Harness.run { _, harness in
            let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            let oak = try await harness.unit("OAK")
            let base = harness.clock.now() - 86_400 * 30
            func report(_ hour: Double) -> IncidentReport {
                IncidentReport(id: Identifier.make(), organisationId: organisation.id, type: .threat, occurredAt: base + hour * 3_600, unitId: oak.id,
                               area: "Ward", perpetrator: .patientOrServiceUser, harm: .none, description: "Threat \(hour)", reporterRole: .harmed,
                               reporterId: nil, status: .reported, reportedAt: base + hour * 3_600)
            }
            // Forty reports, two at each hour (ties across page ends).
            var calendar = CalendarCache(timeZone: .gmt)
            try await harness.environment.incidents.insert(generated: (0..<40).map { report(Double($0 / 2)) }, calendar: &calendar)
            var filter = IncidentStore.Filter(organisationId: organisation.id, scope: .all, reporterId: nil)
            filter.seesConfidential = true
            filter.limit = 500
            let listed = try await harness.environment.incidents.list(filter).items.map(\.id)
            #expect(listed.count >= 40)
            for size in [1, 3, 7, 1000] {
                var pages = ExportPages(store: harness.environment.incidents, filter: filter, columns: .csv, size: size)
                var exported: [String] = []
                while let page = try await pages.next() { exported += page.map(\.id) }
                #expect(exported == listed, "size \(size)")
            }
            // After the first page (newest first) a report arrives far down the list, past the pages already asked
            // for: it is exported once, in its place.
            var pages = ExportPages(store: harness.environment.incidents, filter: filter, columns: .csv, size: 3)
            var exported = try #require(try await pages.next()).map(\.id)
            let added = report(0.5)
            try await harness.environment.incidents.insert(generated: [added], calendar: &calendar)
            while let page = try await pages.next() { exported += page.map(\.id) }
            let now = try await harness.environment.incidents.list(filter).items.map(\.id)
            #expect(exported == now && exported.filter { $0 == added.id }.count == 1)
        }
    }
}
