import Foundation
import HavenCore
import HavenData
import HavenServices
import HavenTestSupport
import SQLKit
import Testing

@Suite("haven demo --incidents: the generator")
struct DemoIncidentsTests {
    /// The demo organisation on a fresh database, and an environment over it.
    func withDemo(_ body: (HavenEnvironment, Organisation) async throws -> Void) async throws {
        try await TestDatabase.with { database in
            let environment = HavenEnvironment(database: database, clock: SystemClock(), settings: .init(bcryptCost: 4),
                                               httpClient: .shared, logger: TestDatabase.logger)
            let organisation = try await DemoSeed.run(environment, password: "demo-password-123").organisation
            try await body(environment, organisation)
        }
    }

    @Test func generatesTheCountAskedForWithinTheOrganisationAndValidValues() async throws {
        try await withDemo { environment, organisation in
            let saved = try await DemoIncidents.generate(environment, organisation: organisation, count: 500, seed: 7)
            #expect(saved == 500)
            let units = Set(try await environment.organisations.units(organisationId: organisation.id).map(\.id))
            var filter = IncidentStore.Filter(organisationId: organisation.id, scope: .all, reporterId: nil)
            filter.seesConfidential = true   // staff-on-staff reports are generated too, and are HR's
            filter.limit = 500
            let list = try await environment.incidents.list(filter)
            let (reports, total) = (list.items, list.total)
            #expect(total == 500)
            #expect(reports.count == 500)
            let now = environment.clock.now()
            let timeZone = try #require(TimeZone(identifier: organisation.timeZone))
            for report in reports {
                #expect(units.contains(report.unitId))
                #expect(report.occurredAt <= now && report.occurredAt > now.addingTimeInterval(-Double(DemoIncidents.historyDays + 1) * 86_400))
                #expect(report.reportedAt >= report.occurredAt)
                #expect(!report.description.isEmpty && !report.area.isEmpty)
                #expect(report.status != .closed || !report.outcome.isEmpty)
            }
            // Enums and calendar columns as stored, read back raw: every value is one the domain knows, and the
            // calendar columns are those IncidentStore.create would have written.
            let rows = try await environment.database.read { db in
                try await db.raw("SELECT type, perpetrator, harm, status, reporter_role, occurred_at, local_date, iso_week, month, hour, weekday FROM incidents").all()
            }
            #expect(rows.count == 500)
            for row in rows {
                #expect(IncidentType(rawValue: try row.decode(column: "type", as: String.self)) != nil)
                #expect(Perpetrator(rawValue: try row.decode(column: "perpetrator", as: String.self)) != nil)
                #expect(Harm(rawValue: try row.decode(column: "harm", as: String.self)) != nil)
                #expect(IncidentStatus(rawValue: try row.decode(column: "status", as: String.self)) != nil)
                #expect(ReporterRole(rawValue: try row.decode(column: "reporter_role", as: String.self)) != nil)
                let expected = CalendarColumns(Date(epochMilliseconds: try row.decode(column: "occurred_at", as: Int64.self)), timeZone: timeZone)
                #expect(try row.decode(column: "local_date", as: String.self) == expected.localDate)
                #expect(try row.decode(column: "iso_week", as: String.self) == expected.isoWeek)
                #expect(try row.decode(column: "month", as: String.self) == expected.month)
                #expect(try row.decode(column: "hour", as: Int.self) == expected.hour)
                #expect(try row.decode(column: "weekday", as: Int.self) == expected.weekday)
            }
        }
    }

    @Test func oneAuditEntryForTheWholeGeneration() async throws {
        try await withDemo { environment, organisation in
            try await DemoIncidents.generate(environment, organisation: organisation, count: 1_200, seed: 1)
            let events = try await AuditLog.list(environment.database, filter: .init(organisationId: organisation.id, action: "incident.", limit: 50))
            #expect(events.map(\.action) == ["incident.generate"])
            #expect(events.first?.changes.contains("1200") == true)
            #expect(try await AuditLog.verify(environment.database) == .intact(rows: try await auditRows(environment.database)))
        }
    }

    @Test func proportionsLookLikeAWard() async throws {
        try await withDemo { environment, organisation in
            try await DemoIncidents.generate(environment, organisation: organisation, count: 3_000, seed: 42)
            let counts = try await environment.database.read { db in
                try await db.raw("SELECT type, COUNT(*) AS n FROM incidents GROUP BY type").all()
                    .reduce(into: [String: Int]()) { $0[try $1.decode(column: "type", as: String.self)] = try $1.decode(column: "n", as: Int.self) }
            }
            // Verbal abuse is the most common, then physical assault.
            let ranked = counts.sorted { $0.value > $1.value }.map(\.key)
            #expect(ranked.prefix(2) == [IncidentType.verbalAbuse.rawValue, IncidentType.physicalAssault.rawValue])
        }
    }

    @Test func sameSeedSameIncidents() {
        let units = [DemoIncidents.Unit(id: "u1", code: "OAK", kind: .mentalHealthWard, reporterIds: ["r1"]),
                     DemoIncidents.Unit(id: "u2", code: "ED", kind: .emergencyDepartment, reporterIds: [])]
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        var first = DemoIncidents(organisationId: "o", units: units, now: now, seed: 99)
        var second = DemoIncidents(organisationId: "o", units: units, now: now, seed: 99)
        #expect(first.next(50) == second.next(50))
    }

    func auditRows(_ database: Database) async throws -> Int {
        try await database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM audit_events").first()?.decode(column: "n", as: Int.self) ?? 0 }
    }
}
