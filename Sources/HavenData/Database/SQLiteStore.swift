import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLiteKit

/// SQLite in WAL mode: one writer connection behind a group-commit queue, and a few reader connections
/// that WAL lets run beside it.
final class SQLiteStore: DatabaseStore {
    private let readers: [SQLiteConnection]
    private let writer: GroupCommitWriter
    private let writerConnection: SQLiteConnection
    private let readerTurn = ReaderTurn()

    private init(readers: [SQLiteConnection], writerConnection: SQLiteConnection, logger: Logger) {
        self.readers = readers
        self.writerConnection = writerConnection
        self.writer = GroupCommitWriter(database: writerConnection.sql(), logger: logger)
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
        func connect() async throws -> SQLiteConnection {
            let connection: SQLiteConnection
            do {
                connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            } catch {
                throw DatabaseOpenError(description: "Cannot open the SQLite database \(path): \(error)")
            }
            // WAL lets readers work beside the writer; FULL syncs the WAL on every commit so an
            // acknowledged record survives power loss; busy_timeout waits for another process's lock.
            for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000"] {
                do {
                    _ = try await connection.query(pragma)
                } catch {
                    throw DatabaseOpenError(description: "Cannot use the SQLite database \(path): \(error)")
                }
            }
            return connection
        }
        let writerConnection = try await connect()
        var readers: [SQLiteConnection] = []
        for _ in 0..<readerCount { readers.append(try await connect()) }
        return SQLiteStore(readers: readers, writerConnection: writerConnection, logger: logger)
    }

    func read<T: Sendable>(_ work: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await work(readers[readerTurn.next(of: readers.count)].sql())
    }

    func write<T: Sendable>(_ work: @escaping WriteWork<T>) async throws -> T {
        try await writer.write(work)
    }

    func close() async {
        for connection in readers + [writerConnection] { try? await connection.close() }
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
