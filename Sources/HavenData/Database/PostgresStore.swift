import Foundation
import Logging
import NIOSSL
import PostgresKit

/// PostgreSQL through PostgresNIO's connection pool. Each write is its own transaction: PostgreSQL
/// already shares WAL flushes between concurrent commits, and several app instances may share it.
final class PostgresStore: DatabaseStore {
    private let client: PostgresClient
    private let runTask: Task<Void, Never>
    private let logger: Logger

    private init(client: PostgresClient, runTask: Task<Void, Never>, logger: Logger) {
        self.client = client
        self.runTask = runTask
        self.logger = logger
    }

    static func open(_ url: DatabaseURL, logger: Logger) async throws -> PostgresStore {
        guard case .postgres(let host, let port, let username, let password, let database, let requireTLS) = url else {
            preconditionFailure("PostgresStore opened with a non-PostgreSQL URL")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: requireTLS ? .require(.makeClientConfiguration()) : .disable)
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.maximumConnections = 16
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let runTask = Task { await client.run() }
        let store = PostgresStore(client: client, runTask: runTask, logger: logger)
        // Fail fast with one clear line when the server cannot be reached or refuses us.
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { _ = try await store.read { db in try await db.raw("SELECT 1 AS one").first() } }
                group.addTask {
                    try await Task.sleep(for: .seconds(8))
                    throw DatabaseOpenError(description: "timed out")
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            runTask.cancel()
            throw DatabaseOpenError(description: "Cannot reach PostgreSQL at \(host):\(port)/\(database): \(String(reflecting: error).prefix(300))")
        }
        return store
    }

    func read<T: Sendable>(_ work: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await work(connection.sql())
        }
    }

    func write<T: Sendable>(_ work: @escaping WriteWork<T>) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await work(connection.sql())
            }
        } catch let error as PostgresTransactionError {
            // The work's own error (a validation failure, say) matters to the caller, not the wrapper,
            // once the transaction was rolled back cleanly.
            if let closureError = error.closureError, error.rollbackError == nil { throw closureError }
            throw error
        }
    }

    func close() async {
        runTask.cancel()
        _ = await runTask.value
    }
}
