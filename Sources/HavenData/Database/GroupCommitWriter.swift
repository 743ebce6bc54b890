import Foundation
import Logging
import SQLKit
import Synchronization

/// Commits waiting writes together in one transaction, so one fsync serves many records.
///
/// Writers queue their work. A batch takes what is queued, and work queued while the batch's work runs joins it,
/// until nothing more waits (or the batch reaches its bound); then it commits, and work that arrives during the
/// COMMIT forms the next batch. Taking in late work matters: the writers answered by one COMMIT queue again while
/// the next batch runs, and without it each batch held only half the writers (PERFORMANCE.md, "Group commit, the
/// batch that takes in late work"). When a piece of work fails, the batch is run again with each piece in its own
/// savepoint, so the failure is rolled back alone and the others still commit. Every caller is answered only after
/// the COMMIT that holds its work has returned.
///
/// The queue is a locked array, not an actor: a write appends its job under the lock and, only when no batch is
/// being run, starts the one task that runs batches until the queue is empty. A write therefore costs no task
/// and no hop of its own, which kept an actor busy between batches (PERFORMANCE.md, "Group commit"). That task runs
/// on the connection's own thread (`WriterThread`), where BEGIN and COMMIT block without a hop.
final class GroupCommitWriter: Sendable {
    private struct Job {
        let run: @Sendable (any SQLDatabase) async throws -> Void
        let finish: @Sendable ((any Error)?) -> Void
    }

    private struct Queue {
        var pending: [Job] = []
        /// Whether the task that runs batches is going; it alone uses the connection.
        var draining = false

        /// Removes and returns the first `limit` pieces of work waiting.
        mutating func take(_ limit: Int) -> [Job] {
            let taken = Array(pending.prefix(limit))
            pending.removeFirst(taken.count)
            return taken
        }
    }

    // Used only by the one draining task (see `Queue.draining`), so never from two threads at once.
    private let connection: SQLiteWriterConnection
    private let database: any SQLDatabase
    private let logger: Logger
    private let queue = Mutex(Queue())
    /// A bound on one transaction, so one batch cannot hold the write lock for long.
    private let maximumBatch = 512

    init(connection: SQLiteWriterConnection, logger: Logger) {
        self.connection = connection
        self.database = connection.sql
        self.logger = logger
    }

    func write<T: Sendable>(_ work: @escaping WriteWork<T>) async throws -> T {
        let result = ResultBox<T>()
        return try await withCheckedThrowingContinuation { continuation in
            let job = Job(
                run: { db in result.set(try await work(db)) },
                finish: { error in
                    if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: result.get()!) }
                }
            )
            let startsDraining = queue.withLock { queue in
                queue.pending.append(job)
                guard !queue.draining else { return false }
                queue.draining = true
                return true
            }
            if startsDraining { Task(executorPreference: connection.thread) { await self.drain() } }
        }
    }

    /// Runs batches until no work is waiting.
    private func drain() async {
        while let batch = nextBatch() { await commit(batch) }
    }

    /// For tests: work queued and not yet taken into a batch.
    var queuedWrites: Int { queue.withLock { $0.pending.count } }

    /// The next batch, or nil (and no longer draining) when the queue is empty.
    private func nextBatch() -> [Job]? {
        queue.withLock { queue in
            guard !queue.pending.isEmpty else {
                queue.draining = false
                return nil
            }
            return queue.take(maximumBatch)
        }
    }

    /// Work queued since the running batch took its own, up to `limit` pieces (empty when none waits).
    private func lateWork(limit: Int) -> [Job] {
        queue.withLock { $0.take(limit) }
    }

    private func commit(_ firstWork: [Job]) async {
        var batch = firstWork
        // The common case: every piece of work succeeds, and the batch runs with no savepoints at all
        // (they would triple the statements).
        do {
            try connection.begin()
        } catch {
            batch.forEach { $0.finish(error) }
            return
        }
        var failed = false
        // The batch's work shares one audit head in memory (BatchAuditHead); it is stored once, before COMMIT.
        let auditHead = BatchAuditHead()
        let batchDatabase = BatchDatabase(base: database, auditHead: auditHead)
        var next = 0
        while !failed {
            if next == batch.count {
                // Work queued while this batch ran joins it, up to the bound (see the type's comment).
                let late = lateWork(limit: maximumBatch - batch.count)
                if late.isEmpty { break }
                batch += late
            }
            do { try await batch[next].run(batchDatabase) } catch { failed = true }
            next += 1
        }
        if !failed {
            do { try await auditHead.store(on: database) } catch { failed = true }
        }
        if failed {
            // One piece failed: undo the batch and run it again with a savepoint around each piece, so the
            // failure is rolled back alone. Work closures touch only the database, so running one again is safe.
            try? await database.raw("ROLLBACK").run()
            await commitIsolated(batch)
            return
        }
        await finishCommit(batch, outcomes: Array(repeating: nil, count: batch.count))
    }

    private func commitIsolated(_ batch: [Job]) async {
        do {
            try connection.begin()
        } catch {
            batch.forEach { $0.finish(error) }
            return
        }
        var outcomes: [(any Error)?] = []
        outcomes.reserveCapacity(batch.count)
        for job in batch {
            do {
                try await database.raw("SAVEPOINT work").run()
                try await job.run(database)
                try await database.raw("RELEASE work").run()
                outcomes.append(nil)
            } catch {
                try? await database.raw("ROLLBACK TO work").run()
                try? await database.raw("RELEASE work").run()
                outcomes.append(error)
            }
        }
        await finishCommit(batch, outcomes: outcomes)
    }

    private func finishCommit(_ batch: [Job], outcomes: [(any Error)?]) async {
        do {
            try connection.commit(writes: batch.count)
            for (job, outcome) in zip(batch, outcomes) { job.finish(outcome) }
        } catch {
            logger.error("Group commit failed: \(error)")
            try? await database.raw("ROLLBACK").run()
            batch.forEach { $0.finish(error) }
        }
    }
}

/// Carries a write's result out of the writer's task.
final class ResultBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T?
    func set(_ value: T) { lock.withLock { self.value = value } }
    func get() -> T? { lock.withLock { value } }
}
