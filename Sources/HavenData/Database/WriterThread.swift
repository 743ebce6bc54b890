import Foundation

/// The SQLite writer's own thread, as a task executor: the group-commit batch task runs on it, so each batch's work,
/// its BEGIN and its COMMIT run one after another on one thread with no hop between them.
///
/// Before, BEGIN and COMMIT each went to a thread pool and back from one of Swift's cooperative threads: four thread
/// switches per batch, which on two cores were as costly as the work (PERFORMANCE.md, "Group commit"). COMMIT waits
/// for the fsync here, on a thread of its own, so that wait never holds one of the few cooperative threads.
final class WriterThread: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false
    private var stopped = false

    init(name: String) {
        let thread = Thread { self.runJobs() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    /// Runs `body` on this thread.
    func run<T: Sendable>(_ body: @Sendable () throws -> T) async throws -> T {
        try await withTaskExecutorPreference(self) { try body() }
    }

    /// Lets the thread end once the jobs queued so far have run; waits for it.
    func stop() {
        condition.withLock {
            stopping = true
            condition.broadcast()
            while !stopped { condition.wait() }
        }
    }

    private func runJobs() {
        while true {
            let ready: [UnownedJob] = condition.withLock {
                while jobs.isEmpty && !stopping { condition.wait() }
                let ready = jobs
                jobs.removeAll(keepingCapacity: true)
                return ready
            }
            if ready.isEmpty {
                condition.withLock {
                    stopped = true
                    condition.broadcast()
                }
                return
            }
            for job in ready { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }
}
