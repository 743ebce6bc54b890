import ArgumentParser
import Configuration
import Foundation
import HavenCore
import HavenData
import HavenServices
import Logging

/// Settings come from flags, then the environment (HAVEN_…), then defaults.
enum Config {
    static let environment = ConfigReader(provider: EnvironmentVariablesProvider())

    static func string(_ flag: String?, _ key: String, default value: String? = nil) -> String? {
        flag ?? environment.string(forKey: ConfigKey(key)) ?? value
    }

    static func bool(_ flag: Bool, _ key: String) -> Bool {
        flag || ["1", "true", "yes"].contains(environment.string(forKey: ConfigKey(key))?.lowercased() ?? "")
    }

    static func logger(_ label: String = "haven") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = environment.string(forKey: "haven.log.level").flatMap(Logger.Level.init(rawValue:)) ?? .info
        return logger
    }

    /// bcrypt's cost: 12 by default; benchmarks and tests may lower it with HAVEN_BCRYPT_COST.
    static var bcryptCost: UInt8 {
        environment.string(forKey: "haven.bcrypt.cost").flatMap(UInt8.init).map { min(max($0, 4), 16) } ?? 12
    }
}

/// The database options every command that touches data takes.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "sqlite://PATH or postgres://user:password@host:port/database (env HAVEN_DATABASE_URL; default sqlite://./haven-data/haven.sqlite)")
    var databaseURL: String?

    var resolvedURL: String { Config.string(databaseURL, "haven.database.url", default: DatabaseURL.defaultURL)! }

    /// Opens the database and brings its schema up to date, or stops with one clear line.
    func open(logger: Logger, migrate: Bool = true) async throws -> Database {
        let url: DatabaseURL
        do { url = try DatabaseURL.parse(resolvedURL) } catch { throw Failure(String(describing: error)) }
        let database: Database
        do { database = try await Database.open(url, logger: logger) } catch { throw Failure(String(describing: error)) }
        if migrate {
            do { try await Migrations.run(on: database) } catch {
                await database.close()
                throw Failure("Cannot bring the database schema up to date: \(String(reflecting: error).prefix(300))")
            }
        }
        return database
    }
}

/// A failure said in one line, without a stack trace, with exit status 1.
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension AsyncParsableCommand {
    /// Runs the body; a Failure prints one line on standard error and exits 1.
    func reportingFailures(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as Failure {
            FileHandle.standardError.write(Data("haven: \(failure.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}

extension HavenEnvironment {
    /// The environment for a CLI command (no HTTP calls are made from the CLI, but the worker needs a client).
    static func forCommand(database: Database, logger: Logger) -> HavenEnvironment {
        HavenEnvironment(database: database, clock: SystemClock(), settings: .init(bcryptCost: Config.bcryptCost),
                         httpClient: .shared, logger: logger)
    }
}
