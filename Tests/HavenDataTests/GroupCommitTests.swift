import Foundation
import HavenCore
@_spi(Benchmarks) import HavenData
import HavenTestSupport
import SQLKit
import Testing

/// The sizes of the COMMITs the SQLite writer has made since `clear`.
private final class CommitLog: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Int] = []
    func append(_ writes: Int) { lock.withLock { recorded.append(writes) } }
    func clear() { lock.withLock { recorded = [] } }
    var sizes: [Int] { lock.withLock { recorded } }
}

@Suite("SQLite group commit: work queued while a batch runs joins it, up to the batch's bound")
struct GroupCommitTests {
    /// A SQLite database in a new folder (this writer exists only on SQLite), with a `notes` table and a commit log.
    private func withWriter(_ body: (Database, CommitLog) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haven-group-\(Identifier.secret(length: 8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await Database.open(.sqlite(path: folder.appendingPathComponent("g.sqlite").path), logger: TestDatabase.logger)
        do {
            try await database.write { db in try await db.raw("CREATE TABLE notes (id TEXT PRIMARY KEY)").run() }
            let log = CommitLog()
            #expect(try await database.observeCommits { log.append($0) })
            log.clear()
            try await body(database, log)
            await database.close()
        } catch {
            await database.close()
            throw error
        }
    }

    private func count(_ database: Database) async throws -> Int? {
        try await database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM notes").first()?.decode(column: "n", as: Int.self) }
    }

    @Test("A write queued while a batch's work runs is committed with it, in one COMMIT")
    func lateWriteJoinsTheBatch() async throws {
        try await withWriter { database, log in
            let second = try await database.write { db -> Task<Void, any Error> in
                try await db.raw("INSERT INTO notes (id) VALUES ('first')").run()
                let second = Task { try await database.write { db in try await db.raw("INSERT INTO notes (id) VALUES ('second')").run() } }
                // Hold this batch open until the second write waits behind it.
                while database.sqliteQueuedWrites == 0 { try await Task.sleep(for: .milliseconds(1)) }
                return second
            }
            try await second.value
            #expect(log.sizes == [2])
            #expect(try await count(database) == 2)
        }
    }

    @Test("Work that keeps arriving is taken in up to 512 pieces a COMMIT; the rest forms the next batch")
    func batchIsBounded() async throws {
        try await withWriter { database, log in
            let waiting = try await database.write { db -> [Task<Void, any Error>] in
                try await db.raw("INSERT INTO notes (id) VALUES ('first')").run()
                let waiting = (0..<600).map { index in
                    Task { try await database.write { db in try await db.raw("INSERT INTO notes (id) VALUES (\(bind: "n\(index)"))").run() } }
                }
                while (database.sqliteQueuedWrites ?? 0) < 600 { try await Task.sleep(for: .milliseconds(1)) }
                return waiting
            }
            for write in waiting { try await write.value }
            #expect(log.sizes == [512, 89])
            #expect(try await count(database) == 601)
        }
    }
}
