import Foundation
import Logging
import SQLKit

public enum Dialect: String, Sendable {
    case sqlite
    case postgres
}

/// A piece of work that writes: it runs inside a transaction and must use only the database it is given.
public typealias WriteWork<T> = @Sendable (any SQLDatabase) async throws -> T

/// The storage behind Haven: a reader for queries and a writer that makes changes durable.
///
/// A write returns only once its transaction is committed (on SQLite with `synchronous=FULL`, on disk),
/// so a handler that answers "saved" after `write` never loses the record.
public final class Database: Sendable {
    public let dialect: Dialect
    private let store: any DatabaseStore

    init(dialect: Dialect, store: any DatabaseStore) {
        self.dialect = dialect
        self.store = store
    }

    /// Opens the database named by the URL, creating the SQLite file and its folder when needed.
    public static func open(_ url: DatabaseURL, logger: Logger) async throws -> Database {
        switch url {
        case .sqlite(let path):
            return Database(dialect: .sqlite, store: try await SQLiteStore.open(path: path, logger: logger))
        case .postgres:
            return Database(dialect: .postgres, store: try await PostgresStore.open(url, logger: logger))
        }
    }

    /// Runs a read-only query.
    public func read<T: Sendable>(_ work: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await store.read(work)
    }

    /// Runs `work` in a transaction and returns once it is committed. Never call `write` from inside `work`.
    public func write<T: Sendable>(_ work: @escaping WriteWork<T>) async throws -> T {
        try await store.write(work)
    }

    /// Whether the database answers a trivial query.
    public func isReachable() async -> Bool {
        (try? await read { db in try await db.raw("SELECT 1 AS one").first() }) != nil
    }

    public func close() async {
        await store.close()
    }

    /// For benchmarks: calls `observer` after each COMMIT of the SQLite writer with the number of writes it held.
    /// Returns false on PostgreSQL, which has no group-commit writer.
    @_spi(Benchmarks)
    public func observeCommits(_ observer: @escaping @Sendable (Int) -> Void) async throws -> Bool {
        guard let sqlite = store as? SQLiteStore else { return false }
        try await sqlite.observeCommits(observer)
        return true
    }

    /// For tests and benchmarks: WAL checkpoints the SQLite checkpointer has run (nil on PostgreSQL).
    @_spi(Benchmarks)
    public var sqliteCheckpoints: Int? { (store as? SQLiteStore)?.checkpointer.checkpoints }

    /// For tests: writes queued for the SQLite writer and not yet taken into a batch (nil on PostgreSQL).
    @_spi(Benchmarks)
    public var sqliteQueuedWrites: Int? { (store as? SQLiteStore)?.queuedWrites }
}

protocol DatabaseStore: Sendable {
    func read<T: Sendable>(_ work: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    func write<T: Sendable>(_ work: @escaping WriteWork<T>) async throws -> T
    func close() async
}

/// A failure to open the database, said in one line.
public struct DatabaseOpenError: Error, CustomStringConvertible {
    public let description: String
}
