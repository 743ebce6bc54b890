import Foundation
import HavenCore
import HavenData
import HavenTestSupport
import SQLKit
import Testing

@Suite("Audit chain under group commit")
struct BatchAuditHeadTests {
    /// Many audited writes at once share batches (on SQLite, where the head is kept in memory for a batch): the chain
    /// must still be one unbroken line with every event in it, and a write that fails must leave no event behind.
    @Test func concurrentAuditedWritesKeepOneChain() async throws {
        try await TestDatabase.with { database in
            let origin = Origin(organisationId: "org", actorId: "user-1")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        try await database.write { db in
                            try await AuditLog.append(on: db, dialect: database.dialect, origin: origin, action: "unit.update",
                                                      entity: "unit", entityId: "u\(index)", at: Date(timeIntervalSince1970: Double(index)))
                            // Every tenth write fails after its audit event: the event must be rolled back with it.
                            if index % 10 == 9 { try await db.raw("INSERT INTO no_such_table VALUES (1)").run() }
                        }
                    }
                }
                while let result = await group.nextResult() { _ = try? result.get() }
            }
            #expect(try await AuditLog.verify(database) == .intact(rows: 180))
        }
    }
}
