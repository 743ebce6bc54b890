import Foundation
import HavenCore
import HavenData
import HavenTestSupport
import SQLKit
import Testing

@Suite("Retention: closed incidents past their period are anonymised, in batches, once, and audited")
struct RetentionTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000) // 2026-11-18
    static let year: TimeInterval = 365.25 * 86_400

    struct World {
        let database: Database
        let organisation: Organisation
        let unit: CareUnit
        let incidents: IncidentStore
        let retention: RetentionStore
        var origin: Origin { Origin(organisationId: organisation.id, actorId: nil, requestId: "test") }

        /// A report made `age` ago, with detail, a message, an action and a support record, closed or not.
        func incident(_ id: String, age: TimeInterval, closed: Bool) async throws {
            let at = RetentionTests.now - age
            let report = IncidentReport(id: id, organisationId: organisation.id, type: .physicalAssault, occurredAt: at, unitId: unit.id,
                                        area: "Day room", perpetrator: .patientOrServiceUser, harm: .firstAid,
                                        description: "Punched by patient RX1234 in the day room", reporterRole: .harmed, reporterId: nil,
                                        status: .reported, reportedAt: at)
            _ = try await incidents.create(report, timeZone: .gmt, idempotencyKey: "key-\(id)", origin: origin)
            var detail = IncidentDetail()
            detail.patientIdentifier = "RX1234"
            detail.witnesses = "Jo Bloggs"
            let json = String(decoding: try JSONEncoder().encode(detail), as: UTF8.self)
            let organisationId = organisation.id
            try await database.write { db in
                // Closing is the case workflow's job (being built elsewhere); here the row is simply set.
                try await db.raw("UPDATE incidents SET detail = \(bind: json), outcome = 'Care plan changed', lessons = 'Two staff at medication' WHERE id = \(bind: id)").run()
                if closed { try await db.raw("UPDATE incidents SET status = 'closed' WHERE id = \(bind: id)").run() }
                let ms = at.epochMilliseconds
                try await db.raw("""
                    INSERT INTO incident_messages (id, organisation_id, incident_id, kind, author_id, from_reporter, body, created_at)
                    VALUES (\(bind: "m-" + id), \(bind: organisationId), \(bind: id), 'message', NULL, 1, 'It was Jo who saw it', \(bind: ms))
                    """).run()
                try await db.raw("""
                    INSERT INTO incident_actions (id, organisation_id, incident_id, description, owner_id, due_on, done_at, created_at)
                    VALUES (\(bind: "a-" + id), \(bind: organisationId), \(bind: id), 'Review care plan', NULL, NULL, NULL, \(bind: ms))
                    """).run()
                try await db.raw("""
                    INSERT INTO notifications (id, organisation_id, user_id, title, body, link, created_at)
                    SELECT \(bind: "n-" + id), \(bind: organisationId), id, 'Your incident report: closed', 'Care plan changed',
                           \(bind: "/incidents/" + id), \(bind: ms) FROM users WHERE organisation_id = \(bind: organisationId)
                    """).run()
                try await db.raw("""
                    INSERT INTO incident_support (id, organisation_id, incident_id, kind, due_at, outcome, note, done_at, created_at)
                    VALUES (\(bind: "s-" + id), \(bind: organisationId), \(bind: id), 'welfare-check', \(bind: ms), NULL, 'Spoke to Sam', NULL, \(bind: ms))
                    """).run()
            }
        }

        func row(_ id: String) async throws -> (description: String, area: String, detail: String, outcome: String, type: String, harm: String,
                                               localDate: String, anonymised: Bool, children: Int) {
            try await database.read { db in
                let row = try #require(try await db.raw("SELECT * FROM incidents WHERE id = \(bind: id)").first())
                var children = 0
                for table in ["incident_messages", "incident_actions", "incident_support"] {
                    children += try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE incident_id = \(bind: id)").first()?
                        .decode(column: "n", as: Int.self) ?? 0
                }
                children += try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE link = \(bind: "/incidents/" + id)").first()?
                    .decode(column: "n", as: Int.self) ?? 0
                return (try row.decode(column: "description", as: String.self), try row.decode(column: "area", as: String.self),
                        try row.decode(column: "detail", as: String.self), try row.decode(column: "outcome", as: String.self),
                        try row.decode(column: "type", as: String.self), try row.decode(column: "harm", as: String.self),
                        try row.decode(column: "local_date", as: String.self),
                        try row.decode(column: "anonymised_at", as: Int64?.self) != nil, children)
            }
        }
    }

    static func world(_ database: Database) async throws -> World {
        let clock = ManualClock(now)
        let organisations = OrganisationStore(database: database, clock: clock)
        let organisation = Organisation(id: Identifier.make(), name: "Test Trust", timeZone: "Europe/London", rulePack: .england)
        try await organisations.create(organisation)
        let origin = Origin(organisationId: organisation.id, actorId: nil)
        let site = Site(id: Identifier.make(), organisationId: organisation.id, name: "General", address: "")
        try await organisations.save(site, origin: origin)
        let unit = CareUnit(id: Identifier.make(), organisationId: organisation.id, siteId: site.id, code: "OAK", name: "Oak Ward",
                            kind: .mentalHealthWard, beds: 18, staffWTE: 30)
        try await organisations.save(unit, origin: origin)
        // The reporter who is told about the case (the store's own user code is not what is tested here).
        try await database.write { db in
            try await db.raw("""
                INSERT INTO users (id, organisation_id, email, name, password_hash, created_at, updated_at)
                VALUES (\(bind: Identifier.make()), \(bind: organisation.id), \(bind: "nurse-\(organisation.id)@example.org"), 'Sam Okafor', 'x', 0, 0)
                """).run()
        }
        return World(database: database, organisation: organisation, unit: unit, incidents: IncidentStore(database: database, clock: clock),
                     retention: RetentionStore(database: database, clock: clock))
    }

    @Test("Only closed reports older than the period lose their personal content; counts survive; a second run changes nothing")
    func anonymisesOnlyWhatIsDue() async throws {
        try await TestDatabase.with { database in
            let world = try await Self.world(database)
            try await world.incident("old-closed", age: 11 * Self.year, closed: true)
            try await world.incident("old-open", age: 11 * Self.year, closed: false)
            try await world.incident("recent-closed", age: 9 * Self.year, closed: true)
            let cutoff = RetentionPolicy.cutoff(now: Self.now, years: 10)

            let first = try await world.retention.anonymiseIncidents(organisationId: world.organisation.id, before: cutoff, years: 10, limit: 500,
                                                                     auditEmpty: true, origin: world.origin)
            #expect(first == ["old-closed"])
            let purged = try await world.row("old-closed")
            #expect(purged.description.isEmpty && purged.area.isEmpty && purged.detail == "{}" && purged.outcome.isEmpty)
            #expect(purged.anonymised && purged.children == 0, "messages, actions, support and notifications go with it")
            #expect(purged.type == "physical-assault" && purged.harm == "first-aid" && !purged.localDate.isEmpty, "what the figures count stays")
            let reporter = try await database.read { db in
                try await db.raw("SELECT reporter_id, handler_id, receipt_hash, idempotency_key FROM incidents WHERE id = 'old-closed'").first()
            }
            #expect(try reporter?.decode(column: "idempotency_key", as: String?.self) == nil)
            for id in ["old-open", "recent-closed"] {
                let kept = try await world.row(id)
                #expect(kept.description.contains("RX1234") && kept.detail.contains("Jo Bloggs") && !kept.anonymised && kept.children == 4, "\(id) is untouched")
            }
            let total = try await database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM incidents").first()?.decode(column: "n", as: Int.self) }
            #expect(total == 3, "anonymised, not deleted: last year's figures do not change")

            let second = try await world.retention.anonymiseIncidents(organisationId: world.organisation.id, before: cutoff, years: 10, limit: 500,
                                                                      auditEmpty: true, origin: world.origin)
            #expect(second.isEmpty, "idempotent")
            let entries = try await AuditLog.list(database, filter: .init(organisationId: world.organisation.id, action: "retention.purge"))
            #expect(entries.count == 2, "one entry a run, also for a run that found nothing")
            let changes = try JSONDecoder().decode([String: String].self, from: Data(try #require(entries.last).changes.utf8))
            #expect(changes["count"] == "1" && changes["ids"] == "old-closed" && changes["retentionYears"] == "10")
            #expect(try JSONDecoder().decode([String: String].self, from: Data(try #require(entries.first).changes.utf8))["count"] == "0")
            #expect(try await AuditLog.verify(database) == .intact(rows: try await Self.auditRows(database)))
        }
    }

    @Test("A backlog is taken in bounded batches, oldest first, each its own audited transaction")
    func batches() async throws {
        try await TestDatabase.with { database in
            let world = try await Self.world(database)
            for index in 0..<7 { try await world.incident("old-\(index)", age: 12 * Self.year - Double(index) * 86_400, closed: true) }
            let cutoff = RetentionPolicy.cutoff(now: Self.now, years: 10)
            var sizes: [Int] = []
            var all: [String] = []
            while true {
                let ids = try await world.retention.anonymiseIncidents(organisationId: world.organisation.id, before: cutoff, years: 10, limit: 3,
                                                                       auditEmpty: false, origin: world.origin)
                if ids.isEmpty { break }
                sizes.append(ids.count)
                all += ids
            }
            #expect(sizes == [3, 3, 1])
            #expect(all == (0..<7).map { "old-\($0)" }, "oldest first")
            #expect(try await AuditLog.list(database, filter: .init(organisationId: world.organisation.id, action: "retention.purge")).count == 3)
            #expect(try await world.retention.incidentsDue(organisationId: world.organisation.id, before: cutoff).isEmpty)
        }
    }

    @Test("Settings are saved per record type, changed in place, and audited")
    func settings() async throws {
        try await TestDatabase.with { database in
            let world = try await Self.world(database)
            #expect(try await world.retention.settings(organisationId: world.organisation.id).isEmpty, "no row: the rule pack's default")
            try await world.retention.save([.incidents: 12], organisationId: world.organisation.id, origin: world.origin)
            try await world.retention.save([.incidents: 15, .useOfForce: 4], organisationId: world.organisation.id, origin: world.origin)
            #expect(try await world.retention.settings(organisationId: world.organisation.id) == [.incidents: 15, .useOfForce: 4])
            let updates = try await AuditLog.list(database, filter: .init(organisationId: world.organisation.id, action: "retention.update"))
            #expect(updates.count == 2 && (updates.first?.changes.contains("12 → 15") ?? false))
        }
    }

    static func auditRows(_ database: Database) async throws -> Int {
        try await database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM audit_events").first()?.decode(column: "n", as: Int.self) ?? 0 }
    }
}
