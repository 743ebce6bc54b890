import Foundation
import HavenCore
import HavenData
import Logging

/// A database for one test: a new SQLite file in a temporary folder, or, when `HAVEN_TEST_POSTGRES_URL` names
/// a PostgreSQL server, a new database created on it (and dropped afterwards). The test command runs the whole
/// suite once each way, so every repository is tested on both.
public struct TestDatabase: Sendable {
    public let database: Database
    private let cleanup: @Sendable () async -> Void

    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["HAVEN_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static var logger: Logger {
        var logger = Logger(label: "haven-test")
        logger.logLevel = .warning
        return logger
    }

    /// Opens a fresh, migrated database.
    public static func make(migrate: Bool = true) async throws -> TestDatabase {
        let test: TestDatabase
        if let adminURL = postgresURL {
            test = try await makePostgres(adminURL: adminURL)
        } else {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haven-test-\(Identifier.secret(length: 10))")
            let path = folder.appendingPathComponent("haven.sqlite").path
            let database = try await Database.open(.sqlite(path: path), logger: logger)
            test = TestDatabase(database: database) {
                await database.close()
                try? FileManager.default.removeItem(at: folder)
            }
        }
        if migrate { try await Migrations.run(on: test.database) }
        return test
    }

    private static func makePostgres(adminURL: String) async throws -> TestDatabase {
        guard case .postgres(let host, let port, let user, let password, _, let tls) = try DatabaseURL.parse(adminURL) else {
            fatalError("HAVEN_TEST_POSTGRES_URL is not a postgres:// URL")
        }
        let name = "haven_test_" + Identifier.make().replacingOccurrences(of: "-", with: "")
        let admin = try await Database.open(try DatabaseURL.parse(adminURL), logger: logger)
        try await DatabaseCreation.shared.create(name, on: admin)
        let database = try await Database.open(.postgres(host: host, port: port, username: user, password: password, database: name, requireTLS: tls),
                                               logger: logger)
        return TestDatabase(database: database) {
            await database.close()
            _ = try? await admin.read { db in try await db.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run() }
            await admin.close()
        }
    }

    init(database: Database, cleanup: @escaping @Sendable () async -> Void) {
        self.database = database
        self.cleanup = cleanup
    }

    public func close() async { await cleanup() }

    /// Runs `body` with a fresh database and always cleans up.
    public static func with<T>(_ body: (Database) async throws -> T) async throws -> T {
        let test = try await make()
        do {
            let result = try await body(test.database)
            await test.close()
            return result
        } catch {
            await test.close()
            throw error
        }
    }
}

/// PostgreSQL refuses a CREATE DATABASE while another one is copying the same template ("source database is
/// being accessed by other users"), and tests run in parallel: creations take turns, and a refusal is retried.
actor DatabaseCreation {
    static let shared = DatabaseCreation()

    func create(_ name: String, on admin: Database) async throws {
        var attempt = 0
        while true {
            do {
                try await admin.read { db in try await db.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
                return
            } catch {
                attempt += 1
                if attempt >= 10 { throw CreationFailed(description: String(reflecting: error)) }
                try await Task.sleep(for: .milliseconds(100 * attempt))
            }
        }
    }

    struct CreationFailed: Error, CustomStringConvertible {
        let description: String
    }
}
