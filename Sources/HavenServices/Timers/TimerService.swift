import Foundation
import HavenCore
import HavenData
import Logging

/// Runs durable timers when they fall due. It sleeps until the next due time (read from an index, never a scan),
/// wakes early when new work is scheduled in this process, and claims each timer atomically so that several
/// instances can share one PostgreSQL database.
public final class TimerService: Sendable {
    public typealias Handler = @Sendable (DueTimer) async throws -> Void

    let timers: TimerStore
    let clock: any HavenClock
    let logger: Logger
    let owner = "instance-" + Identifier.secret(length: 8)
    private let handlers: [String: Handler]
    private let wakeSignal = WakeSignal()
    /// Other instances may schedule work this one is not told about: look again at least this often.
    let longestSleep: Duration

    public init(timers: TimerStore, clock: any HavenClock, logger: Logger, handlers: [String: Handler], longestSleep: Duration = .seconds(30)) {
        self.timers = timers
        self.clock = clock
        self.logger = logger
        self.handlers = handlers
        self.longestSleep = longestSleep
    }

    /// Tells the service that something was scheduled, so it looks at the next due time again.
    public func wake() { wakeSignal.signal() }

    /// Runs every timer that is due now; returns how many ran. The loop and the tests both use it.
    @discardableResult
    public func runDue() async -> Int {
        var ran = 0
        while !Task.isCancelled {
            let claimed: DueTimer?
            do { claimed = try await timers.claimNext(owner: owner) } catch {
                logger.error("Could not claim a timer: \(error)")
                return ran
            }
            guard let timer = claimed else { return ran }
            ran += 1
            guard let handler = handlers[timer.kind] else {
                logger.warning("No handler for timer kind \(timer.kind); marking it done")
                try? await timers.complete(timer.id)
                continue
            }
            do {
                try await handler(timer)
                try await timers.complete(timer.id)
            } catch is CancellationError {
                // Shutting down mid-task: give the timer back as it was, so the next start runs it at once.
                try? await timers.reschedule(timer.id, dueAt: timer.dueAt)
                return ran
            } catch {
                // A handler that throws is tried again a minute later; the handlers keep their own retry counts.
                logger.error("Timer \(timer.kind) \(timer.id) failed: \(error)")
                try? await timers.reschedule(timer.id, dueAt: clock.now() + 60)
            }
        }
        return ran
    }

    /// The service loop: run what is due, then sleep until the next due time or a wake-up.
    public func run() async {
        while !Task.isCancelled {
            await runDue()
            await wakeSignal.wait(upTo: await sleepDuration())
        }
    }

    private func sleepDuration() async -> Duration {
        guard let next = try? await timers.nextDueAt() else { return longestSleep }
        let seconds = max(0, next.timeIntervalSince(clock.now()))
        return min(.milliseconds(Int64(seconds * 1000)), longestSleep)
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
