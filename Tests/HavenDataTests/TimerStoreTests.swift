import Foundation
import HavenCore
import HavenData
import HavenTestSupport
import Testing

@Suite("Timers: durable, claimed once")
struct TimerStoreTests {
    func organisation(_ database: Database, clock: ManualClock) async throws -> String {
        let organisation = Organisation(id: Identifier.make(), name: "Org", timeZone: "Europe/London", rulePack: .england)
        try await OrganisationStore(database: database, clock: clock).create(organisation)
        return organisation.id
    }

    @Test("Only due timers are claimed, earliest first, and a completed one never again")
    func dueOrder() async throws {
        try await TestDatabase.with { database in
            let clock = ManualClock()
            let org = try await organisation(database, clock: clock)
            let timers = TimerStore(database: database, clock: clock)
            _ = try await timers.schedule(organisationId: org, kind: "later", subjectId: "b", dueAt: clock.now() + 120)
            _ = try await timers.schedule(organisationId: org, kind: "soon", subjectId: "a", dueAt: clock.now() + 60)
            #expect(try await timers.claimNext(owner: "one") == nil)
            #expect(try await timers.nextDueAt() == clock.now() + 60)
            clock.advance(by: 121)
            let first = try #require(try await timers.claimNext(owner: "one"))
            #expect(first.kind == "soon")
            try await timers.complete(first.id)
            let second = try #require(try await timers.claimNext(owner: "one"))
            #expect(second.kind == "later")
            try await timers.complete(second.id)
            #expect(try await timers.claimNext(owner: "one") == nil)
            #expect(try await timers.nextDueAt() == nil)
        }
    }

    @Test("Many instances racing for one timer: exactly one wins; a lapsed claim is taken again")
    func atomicClaim() async throws {
        try await TestDatabase.with { database in
            let clock = ManualClock()
            let org = try await organisation(database, clock: clock)
            let timers = TimerStore(database: database, clock: clock)
            _ = try await timers.schedule(organisationId: org, kind: "k", subjectId: "s", dueAt: clock.now())
            let winners = try await withThrowingTaskGroup(of: DueTimer?.self, returning: Int.self) { group in
                for index in 0..<12 { group.addTask { try await timers.claimNext(owner: "instance-\(index)", lease: 60) } }
                return try await group.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
            }
            #expect(winners == 1)
            clock.advance(by: 30)
            #expect(try await timers.claimNext(owner: "other") == nil, "the claim still holds")
            clock.advance(by: 31)
            let retaken = try #require(try await timers.claimNext(owner: "other"))
            #expect(retaken.attempts == 2)
        }
    }
}
