import Foundation
import HavenCore
import HavenData
import HavenServices
import HavenTestSupport
import SQLKit
import Testing

/// The timer loop as the server runs it (`run()`, not the tests' `runDue()`), on a real database.
@Suite("Timer service: due work runs side by side, on time, and is given back on stop")
struct TimerServiceTests {
    func organisation(_ database: Database, clock: any HavenClock) async throws -> String {
        let organisation = Organisation(id: Identifier.make(), name: "Org", timeZone: "Europe/London", rulePack: .england)
        try await OrganisationStore(database: database, clock: clock).create(organisation)
        return organisation.id
    }

    /// Waits (up to `seconds`) until `condition` holds; false if it never did.
    func eventually(_ seconds: Double = 10, _ condition: @Sendable () async throws -> Bool) async rethrows -> Bool {
        let ends = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < ends {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }

    @Test("A handler that hangs (a webhook receiver that never answers) does not hold up the other timers due with it")
    func slowHandlerDoesNotBlock() async throws {
        try await TestDatabase.with { database in
            let clock = ManualClock(Date())
            let org = try await organisation(database, clock: clock)
            let timers = TimerStore(database: database, clock: clock)
            let gate = Gate(), ran = Ran()
            _ = try await timers.schedule(organisationId: org, kind: "hangs", subjectId: "receiver-down", dueAt: clock.now() - 1)
            for index in 0..<5 { _ = try await timers.schedule(organisationId: org, kind: "quick", subjectId: "visit-\(index)", dueAt: clock.now()) }
            let service = TimerService(timers: timers, clock: clock, logger: TestDatabase.logger, handlers: [
                "hangs": { _ in await gate.wait(); ran.add("receiver-down") },
                "quick": { timer in ran.add(timer.subjectId) },
            ])
            let loop = Task { await service.run() }
            let others = await eventually { ran.names.count == 5 }
            #expect(others, "the five quick timers ran while the first one hung: \(ran.names)")
            #expect(!ran.names.contains("receiver-down"))
            await gate.open()
            #expect(await eventually { ran.names.count == 6 })
            #expect(await eventually { (try? await timers.openCount()) == 0 }, "each marked done")
            loop.cancel()
            await loop.value
        }
    }

    @Test("Work claimed ahead of its time runs at its due time, never before; on stop, work not yet due is given back untouched")
    func claimedAheadRunsOnTime() async throws {
        try await TestDatabase.with { database in
            let clock = SystemClock()
            let org = try await organisation(database, clock: clock)
            let timers = TimerStore(database: database, clock: clock)
            let ran = Ran()
            let service = TimerService(timers: timers, clock: clock, logger: TestDatabase.logger, handlers: [
                "visit": { timer in ran.add("\(timer.subjectId) \(clock.now() >= timer.dueAt ? "on time" : "early")") },
            ], lookahead: 60)
            let soon = clock.now() + 0.5
            _ = try await timers.schedule(organisationId: org, kind: "visit", subjectId: "soon", dueAt: soon)
            let loop = Task { await service.run() }
            #expect(await eventually { ran.names.count == 1 })
            #expect(ran.names == ["soon on time"])

            let later = try await timers.schedule(organisationId: org, kind: "visit", subjectId: "later", dueAt: clock.now() + 30)
            service.wake()
            let held = try await eventually {
                try await database.read { db in
                    try await db.raw("SELECT claimed_by FROM timers WHERE id = \(bind: later)").first()?.decode(column: "claimed_by", as: String?.self) != nil
                }
            }
            #expect(held, "claimed within the lookahead")
            loop.cancel()
            await loop.value
            #expect(ran.names == ["soon on time"], "the later one did not run early")
            let row = try #require(try await database.read { db in
                try await db.raw("SELECT claimed_until, attempts, completed_at FROM timers WHERE id = \(bind: later)").first()
            })
            #expect(try row.decode(column: "claimed_until", as: Int64?.self) == nil)
            #expect(try row.decode(column: "completed_at", as: Int64?.self) == nil)
            #expect(try row.decode(column: "attempts", as: Int.self) == 0)
        }
    }

    @Test("A timer committed for after the loop's next wake-up does not wake it; one due before it does")
    func wakesOnlyForEarlierTimers() async throws {
        try await TestDatabase.with { database in
            let clock = SystemClock()
            let org = try await organisation(database, clock: clock)
            let timers = TimerStore(database: database, clock: clock)
            let ran = Ran()
            let service = TimerService(timers: timers, clock: clock, logger: TestDatabase.logger, handlers: [
                "visit": { timer in ran.add(timer.subjectId) },
            ], longestSleep: .seconds(120), lookahead: 0)
            _ = try await timers.schedule(organisationId: org, kind: "visit", subjectId: "in-a-minute", dueAt: clock.now() + 60)
            let loop = Task { await service.run() }
            // The loop has read the next due time and sleeps towards it (a timer committed while it is awake wakes it).
            #expect(await eventually { service.nextWakeUp != nil })
            let wakeUp = try #require(service.nextWakeUp)
            #expect(abs(wakeUp.timeIntervalSince(clock.now()) - 60) < 5, "sleeps until the timer in a minute: \(wakeUp)")

            // Due now but announced as later than the loop's wake-up (as a check-in's moved timer is): the loop sleeps on.
            _ = try await timers.schedule(organisationId: org, kind: "visit", subjectId: "due-now", dueAt: clock.now())
            service.wake(forTimerDueAt: clock.now() + 90)
            let woke = await eventually(1) { ran.names.contains("due-now") }
            #expect(!woke, "not woken for a timer after its wake-up")

            service.wake(forTimerDueAt: clock.now())
            #expect(await eventually { ran.names == ["due-now"] }, "woken for a timer before its wake-up")
            loop.cancel()
            await loop.value
        }
    }
}

/// Holds a handler until the test lets it go.
actor Gate {
    private var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func open() {
        isOpen = true
        waiting.forEach { $0.resume() }
        waiting = []
    }
}

/// Which handlers ran, in order.
final class Ran: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ name: String) { lock.withLock { list.append(name) } }
    var names: [String] { lock.withLock { list } }
}
