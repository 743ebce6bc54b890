import Foundation
import HavenCore
import HavenData
import HavenTestSupport
import Testing

@Suite("Organisation and account stores")
struct AccountStoreTests {
    struct Fixture {
        let clock = ManualClock()
        let database: Database
        let organisation: Organisation
        let site: Site
        var organisations: OrganisationStore { .init(database: database, clock: clock) }
        var users: UserStore { .init(database: database, clock: clock) }
        var origin: Origin { Origin(organisationId: organisation.id, actorId: "tester") }

        static func make(_ database: Database) async throws -> Fixture {
            let organisation = Organisation(id: Identifier.make(), name: "Org", timeZone: "Europe/London", rulePack: .england)
            let site = Site(id: Identifier.make(), organisationId: organisation.id, name: "Main", address: "")
            let fixture = Fixture(database: database, organisation: organisation, site: site)
            try await fixture.organisations.create(organisation)
            try await fixture.organisations.save(site, origin: fixture.origin)
            return fixture
        }

        func unit(_ code: String) -> CareUnit {
            CareUnit(id: Identifier.make(), organisationId: organisation.id, siteId: site.id, code: code, name: "Ward \(code)",
                     kind: .inpatientWard, beds: 20, staffWTE: 30.5)
        }
    }

    @Test("Unit codes are unique within the organisation and a unit needs a real site")
    func units() async throws {
        try await TestDatabase.with { database in
            let fixture = try await Fixture.make(database)
            let oak = fixture.unit("OAK")
            try await fixture.organisations.save(oak, origin: fixture.origin)
            #expect(try await fixture.organisations.unit(code: "OAK", organisationId: fixture.organisation.id) == oak)
            do {
                try await fixture.organisations.save(fixture.unit("OAK"), origin: fixture.origin)
                Issue.record("duplicate code accepted")
            } catch let errors as FieldErrors {
                #expect(errors["code"] != nil)
            }
            var orphan = fixture.unit("ELM")
            orphan.siteId = "no-such-site"
            await #expect(throws: FieldErrors.self) { try await fixture.organisations.save(orphan, origin: fixture.origin) }
            try await fixture.organisations.record(UnitActivity(unitId: oak.id, month: "2026-10", occupiedBedDays: 540, staffWTE: 30.5), origin: fixture.origin)
            try await fixture.organisations.record(UnitActivity(unitId: oak.id, month: "2026-10", occupiedBedDays: 560, staffWTE: nil), origin: fixture.origin)
            let activity = try await fixture.organisations.activity(unitId: oak.id, organisationId: fixture.organisation.id)
            #expect(activity == [UnitActivity(unitId: oak.id, month: "2026-10", occupiedBedDays: 560, staffWTE: nil)])
        }
    }

    @Test("Users keep their roles and units; e-mail addresses are unique; a manager's list is their units' people")
    func users() async throws {
        try await TestDatabase.with { database in
            let fixture = try await Fixture.make(database)
            let oak = fixture.unit("OAK"), ash = fixture.unit("ASH")
            try await fixture.organisations.save(oak, origin: fixture.origin)
            try await fixture.organisations.save(ash, origin: fixture.origin)
            let nurse = User(id: Identifier.make(), organisationId: fixture.organisation.id, email: "nurse@example.org", name: "Nurse",
                             jobTitle: "Staff nurse", roles: [.staff], unitIds: [oak.id])
            let porter = User(id: Identifier.make(), organisationId: fixture.organisation.id, email: "porter@example.org", name: "Porter",
                              jobTitle: "", roles: [.staff, .trainer], unitIds: [ash.id])
            try await fixture.users.create(nurse, passwordHash: "x", origin: fixture.origin)
            try await fixture.users.create(porter, passwordHash: "x", origin: fixture.origin)
            #expect(try await fixture.users.find(email: "NURSE@example.org")?.user == nurse)
            await #expect(throws: FieldErrors.self) { try await fixture.users.create(nurse, passwordHash: "x", origin: fixture.origin) }
            let visible = try await fixture.users.list(organisationId: fixture.organisation.id, scope: .units([oak.id]))
            #expect(visible.map(\.email) == ["nurse@example.org"])
            #expect(try await fixture.users.list(organisationId: fixture.organisation.id, scope: .none).isEmpty)
            #expect(try await fixture.users.list(organisationId: fixture.organisation.id, scope: .all).count == 2)
        }
    }

    @Test("Sessions expire; tokens are stored hashed and stop working when revoked; a reset link works once")
    func secrets() async throws {
        try await TestDatabase.with { database in
            let fixture = try await Fixture.make(database)
            let user = User(id: Identifier.make(), organisationId: fixture.organisation.id, email: "a@example.org", name: "A",
                            jobTitle: "", roles: [.admin], unitIds: [])
            try await fixture.users.create(user, passwordHash: "old", origin: fixture.origin)
            let sessions = SessionStore(database: database, clock: fixture.clock)
            let (cookie, _) = try await sessions.create(user: user, secondFactorPassed: true, origin: fixture.origin)
            #expect(try await sessions.find(token: cookie)?.userId == user.id)
            fixture.clock.advance(by: SessionStore.lifetime + 1)
            #expect(try await sessions.find(token: cookie) == nil)

            let tokens = TokenStore(database: database, clock: fixture.clock)
            let (token, record) = try await tokens.create(userId: user.id, name: "dashboard", expiresAt: nil, origin: fixture.origin)
            let stored = try await database.read { db in try await db.raw("SELECT token_hash FROM api_tokens").first()?.decode(column: "token_hash", as: String.self) }
            #expect(stored == SecretHash.of(token) && stored != token)
            #expect(try await tokens.userId(forToken: token)?.userId == user.id)
            #expect(try await tokens.revoke(id: record.id, userId: user.id, origin: fixture.origin))
            #expect(try await tokens.userId(forToken: token) == nil)

            let resets = PasswordResetStore(database: database, clock: fixture.clock)
            let link = try await resets.issue(userId: user.id, origin: fixture.origin)
            #expect(try await resets.consume(token: link, passwordHash: "new", origin: fixture.origin))
            #expect(try await !resets.consume(token: link, passwordHash: "again", origin: fixture.origin))
            #expect(try await fixture.users.find(email: "a@example.org")?.passwordHash == "new")
            #expect(try await AuditLog.verify(database) != .intact(rows: 0))
        }
    }
}
