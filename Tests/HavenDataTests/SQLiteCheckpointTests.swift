import Foundation
import HavenCore
@_spi(Benchmarks) import HavenData
import HavenTestSupport
import SQLKit
import Testing

@Suite("SQLite: WAL checkpoints run beside the writer, not in its COMMIT")
struct SQLiteCheckpointTests {
    func fileSize(_ path: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0 }

    @Test("Past 1,000 WAL pages the checkpointer copies them into the file; the WAL is reused, and every row survives a reopen")
    func checkpoints() async throws {
        guard TestDatabase.postgresURL == nil else { return }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haven-checkpoint-\(Identifier.secret(length: 8))")
        let path = folder.appendingPathComponent("c.sqlite").path
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await Database.open(.sqlite(path: path), logger: TestDatabase.logger)
        try await database.write { db in try await db.raw("CREATE TABLE pages (id INTEGER PRIMARY KEY, body TEXT NOT NULL)").run() }
        #expect(database.sqliteCheckpoints == 0)
        let body = String(repeating: "x", count: 3900)  // about one page a row
        var written = 0
        for batch in 0..<20 {
            try await database.write { db in
                for row in 0..<300 { try await db.raw("INSERT INTO pages (id, body) VALUES (\(bind: batch * 300 + row), \(bind: body))").run() }
            }
            written += 300
            try await Task.sleep(for: .milliseconds(30))
        }
        for _ in 0..<100 where (database.sqliteCheckpoints ?? 0) == 0 { try await Task.sleep(for: .milliseconds(50)) }
        #expect((database.sqliteCheckpoints ?? 0) > 0, "6,000 pages written, so the WAL went past 1,000 pages")
        #expect(fileSize(path) > 1000 * 4096, "the checkpointed pages are in the database file")
        // Without checkpoints the WAL would hold all 6,000 pages (about 24 MB); reused, it stays a fraction of that.
        #expect(fileSize(path + "-wal") < written * 4096 * 3 / 4, "WAL \(fileSize(path + "-wal")) bytes")
        await database.close()

        let reopened = try await Database.open(.sqlite(path: path), logger: TestDatabase.logger)
        let count = try await reopened.read { db in try await db.raw("SELECT COUNT(*) AS n FROM pages").first()?.decode(column: "n", as: Int.self) }
        #expect(count == written)
        await reopened.close()
    }
}
