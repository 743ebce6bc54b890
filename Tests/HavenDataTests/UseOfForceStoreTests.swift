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
        if prone { d.proneJustification = "Fell forward; turned to the side within a minute" }
        return try d.validated(id: id, organisationId: organisationId, recordedBy: userId, now: Self.now)
    }

    /// An organisation with two units and one recorder, and the store.
    func setUp(_ database: Database) async throws -> (store: UseOfForceStore, organisationId: String, units: [String], userId: String, clock: ManualClock) {
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
        return (UseOfForceStore(database: database, clock: clock), organisation.id, units, userId, clock)
    }

    static let london = TimeZone(identifier: "Europe/London")!

    @Test("An episode reads back whole, lists by unit and date newest first, and its recording is audited")
    func roundTrip() async throws {
        try await TestDatabase.with { database in
            let (store, organisationId, units, userId, _) = try await setUp(database)
            let first = try episode(id: "a", organisationId: organisationId, unitId: units[0], userId: userId, startedAgo: 7200, prone: true)
            let second = try episode(id: "b", organisationId: organisationId, unitId: units[0], userId: userId, startedAgo: 3600, prone: false)
            let other = try episode(id: "c", organisationId: organisationId, unitId: units[1], userId: userId, startedAgo: 1800, prone: false)
            for e in [first, second, other] {
                try await store.record(e, timeZone: Self.london, origin: Origin(organisationId: organisationId, actorId: userId))
            }

            let read = try #require(try await store.episode(id: "a", organisationId: organisationId))
            #expect(read.episode == first)
            #expect(read.updatedAt == nil && read.reviewedAt == nil)
            #expect(try await store.episode(id: "a", organisationId: "elsewhere") == nil)

            let oak = try await store.episodes(organisationId: organisationId, .init(unitIds: [units[0]]))
            #expect(oak.total == 2 && oak.items.map(\.episode.id) == ["b", "a"])
            let recent = try await store.episodes(organisationId: organisationId, .init(from: Self.now - 4000, limit: 1))
            #expect(recent.total == 2 && recent.items.map(\.episode.id) == ["c"])
            #expect(try await store.episodes(organisationId: organisationId, .init(unitIds: [])).total == 0)
            // Local days in the organisation's time zone: 2027-01-01 00:00 UTC less two hours is 31 December in London.
            let day = try await store.episodes(organisationId: organisationId, .init(fromDate: "2026-12-31", toDate: "2026-12-31"))
            #expect(day.total == 3)
            #expect(try await store.episodes(organisationId: organisationId, .init(fromDate: "2027-01-01")).total == 0)
            let waiting = try await store.episodes(organisationId: organisationId, .init(awaitingReview: true))
            #expect(waiting.total == 3, "each has a pain-based technique")

            let audited = try await database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'use-of-force.record'").first()?.decode(column: "n", as: Int.self)
            }
            #expect(audited == 3)
        }
    }

    @Test("Characteristics are stored one column each; a correction is conditional on the version read; a review happens once")
    func correctionsAndReview() async throws {
        try await TestDatabase.with { database in
            let (store, organisationId, units, userId, clock) = try await setUp(database)
            let origin = Origin(organisationId: organisationId, actorId: userId)
            var draft = UseOfForceDraft(try episode(id: "a", organisationId: organisationId, unitId: units[0], userId: userId, startedAgo: 7200, prone: false))
            draft.characteristicsStatus = "recorded"; draft.characteristics = ["ethnicity": "N", "sex": "female", "ageBand": "25-34"]
            let original = try draft.validated(id: "a", organisationId: organisationId, recordedBy: userId, now: Self.now)
            try await store.record(original, timeZone: Self.london, origin: origin)
            let stored = try #require(try await store.episode(id: "a", organisationId: organisationId))
            #expect(stored.episode.patient.characteristics[.ethnicity] == "N" && stored.episode.patient.characteristics[.religion] == "not-known")
            let column = try await database.read { db in
                try await db.raw("SELECT pc_sex FROM use_of_force_episodes WHERE id = 'a'").first()?.decode(column: "pc_sex", as: String.self)
            }
            #expect(column == "female")

            var corrected = original
            corrected.outcome = "Settled within the hour"
            corrected.interventions = [corrected.interventions[0]]
            clock.advance(by: 60)
            #expect(try await store.update(corrected, readAt: nil, changedItems: ["outcome", "interventions"], timeZone: Self.london, origin: origin))
            #expect(!(try await store.update(corrected, readAt: nil, changedItems: ["outcome"], timeZone: Self.london, origin: origin)),
                    "a second correction from the same stale read loses")
            let after = try #require(try await store.episode(id: "a", organisationId: organisationId))
            #expect(after.episode == corrected && after.updatedAt == Self.now + 60)

            #expect(try await store.review(id: "a", organisationId: organisationId, by: userId, note: "Proportionate", origin: origin))
            #expect(!(try await store.review(id: "a", organisationId: organisationId, by: userId, note: "Again", origin: origin)))
            #expect(try await store.episode(id: "a", organisationId: organisationId)?.reviewNote == "Proportionate")

            // The same type on the same patient at overlapping times, in another record, is found; other types are not.
            let twin = try episode(id: "b", organisationId: organisationId, unitId: units[0], userId: userId, startedAgo: 7100, prone: false)
            #expect(try await store.overlaps(with: twin) == [0: "a"])
            var elsewhere = twin
            elsewhere.patient.localIdentifier = "P-10"
            #expect(try await store.overlaps(with: elsewhere).isEmpty)
        }
    }
}
