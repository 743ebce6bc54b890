import Foundation
import HavenCore
import HavenData
import HavenTestSupport
import SQLKit
import Testing

@Suite("Incident export pages in the store")
struct IncidentExportStoreTests {
    /// Every report once, in the list's order, whatever the page size and however many reports share a time; the
    /// narrow column sets read the same values as the full one.
    @Test("Keyset pages of every column set give each visible report once, in list order, with the same values")
    func pages() async throws {
        try await IncidentSearchStoreTests.with { fixture in
            let base = fixture.clock.now() - 86_400 * 10
            let perpetrators: [Perpetrator] = [.patientOrServiceUser, .colleague, .memberOfThePublic, .manager]
            // 40 reports, four at each of ten times (ties across page boundaries), on two units, some confidential
            // (a colleague or manager did it), with awkward text.
            let reports = (0..<40).map { (index: Int) -> IncidentReport in
                let occurredAt: Date = base + Double(index / 4) * 3_600
                let reportedAt: Date = base + Double(index) * 60
                let unit: CareUnit = index % 3 == 0 ? fixture.ed : fixture.oak
                let area = index % 5 == 0 ? "Bay, \"B\"" : "Ward"
                return IncidentReport(id: Identifier.make(), organisationId: fixture.organisation.id, type: IncidentType.allCases[index % 9],
                                      occurredAt: occurredAt, unitId: unit.id, area: area, perpetrator: perpetrators[index % 4],
                                      harm: Harm.allCases[index % 5], description: "\u{301}report \(index)\r\n=said", reporterRole: .witness,
                                      reporterId: nil, status: .reported, reportedAt: reportedAt)
            }
            var calendar = CalendarCache(timeZone: .gmt)
            try await fixture.incidents.insert(generated: reports, calendar: &calendar)
            let closed = base.epochMilliseconds + 1
            try await fixture.database.write { db in
                try await db.raw("""
                    UPDATE incidents SET outcome = 'Talked it through', lessons = 'Two staff at handover', closed_at = \(bind: closed),
                           review_due_at = \(bind: closed + 5), detail = '{"weapon":"chair"}', receipt_hash = \(bind: "hash-" + reports[4].id)
                    WHERE id = \(bind: reports[4].id)
                    """).run()
            }
            for scope in [UnitScope.all, .units([fixture.oak.id])] {
                var filter = fixture.filter(scope: scope)
                filter.limit = 500
                let listed = try await fixture.incidents.list(filter).items
                #expect(listed.count == (scope == .all ? 20 : 13), "confidential cases are left out; the manager sees Oak only")
                for size in [1, 3, 4, 7, 100] {
                    let full = try await Self.export(fixture.incidents, filter, size: size, columns: .all)
                    let api = try await Self.export(fixture.incidents, filter, size: size, columns: .api)
                    let csv = try await Self.export(fixture.incidents, filter, size: size, columns: .csv)
                    #expect(full.map(\.id) == listed.map(\.id), "size \(size)")
                    #expect(try await Self.exportByPageEnds(fixture.incidents, filter, size: size).map(\.id) == listed.map(\.id), "size \(size), by page ends")
                    #expect(api.map(\.id) == listed.map(\.id) && csv.map(\.id) == listed.map(\.id), "size \(size)")
                    for (whole, (forAPI, forCSV)) in zip(full, zip(api, csv)) {
                        #expect(Self.csvFields(forCSV) == Self.csvFields(whole) && Self.csvFields(forAPI) == Self.csvFields(whole))
                        #expect(forAPI.anonymous == whole.anonymous && forAPI.handlerId == whole.handlerId && forAPI.reviewDueAt == whole.reviewDueAt)
                        #expect(forAPI.outcome == whole.outcome && forAPI.lessons == whole.lessons && forAPI.closedAt == whole.closedAt)
                        #expect(forAPI.detail == whole.detail)
                    }
                }
                let closedReport = try await Self.export(fixture.incidents, filter, size: 5, columns: .api).first { $0.id == reports[4].id }
                if scope == .all {
                    #expect(closedReport?.anonymous == true && closedReport?.detail.weapon == "chair" && closedReport?.outcome == "Talked it through")
                }
            }
        }
    }

    static func export(_ store: IncidentStore, _ filter: IncidentStore.Filter, size: Int,
                       columns: IncidentStore.ExportColumns) async throws -> [IncidentReport] {
        var all: [IncidentReport] = []
        var cursor: IncidentStore.Cursor?
        while true {
            let page = try await store.page(filter, after: cursor, size: size, columns: columns)
            all += page
            guard page.count == size, let last = page.last else { return all }
            cursor = IncidentStore.Cursor(after: last)
        }
    }

    /// The export as `ExportPages` reads it, one page at a time: each page runs up to the end the index gave for it.
    static func exportByPageEnds(_ store: IncidentStore, _ filter: IncidentStore.Filter, size: Int) async throws -> [IncidentReport] {
        var all: [IncidentReport] = []
        var cursor: IncidentStore.Cursor?
        while true {
            let end = try await store.pageEnd(filter, after: cursor, size: size)
            let page = try await store.page(filter, after: cursor, through: end, size: size, columns: .csv)
            all += page
            if let end {
                #expect(page.last?.id == end.id && page.count == size)
                cursor = end
            } else {
                #expect(page.count < size)
                return all
            }
        }
    }

    @Test("A page read up to the end the index gave includes a report added inside it meanwhile, so none is skipped")
    func pageEndsWithReportsAdded() async throws {
        try await IncidentSearchStoreTests.with { fixture in
            let base = fixture.clock.now() - 86_400
            func report(_ hour: Double) -> IncidentReport {
                IncidentReport(id: Identifier.make(), organisationId: fixture.organisation.id, type: .threat, occurredAt: base + hour * 3_600,
                               unitId: fixture.oak.id, area: "Ward", perpetrator: .patientOrServiceUser, harm: .none, description: "Threat",
                               reporterRole: .harmed, reporterId: nil, status: .reported, reportedAt: base + hour * 3_600)
            }
            var calendar = CalendarCache(timeZone: .gmt)
            try await fixture.incidents.insert(generated: (0..<10).map { report(Double($0)) }, calendar: &calendar)
            let filter = fixture.filter(scope: .all)
            let end = try #require(try await fixture.incidents.pageEnd(filter, after: nil, size: 4))
            // Newest first: the first page is hours 9 to 6. A report at 7.5 arrives before that page is read.
            let added = report(7.5)
            try await fixture.incidents.insert(generated: [added], calendar: &calendar)
            let first = try await fixture.incidents.page(filter, after: nil, through: end, size: 4, columns: .csv)
            #expect(first.count == 5 && first.contains { $0.id == added.id } && first.last?.id == end.id)
            let rest = try await fixture.incidents.page(filter, after: end, size: 100, columns: .csv)
            #expect(rest.count == 6 && !rest.contains { $0.id == added.id })
            #expect(try await fixture.incidents.pageEnd(filter, after: end, size: 7) == nil, "fewer than a page left")
        }
    }

    static func csvFields(_ report: IncidentReport) -> [String] {
        [report.id, report.organisationId, report.type.rawValue, report.occurredAt.iso8601, report.unitId, report.area, report.perpetrator.rawValue,
         report.harm.rawValue, report.description, report.reporterRole.rawValue, report.status.rawValue, report.reportedAt.iso8601]
    }
}
