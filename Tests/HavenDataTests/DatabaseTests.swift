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

    @Test("Inside a write, every column type reads back as written, past the statement cache's bound; a failed statement leaves the writer usable")
    func writerStatements() async throws {
        try await TestDatabase.with { database in
            try await database.write { db in
                try await db.raw("CREATE TABLE samples (id INTEGER PRIMARY KEY, label TEXT, amount DOUBLE PRECISION, big BIGINT, note TEXT)").run()
            }
            let label = "Ward 7 — e\u{301} \"quoted\" 🚑"
            let read = try await database.write { db -> (String?, Double?, Int64?, Bool) in
                try await db.raw("""
                    INSERT INTO samples (id, label, amount, big, note)
                    VALUES (1, \(bind: label), \(bind: 2.5), \(bind: Int64.max), \(bind: String?.none))
                    """).run()
                let row = try await db.raw("SELECT label, amount, big, note FROM samples WHERE id = 1").first()
                return (try row?.decode(column: "label", as: String.self), try row?.decode(column: "amount", as: Double.self),
                        try row?.decode(column: "big", as: Int64.self), try row?.decodeNil(column: "note") ?? false)
            }
            #expect(read.0 == label)
            #expect(read.1 == 2.5)
            #expect(read.2 == Int64.max)
            #expect(read.3)
            // 300 different statements (the SQLite writer keeps at most 256 prepared), then the first shape again.
            try await database.write { db in
                for index in 2..<302 {
                    let sql = "INSERT INTO samples (id, big) VALUES (\(index), \(index))"
                    try await db.raw(SQLQueryString(sql)).run()
                }
            }
            let total = try await database.write { db in
                try await db.raw("SELECT CAST(SUM(big) AS BIGINT) AS total FROM samples WHERE id >= \(bind: 2)").first()?.decode(column: "total", as: Int.self)
            }
            #expect(total == (2..<302).reduce(0, +))
            await #expect(throws: (any Error).self) {
                try await database.write { db in try await db.raw("INSERT INTO samples (id) VALUES (\(bind: 1))").run() }
            }
            let count = try await database.write { db in
                try await db.raw("INSERT INTO samples (id) VALUES (\(bind: 400))").run()
                return try await db.raw("SELECT COUNT(*) AS n FROM samples").first()?.decode(column: "n", as: Int.self)
            }
            #expect(count == 302)
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
