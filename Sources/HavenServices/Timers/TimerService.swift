import Foundation
import HavenCore
import HavenData
import Logging
import Synchronization

/// Runs durable timers when they fall due. It sleeps until the next due time (read from an index, never a scan),
/// wakes early when new work is scheduled in this process, and claims timers atomically so that several instances
/// can share one PostgreSQL database.
///
/// Due work is claimed in batches (one commit for many timers) and run concurrently, up to `concurrency` at once, so
/// ten thousand visits falling due in a minute do not queue behind one another, and one slow webhook receiver does
/// not hold up everyone else's escalation. Handlers that write at the same moment share commits through the database's
/// group commit. The live loop also claims work due within `lookahead` and runs each timer at its due time, so the
/// claim's commit is not on the path from the due time to the first escalation.
public final class TimerService: Sendable {
    public typealias Handler = @Sendable (DueTimer) async throws -> Void

    let timers: TimerStore
    let clock: any HavenClock
    let logger: Logger
    let owner = "instance-" + Identifier.secret(length: 8)
    private let handlers: [String: Handler]
    private let wakeSignal = WakeSignal()
    /// Timers handed over by committed writes, waiting for the loop's next turn.
    private let handedOver = Mutex<[DueTimer]>([])
    /// How many timers this instance is running now.
    private let running = Mutex(0)
    /// When the loop's sleep ends (by the injected clock); `.distantPast` while it is awake, so that any timer
    /// committed then makes it look again.
    private let sleepsUntil = Mutex(Date.distantPast)
    /// Other instances may schedule work this one is not told about: look again at least this often.
    let longestSleep: Duration
    /// How many timers this instance holds at once, running or waiting for their due time (each is a handler: an
    /// escalation's transaction, a webhook call). Room for a second's worth of a heavy minute (10,000 due in one minute
    /// is 167 a second) and the webhook calls they stage.
    let concurrency: Int
    /// How far ahead the live loop claims work, holding it until its due time.
    let lookahead: TimeInterval

    public init(timers: TimerStore, clock: any HavenClock, logger: Logger, handlers: [String: Handler], longestSleep: Duration = .seconds(30),
                concurrency: Int = 256, lookahead: TimeInterval = 1) {
        self.timers = timers
        self.clock = clock
        self.logger = logger
        self.handlers = handlers
        self.longestSleep = longestSleep
        self.concurrency = max(1, concurrency)
        self.lookahead = max(0, lookahead)
    }

    /// Tells the service that something was scheduled, so it looks at the next due time again.
    public func wake() { wakeSignal.signal() }

    /// When the sleeping loop will look again; nil while it is awake.
    public var nextWakeUp: Date? {
        let until = sleepsUntil.withLock { $0 }
        return until == .distantPast ? nil : until
    }

    /// Tells the service that a timer due at `dueAt` was committed. The loop is woken only when it would otherwise
    /// sleep past the moment it must claim that timer: a check-in moves its visit's timer later, and thousands a
    /// second must not each make the loop look again (two reads and a new sleep every time).
    public func wake(forTimerDueAt dueAt: Date) {
        let sleepingUntil = sleepsUntil.withLock { $0 }
        if dueAt.addingTimeInterval(-lookahead) < sleepingUntil { wakeSignal.signal() }
    }

    /// For a write whose work due now this instance runs itself once it commits (see `TimerHandoff`).
    public func handoff() -> TimerHandoff { TimerHandoff(owner: owner) }

    /// Runs timers a committed write handed over (already claimed by this instance) at once: the loop starts them
    /// on its next turn, and `runDue` runs them first.
    public func run(handedOver timers: [DueTimer]) {
        guard !timers.isEmpty else { return }
        handedOver.withLock { $0 += timers }
        wakeSignal.signal()
    }

    /// Runs every timer that is due now, batch by batch, and returns how many ran (also those whose handler found
    /// nothing to do). Work the handlers schedule for now runs in the same call. The tests use it in simulated time.
    @discardableResult
    public func runDue() async -> Int {
        var ran = 0
        while !Task.isCancelled {
            var batch = takeHandedOver()
            do { batch += try await timers.claimDue(owner: owner, limit: concurrency) } catch {
                logger.error("Could not claim timers: \(error)")
                return ran
            }
            guard !batch.isEmpty else { return ran }
            ran += batch.count
            await withTaskGroup(of: Void.self) { group in
                for timer in batch { group.addTask { await self.execute(timer) } }
            }
        }
        return ran
    }

    /// The service loop: claim what is due (or due within the lookahead), start each claimed timer without waiting
    /// for the others, then sleep until the next due time, a wake-up or a free slot.
    public func run() async {
        do {
            let released = try await timers.releaseClaimsOfStoppedInstances()
            if released > 0 { logger.notice("Took back \(released) timer claims left by a stopped instance") }
        } catch {
            logger.error("Could not take back the claims of a stopped instance: \(error)")
        }
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                // Handed over by a committed write: already claimed, due now, so started before anything is claimed.
                for timer in takeHandedOver() {
                    addRunning(1)
                    group.addTask {
                        await self.execute(timer)
                        if self.addRunning(-1) == self.concurrency - 1 { self.wakeSignal.signal() }
                    }
                }
                let room = concurrency - running.withLock { $0 }
                var claimed: [DueTimer] = []
                if room > 0 {
                    do { claimed = try await timers.claimDue(owner: owner, limit: room, dueBy: clock.now() + lookahead) } catch {
                        logger.error("Could not claim timers: \(error)")
                    }
                }
                for timer in claimed {
                    addRunning(1)
                    group.addTask {
                        if await self.waitUntilDue(timer) { await self.execute(timer) }
                        // A loop that stopped claiming because every slot was taken looks again now.
                        if self.addRunning(-1) == self.concurrency - 1 { self.wakeSignal.signal() }
                    }
                }
                if !claimed.isEmpty && claimed.count == room { continue }
                let sleep = room > claimed.count ? await sleepDuration() : longestSleep
                let seconds = Double(sleep.components.seconds) + Double(sleep.components.attoseconds) / 1e18
                let wakeUp = clock.now().addingTimeInterval(seconds)
                sleepsUntil.withLock { $0 = wakeUp }
                await wakeSignal.wait(upTo: sleep)
                sleepsUntil.withLock { $0 = .distantPast }
            }
        }
    }

    /// Runs one claimed timer's handler and marks it done; a failure puts it back for later.
    func execute(_ timer: DueTimer) async {
        guard let handler = handlers[timer.kind] else {
            logger.warning("No handler for timer kind \(timer.kind); marking it done")
            try? await timers.complete(timer.id)
            return
        }
        do {
            try await handler(timer)
            try await timers.complete(timer.id)
        } catch is CancellationError {
            // Shutting down mid-task: give the timer back as it was, so the next start runs it at once (in a task of its
            // own, which is not cancelled).
            let timers = self.timers
            await Task { try? await timers.reschedule(timer.id, dueAt: timer.dueAt) }.value
        } catch {
            // A handler that throws is tried again a minute later; the handlers keep their own retry counts.
            logger.error("Timer \(timer.kind) \(timer.id) failed: \(error)")
            try? await timers.reschedule(timer.id, dueAt: clock.now() + 60)
        }
    }

    /// A timer claimed ahead of its due time waits for it here (the clock is the injected one). False when the service
    /// is stopping: the claim is given back untouched, so the timer runs at its time on the next start, never early.
    private func waitUntilDue(_ timer: DueTimer) async -> Bool {
        let seconds = timer.dueAt.timeIntervalSince(clock.now())
        if seconds > 0 { try? await Task.sleep(for: .milliseconds(Int64((seconds * 1000).rounded(.up)))) }
        guard Task.isCancelled else { return true }
        // In a task of its own: this one is cancelled, and PostgreSQL's pool refuses work from a cancelled task.
        let timers = self.timers
        await Task { try? await timers.release(timer.id, attempts: timer.attempts - 1) }.value
        return false
    }

    private func takeHandedOver() -> [DueTimer] {
        handedOver.withLock { timers in
            defer { timers = [] }
            return timers
        }
    }

    /// Adds `delta` to the running count and returns the new count.
    @discardableResult
    private func addRunning(_ delta: Int) -> Int {
        running.withLock { count in
            count += delta
            return count
        }
    }

    private func sleepDuration() async -> Duration {
        guard let next = try? await timers.nextDueAt() else { return longestSleep }
        let seconds = max(0, next.timeIntervalSince(clock.now()) - lookahead)
        return min(.milliseconds(Int64((seconds * 1000).rounded(.up))), longestSleep)
    }
}

/// Lets the loop sleep until a deadline or until someone signals, whichever comes first.
/// A signal sent while nobody waits is kept, so a wake-up between two sleeps is not lost.
final class WakeSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var signalled = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func signal() {
        let toResume: [CheckedContinuation<Void, Never>] = lock.withLock {
            if waiters.isEmpty { signalled = true }
            defer { waiters = [] }
            return waiters
        }
        toResume.forEach { $0.resume() }
    }

    func wait(upTo duration: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: duration) }
            group.addTask { await self.waitForSignal() }
            _ = await group.next()
            group.cancelAll()
        }
    }

    private func waitForSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow: Bool = lock.withLock {
                    if signalled || Task.isCancelled {
                        signalled = false
                        return true
                    }
                    waiters.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let toResume: [CheckedContinuation<Void, Never>] = lock.withLock {
                defer { waiters = [] }
                return waiters
            }
            toResume.forEach { $0.resume() }
        }
    }
}
