import Foundation
import HavenCore
import HavenData
import HavenTestSupport
import SQLKit
import Testing

@Suite("Database: migrations and the write path")
struct DatabaseTests {
    @Test("Migrations apply once and record their version")
    func migrations() async throws {
        let test = try await TestDatabase.make(migrate: false)
        defer { Task { await test.close() } }
        let first = try await Migrations.run(on: test.database)
        #expect(first.map(\.version) == Migrations.all.map(\.version))
        let second = try await Migrations.run(on: test.database)
        #expect(second.isEmpty)
        #expect(try await Migrations.currentVersion(of: test.database) == Migrations.all.last?.version)
        await test.close()
    }

    @Test("Concurrent writes all commit, and one failing write does not undo the others")
    func concurrentWrites() async throws {
        try await TestDatabase.with { database in
            try await database.write { db in try await db.raw("CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL)").run() }
            let outcomes = await withTaskGroup(of: Bool.self, returning: [Bool].self) { group in
                for index in 0..<200 {
                    group.addTask {
                        do {
                            try await database.write { db in
                                try await db.raw("INSERT INTO notes (id, body) VALUES (\(bind: "n\(index)"), 'x')").run()
                                // Every 50th write fails after inserting: its insert must be rolled back alone.
                                if index % 50 == 0 { try await db.raw("INSERT INTO notes (id, body) VALUES (\(bind: "n\(index)"), 'dup')").run() }
                            }
                            return true
                        } catch {
                            return false
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { !$0 }.count == 4)
            let count = try await database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM notes").first()?.decode(column: "n", as: Int.self) }
            #expect(count == 196)
            let failed = try await database.read { db in try await db.raw("SELECT id FROM notes WHERE id = 'n50'").first() }
            #expect(failed == nil)
        }
    }

    @Test("A write returns only when committed: its record survives closing and reopening the database")
    func durability() async throws {
        guard TestDatabase.postgresURL == nil else { return }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haven-durable-\(Identifier.secret(length: 8))")
        let path = folder.appendingPathComponent("d.sqlite").path
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try await Database.open(.sqlite(path: path), logger: TestDatabase.logger)
        try await first.write { db in try await db.raw("CREATE TABLE t (id TEXT)").run() }
        try await first.write { db in try await db.raw("INSERT INTO t (id) VALUES ('saved')").run() }
        await first.close()
        let second = try await Database.open(.sqlite(path: path), logger: TestDatabase.logger)
        let row = try await second.read { db in try await db.raw("SELECT id FROM t").first()?.decode(column: "id", as: String.self) }
        #expect(row == "saved")
        let mode = try await second.read { db in try await db.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self) }
        #expect(mode == "wal")
        await second.close()
    }

    @Test("Database URLs: SQLite paths, PostgreSQL parts, and clear errors for anything else")
    func urls() throws {
        #expect(try DatabaseURL.parse("sqlite://./haven-data/haven.sqlite") == .sqlite(path: "./haven-data/haven.sqlite"))
        #expect(try DatabaseURL.parse("sqlite:///var/lib/haven.sqlite") == .sqlite(path: "/var/lib/haven.sqlite"))
        #expect(try DatabaseURL.parse("postgres://h:p%40ss@db.local:6543/haven?sslmode=require")
                == .postgres(host: "db.local", port: 6543, username: "h", password: "p@ss", database: "haven", requireTLS: true))
        for bad in ["mysql://x/y", "sqlite://", "postgres://db.local/haven", "postgres://u@host", "nonsense"] {
            #expect(throws: DatabaseURL.Invalid.self) { try DatabaseURL.parse(bad) }
        }
        #expect(!DatabaseURL.redacted("postgres://u:secret@h/db").contains("secret"))
    }

    @Test("Opening an unwritable data folder fails with one clear line")
    func unwritableFolder() async throws {
        guard getuid() != 0 else { return } // root can write anywhere; CI runs as root
        await #expect(throws: DatabaseOpenError.self) {
            _ = try await Database.open(.sqlite(path: "/proc/haven/haven.sqlite"), logger: TestDatabase.logger)
        }
    }
}
