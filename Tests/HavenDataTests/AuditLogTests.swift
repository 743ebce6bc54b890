import Foundation
import HavenCore
import HavenData
import HavenTestSupport
import SQLKit
import Testing

@Suite("Audit trail: append-only hash chain")
struct AuditLogTests {
    /// A database with a chain of five events.
    func withChain(_ body: (Database) async throws -> Void) async throws {
        try await TestDatabase.with { database in
            let origin = Origin(organisationId: "org", actorId: "user-1", requestId: "r", address: "127.0.0.1")
            for index in 1...5 {
                try await AuditLog.record(database, at: Date(timeIntervalSince1970: Double(index)), origin: origin,
                                          action: "unit.update", entity: "unit", entityId: "u\(index)", changes: ["name": "Ward \(index)"])
            }
            try await body(database)
        }
    }

    @Test func intactChainVerifies() async throws {
        try await withChain { database in
            #expect(try await AuditLog.verify(database) == .intact(rows: 5))
            let listed = try await AuditLog.list(database, filter: .init(organisationId: "org", limit: 3))
            #expect(listed.map(\.sequence) == [5, 4, 3])
            #expect(listed[0].previousHash == (try await AuditLog.list(database, filter: .init(organisationId: "org", limit: 2)))[1].hash)
        }
    }

    @Test func alteredRowIsFound() async throws {
        try await withChain { database in
            try await database.write { db in try await db.raw("UPDATE audit_events SET changes = '{\"name\":\"Forged\"}' WHERE sequence = 3").run() }
            guard case .broken(let sequence, let reason) = try await AuditLog.verify(database) else { Issue.record("not detected"); return }
            #expect(sequence == 3)
            #expect(reason.contains("altered"))
        }
    }

    @Test func removedRowIsFound() async throws {
        try await withChain { database in
            try await database.write { db in try await db.raw("DELETE FROM audit_events WHERE sequence = 2").run() }
            guard case .broken(let sequence, _) = try await AuditLog.verify(database) else { Issue.record("not detected"); return }
            #expect(sequence == 2)
        }
    }

    @Test func removedLastRowIsFound() async throws {
        try await withChain { database in
            try await database.write { db in try await db.raw("DELETE FROM audit_events WHERE sequence = 5").run() }
            guard case .broken(let sequence, _) = try await AuditLog.verify(database) else { Issue.record("not detected"); return }
            #expect(sequence == 5)
        }
    }

    @Test func insertedRowIsFound() async throws {
        try await withChain { database in
            // A forger renumbers rows 4 and 5 and slips a row in as 4, with a hash of its own making.
            try await database.write { db in
                try await db.raw("UPDATE audit_events SET sequence = sequence + 10 WHERE sequence >= 4").run()
                try await db.raw("UPDATE audit_events SET sequence = sequence - 9 WHERE sequence >= 14").run()
                try await db.raw("""
                    INSERT INTO audit_events (sequence, organisation_id, at, actor_id, action, entity, entity_id, changes, request_id, address, previous_hash, hash)
                    SELECT 4, organisation_id, at, actor_id, 'user.delete', entity, entity_id, changes, request_id, address, hash, hash FROM audit_events WHERE sequence = 3
                    """).run()
            }
            guard case .broken(let sequence, _) = try await AuditLog.verify(database) else { Issue.record("not detected"); return }
            #expect(sequence == 4)
        }
    }

    @Test("Concurrent appends keep one unbroken line")
    func concurrentAppends() async throws {
        try await TestDatabase.with { database in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await AuditLog.record(database, at: Date(), origin: Origin(organisationId: "org", actorId: "u\(index)"),
                                                  action: "user.read", entity: "user", entityId: "x")
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await AuditLog.verify(database) == .intact(rows: 40))
        }
    }
}
