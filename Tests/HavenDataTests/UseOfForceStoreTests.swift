import Foundation
import HavenCore
import HavenData
import HavenTestSupport
import SQLKit
import Testing

@Suite("Use of force: the store")
struct UseOfForceStoreTests {
    static let now = Date(timeIntervalSince1970: 1_798_761_600)

    func episode(id: String, organisationId: String, unitId: String, userId: String, startedAgo: TimeInterval, prone: Bool) throws -> UseOfForceEpisode {
        var d = UseOfForceDraft()
        d.unitId = unitId; d.reason = "Risk to others"; d.place = "Lounge"; d.description = "Hold"; d.outcome = "Settled"
        d.interventions = [.init(type: prone ? "01" : "09", startedAt: Self.now - startedAgo, endedAt: Self.now - startedAgo + 720, plannedInCarePlan: false, painBased: true),
                           .init(type: "16", startedAt: Self.now - startedAgo + 60, endedAt: Self.now - startedAgo + 120, plannedInCarePlan: true)]
        d.staff = [StaffInvolved(name: "Sam", jobTitle: "Nurse"), StaffInvolved(name: "Kim", jobTitle: "HCA")]
        d.nonStaffInvolved = true; d.nonStaffReason = "Police called for a weapon"
        d.harm = "serious-injury"; d.effortsToAvoid = "Talking down"; d.carePlanContactsNotified = "no-one-named"
        d.patientLocalId = "P-9"; d.patientNameNotKnown = true; d.nhsNumber = "4010232137"; d.mentalDisorderNotKnown = true
        d.characteristicsStatus = "not-known"; d.learningDisabilityOrAutism = "yes"; d.detained = true; d.detentionSection = "2"
        return try d.validated(id: id, organisationId: organisationId, recordedBy: userId, now: Self.now)
    }

    @Test("An episode reads back whole, lists by unit and date newest first, and its recording is audited")
    func roundTrip() async throws {
        try await TestDatabase.with { database in
            let clock = ManualClock(Self.now)
            let organisations = OrganisationStore(database: database, clock: clock)
            let organisation = Organisation(id: Identifier.make(), name: "Trust", timeZone: "Europe/London", rulePack: .england)
            try await organisations.create(organisation)
            let origin = Origin(organisationId: organisation.id, actorId: nil)
            let site = Site(id: Identifier.make(), organisationId: organisation.id, name: "General", address: "")
            try await organisations.save(site, origin: origin)
            var units: [String] = []
            for code in ["OAK", "ELM"] {
                let unit = CareUnit(id: Identifier.make(), organisationId: organisation.id, siteId: site.id, code: code, name: code,
                                    kind: .mentalHealthWard, beds: 18, staffWTE: 30)
                try await organisations.save(unit, origin: origin)
                units.append(unit.id)
            }
            let userId = Identifier.make()
            try await database.write { db in
                try await db.raw("""
                    INSERT INTO users (id, organisation_id, email, name, password_hash, created_at, updated_at)
                    VALUES (\(bind: userId), \(bind: organisation.id), \(bind: "n-\(organisation.id)@example.org"), 'Sam', 'x', 0, 0)
                    """).run()
            }
            let store = UseOfForceStore(database: database, clock: clock)
            let first = try episode(id: "a", organisationId: organisation.id, unitId: units[0], userId: userId, startedAgo: 7200, prone: true)
            let second = try episode(id: "b", organisationId: organisation.id, unitId: units[0], userId: userId, startedAgo: 3600, prone: false)
            let other = try episode(id: "c", organisationId: organisation.id, unitId: units[1], userId: userId, startedAgo: 1800, prone: false)
            for e in [first, second, other] { try await store.record(e, origin: Origin(organisationId: organisation.id, actorId: userId)) }

            let read = try #require(try await store.episode(id: "a", organisationId: organisation.id))
            #expect(read == first)
            #expect(try await store.episode(id: "a", organisationId: "elsewhere") == nil)

            let oak = try await store.episodes(organisationId: organisation.id, .init(unitIds: [units[0]]))
            #expect(oak.total == 2 && oak.items.map(\.id) == ["b", "a"])
            let recent = try await store.episodes(organisationId: organisation.id, .init(from: Self.now - 4000, limit: 1))
            #expect(recent.total == 2 && recent.items.map(\.id) == ["c"])
            #expect(try await store.episodes(organisationId: organisation.id, .init(unitIds: [])).total == 0)

            let audited = try await database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'use-of-force.record'").first()?.decode(column: "n", as: Int.self)
            }
            #expect(audited == 3)
        }
    }
}
