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
        // One direct connection first: it fails at once with the real reason (refused, unknown host, bad
        // password), where the pool would keep retrying quietly.
        do {
            let probe = try await PostgresConnection.connect(
                configuration: .init(host: host, port: port, username: username, password: password, database: database,
                                     tls: requireTLS ? .require(try .init(configuration: .makeClientConfiguration())) : .disable),
                id: 0, logger: logger)
            try await probe.close()
        } catch {
            throw DatabaseOpenError(description: "Cannot reach PostgreSQL at \(host):\(port)/\(database): \(Self.reason(error))")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: requireTLS ? .require(.makeClientConfiguration()) : .disable)
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.maximumConnections = 16
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: configuration, backgroundLogger: quiet)
        let runTask = Task { await client.run() }
        let store = PostgresStore(client: client, runTask: runTask, logger: logger)
        return store
    }

    /// The useful part of a PostgresNIO error (its description hides details on purpose; the server message
    /// and the socket error are what an operator needs).
    static func reason(_ error: any Error) -> String {
        let text = String(reflecting: error)
        for marker in ["Connection refused", "password authentication failed", "does not exist", "no pg_hba.conf entry",
                       "Name or service not known", "nodename nor servname", "timed out", "SSL"] where text.contains(marker) {
            if let range = text.range(of: #"message: [^,)]*"#, options: .regularExpression), marker != "Connection refused" {
                return String(text[range].dropFirst("message: ".count))
            }
            return marker.lowercased()
        }
        return String(text.prefix(200))
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
