import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLiteKit

/// SQLite in WAL mode: one writer connection behind a group-commit queue, and a few reader connections
/// that WAL lets run beside it.
final class SQLiteStore: DatabaseStore {
    private let readers: [SQLiteConnection]
    private let readerThreads: NIOThreadPool
    private let writer: GroupCommitWriter
    private let writerConnection: SQLiteWriterConnection
    let checkpointer: SQLiteCheckpointer
    private let readerTurn = ReaderTurn()

    private init(readers: [SQLiteConnection], readerThreads: NIOThreadPool, writerConnection: SQLiteWriterConnection,
                 checkpointer: SQLiteCheckpointer, logger: Logger) {
        self.readers = readers
        self.readerThreads = readerThreads
        self.writerConnection = writerConnection
        self.checkpointer = checkpointer
        self.writer = GroupCommitWriter(connection: writerConnection, logger: logger)
    }

    static func open(path: String, logger: Logger, readerCount: Int = 4) async throws -> SQLiteStore {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw DatabaseOpenError(description: "Cannot create the data folder \(folder): \(error.localizedDescription)")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw DatabaseOpenError(description: "The data folder \(folder) is not writable")
        }
        // WAL lets readers work beside the writer; FULL syncs the WAL on every commit so an
        // acknowledged record survives power loss; busy_timeout waits for another process's lock.
        let pragmas = ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000"]
        let writerConnection: SQLiteWriterConnection
        do {
            writerConnection = try await SQLiteWriterConnection.open(path: path, logger: logger)
        } catch {
            throw DatabaseOpenError(description: "Cannot open the SQLite database \(path): \(error)")
        }
        do {
            for pragma in pragmas { try writerConnection.execute(pragma, []) { _ in } }
        } catch {
            await writerConnection.close()
            throw DatabaseOpenError(description: "Cannot use the SQLite database \(path): \(error)")
        }
        // A thread per reader: a query waiting on a page read must not queue the others behind it (SQLiteNIO's
        // shared pool has one thread per core).
        let readerThreads = NIOThreadPool(numberOfThreads: readerCount)
        readerThreads.start()
        var readers: [SQLiteConnection] = []
        for _ in 0..<readerCount {
            do {
                let connection = try await SQLiteConnection.open(
                    storage: .file(path: path), threadPool: readerThreads, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
                readers.append(connection)
                for pragma in pragmas { _ = try await connection.query(pragma) }
            } catch {
                await writerConnection.close()
                for reader in readers { try? await reader.close() }
                try? await readerThreads.shutdownGracefully()
                throw DatabaseOpenError(description: "Cannot open the SQLite database \(path): \(error)")
            }
        }
        // After the pragmas: the database is in WAL mode by now. Checkpoints move off the writer's COMMIT.
        let checkpointer: SQLiteCheckpointer
        do {
            checkpointer = try await SQLiteCheckpointer.open(path: path, logger: logger)
        } catch {
            await writerConnection.close()
            for reader in readers { try? await reader.close() }
            try? await readerThreads.shutdownGracefully()
            throw DatabaseOpenError(description: "Cannot open the SQLite database \(path): \(error)")
        }
        writerConnection.checkpoint(with: checkpointer)
        return SQLiteStore(readers: readers, readerThreads: readerThreads, writerConnection: writerConnection, checkpointer: checkpointer, logger: logger)
    }

    func read<T: Sendable>(_ work: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await work(readers[readerTurn.next(of: readers.count)].sql())
    }

    func write<T: Sendable>(_ work: @escaping WriteWork<T>) async throws -> T {
        try await writer.write(work)
    }

    /// Tells `observer` the number of writes each COMMIT held (benchmarks count batches with it).
    func observeCommits(_ observer: @escaping @Sendable (Int) -> Void) async throws {
        let connection = writerConnection
        try await writer.write { _ in connection.onCommit = observer }
    }

    /// For tests: writes queued for the writer and not yet taken into a batch.
    var queuedWrites: Int { writer.queuedWrites }

    func close() async {
        for connection in readers { try? await connection.close() }
        try? await readerThreads.shutdownGracefully()
        await writerConnection.close()
        await checkpointer.close()
    }
}

/// Hands out reader connections in turn.
private final class ReaderTurn: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next(of count: Int) -> Int {
        lock.withLock {
            value = (value + 1) % count
            return value
        }
    }
}
