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

    @Test("A burst of due timers is claimed in batches, earliest first; instances racing for them take each exactly once")
    func batchClaim() async throws {
        try await TestDatabase.with { database in
            let clock = ManualClock()
            let org = try await organisation(database, clock: clock)
            let timers = TimerStore(database: database, clock: clock)
            for index in 0..<40 {
                _ = try await timers.schedule(organisationId: org, kind: "k", subjectId: "s\(index)", dueAt: clock.now() + Double(index))
            }
            _ = try await timers.schedule(organisationId: org, kind: "later", subjectId: "later", dueAt: clock.now() + 3600)
            clock.advance(by: 39)
            let first = try await timers.claimDue(owner: "one", limit: 10)
            #expect(first.map(\.subjectId) == (0..<10).map { "s\($0)" }, "the earliest ten, in due order")
            let racing = try await withThrowingTaskGroup(of: [DueTimer].self, returning: [String].self) { group in
                for index in 0..<4 { group.addTask { try await timers.claimDue(owner: "instance-\(index)", limit: 10) } }
                return try await group.reduce([]) { $0 + $1.map(\.subjectId) }
            }
            #expect(racing.count == 30 && Set(racing).count == 30, "each of the other thirty once")
            #expect(Set(racing).isDisjoint(with: first.map(\.subjectId)))
            #expect(try await timers.claimDue(owner: "one", limit: 10).isEmpty, "the one due in an hour is not due")
            try await timers.complete(first.map(\.id))
            #expect(try await timers.openCount() == 31)
        }
    }

    @Test("The next due time leaves out timers held by a live claim (so a busy loop does not wake for its own work) but not lapsed ones")
    func nextDueSkipsHeldClaims() async throws {
        try await TestDatabase.with { database in
            let clock = ManualClock()
            let org = try await organisation(database, clock: clock)
            let timers = TimerStore(database: database, clock: clock)
            _ = try await timers.schedule(organisationId: org, kind: "k", subjectId: "now", dueAt: clock.now())
            _ = try await timers.schedule(organisationId: org, kind: "k", subjectId: "later", dueAt: clock.now() + 300)
            let held = try #require(try await timers.claimNext(owner: "one", lease: 60))
            #expect(held.subjectId == "now")
            #expect(try await timers.nextDueAt() == clock.now() + 300)
            clock.advance(by: 61)
            #expect(try await timers.nextDueAt() == held.dueAt, "the claim lapsed: the timer is due again")
        }
    }

    @Test("Work due soon can be claimed ahead of its time, and given back untouched; at start on SQLite, claims left by a killed process are cleared")
    func claimAheadAndRelease() async throws {
        try await TestDatabase.with { database in
            let clock = ManualClock()
            let org = try await organisation(database, clock: clock)
            let timers = TimerStore(database: database, clock: clock)
            _ = try await timers.schedule(organisationId: org, kind: "k", subjectId: "soon", dueAt: clock.now() + 1)
            #expect(try await timers.claimDue(owner: "one", limit: 10).isEmpty)
            let ahead = try #require(try await timers.claimDue(owner: "one", limit: 10, dueBy: clock.now() + 2).first)
            #expect(ahead.subjectId == "soon" && ahead.attempts == 1)
            clock.advance(by: 30)
            #expect(try await timers.claimNext(owner: "two") == nil, "held for the lease after its due time")
            try await timers.release(ahead.id, attempts: ahead.attempts - 1)
            let again = try #require(try await timers.claimNext(owner: "two"))
            #expect(again.id == ahead.id && again.attempts == 1, "given back as it was")
            let cleared = try await timers.releaseClaimsOfStoppedInstances()
            if database.dialect == .sqlite {
                #expect(cleared == 1)
                #expect(try await timers.claimNext(owner: "three")?.id == ahead.id)
            } else {
                #expect(cleared == 0, "PostgreSQL may have other live instances: their claims stand")
            }
        }
    }

    @Test("Work due now, scheduled in a write that hands it over, is held by that instance to run at once; if it never runs, it is claimed again after the lease")
    func handedOverWork() async throws {
        try await TestDatabase.with { database in
            let clock = ManualClock()
            let org = try await organisation(database, clock: clock)
            let timers = TimerStore(database: database, clock: clock)
            let handoff = TimerHandoff(owner: "this-instance", lease: 60)
            let now = clock.now()
            try await database.write { db in
                handoff.begin()
                try await TimerHandoff.$current.withValue(handoff) {
                    _ = try await TimerStore.schedule(on: db, organisationId: org, kind: "delivery", subjectId: "webhook-call", dueAt: now, now: now)
                    _ = try await TimerStore.schedule(on: db, organisationId: org, kind: "step", subjectId: "next-step", dueAt: now + 120, now: now)
                }
            }
            let handed = handoff.take()
            #expect(handed.map(\.subjectId) == ["webhook-call"], "only work due now is handed over")
            #expect(try await timers.claimNext(owner: "other") == nil, "held by the instance that will send it")
            // That instance dies before sending: nothing is lost, the claim lapses.
            clock.advance(by: 61)
            #expect(try await timers.claimNext(owner: "other")?.subjectId == "webhook-call")
            clock.advance(by: 60)
            #expect(try await timers.claimNext(owner: "other")?.subjectId == "next-step", "scheduled the ordinary way")
        }
    }

    @Test("A timer nobody holds moves to a later time in place; one claimed, done, or moved to now is left for the caller to replace")
    func moveInPlace() async throws {
        try await TestDatabase.with { database in
            let clock = ManualClock()
            let org = try await organisation(database, clock: clock)
            let timers = TimerStore(database: database, clock: clock)
            let now = clock.now()
            let waiting = try await timers.schedule(organisationId: org, kind: "k", subjectId: "waiting", dueAt: now + 60)
            let moved = try await database.write { db in try await TimerStore.move(on: db, id: waiting, to: now + 600, now: now) }
            #expect(moved)
            #expect(try await timers.nextDueAt() == now + 600)
            #expect(try await timers.openCount() == 1, "moved, not copied")
            let toNow = try await database.write { db in try await TimerStore.move(on: db, id: waiting, to: now, now: now) }
            #expect(!toNow, "work due now goes through schedule, which hands it over")
            // Claimed ahead of its time: its handler may be about to run, so the claim stands and nothing moves.
            let held = try #require(try await timers.claimDue(owner: "one", limit: 1, dueBy: now + 600).first)
            let movedHeld = try await database.write { db in try await TimerStore.move(on: db, id: held.id, to: now + 900, now: now) }
            #expect(!movedHeld)
            try await timers.complete(held.id)
            let movedDone = try await database.write { db in try await TimerStore.move(on: db, id: held.id, to: now + 900, now: now) }
            #expect(!movedDone)
            #expect(try await timers.nextDueAt() == nil)
        }
    }
}
