import Foundation
import HavenCore
import SQLKit

/// A numbered change to the schema. The SQL is written once for both databases: it uses only TEXT,
/// INTEGER, BIGINT and DOUBLE PRECISION columns, which SQLite and PostgreSQL both understand.
/// Times are BIGINT milliseconds since 1970 (UTC); flags are INTEGER 0 or 1.
///
/// Where the engines genuinely differ (full-text search is FTS5 on one and tsvector on the other), a migration
/// adds statements for one dialect; they run after the shared ones.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let statements: [String]
    public let sqlite: [String]
    public let postgres: [String]

    public init(version: Int, name: String, statements: [String], sqlite: [String] = [], postgres: [String] = []) {
        self.version = version
        self.name = name
        self.statements = statements
        self.sqlite = sqlite
        self.postgres = postgres
    }

    /// A table that is its own primary key (on SQLite WITHOUT ROWID, so a read by the key never leaves it), created and
    /// then filled by `fill`.
    init(version: Int, name: String, keyedTable table: String, fill: [String]) {
        self.init(version: version, name: name, statements: [], sqlite: [table + " WITHOUT ROWID"] + fill, postgres: [table] + fill)
    }

    /// The statements to run on a database of this dialect, in order.
    public func statements(for dialect: Dialect) -> [String] {
        statements + (dialect == .sqlite ? sqlite : postgres)
    }
}

public enum Migrations {
    /// Every migration, in order. Feature issues append theirs; never edit one that has shipped.
    public static let all: [Migration] = foundation + incidents + incidentCases + incidentSearch + retention + loneWorking + useOfForce
        + useOfForceRecord + loneWorkingDevices + useOfForceStatistics + useOfForceDebriefs + behaviourSupportPlans + rapidTranquillisation
        + negligibleForce + useOfForceRemaining + useOfForcePolice + useOfForceInvestigations + useOfForcePatientMonths + useOfForceValueMinutes
        + loneWorkingCallouts

    /// Applies the migrations the database has not seen yet (up to `version`, which tests use to check that a
    /// migration handles rows written before it). Safe to call from several instances at once: on PostgreSQL an
    /// advisory lock makes them take turns.
    @discardableResult
    public static func run(on database: Database, upTo version: Int = .max, clock: any HavenClock = SystemClock()) async throws -> [Migration] {
        try await database.write { db in
            try await db.raw("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)").run()
        }
        var applied: [Migration] = []
        for migration in all where migration.version <= version {
            let didApply = try await database.write { db -> Bool in
                if database.dialect == .postgres {
                    try await db.raw("SELECT pg_advisory_xact_lock(7242001)").run()
                }
                let seen = try await db.raw("SELECT version FROM schema_migrations WHERE version = \(bind: migration.version)").first()
                guard seen == nil else { return false }
                for statement in migration.statements(for: database.dialect) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await db.raw("""
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: clock.now().epochMilliseconds))
                    """).run()
                return true
            }
            if didApply { applied.append(migration) }
        }
        return applied
    }

    /// The highest version applied.
    public static func currentVersion(of database: Database) async throws -> Int {
        try await database.read { db in
            let row = try await db.raw("SELECT MAX(version) AS version FROM schema_migrations").first()
            return try row?.decode(column: "version", as: Int?.self) ?? 0
        }
    }
}

