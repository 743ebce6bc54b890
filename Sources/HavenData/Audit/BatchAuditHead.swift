import Foundation
import Logging
import NIOCore
import SQLKit

/// The audit chain's head as one group-commit batch sees it. Every audited write used to read `audit_head` and write
/// it back: two of the four statements of an incident submission, each a trip to SQLite's thread. Within one batch
/// the writer holds SQLite's write lock (BEGIN IMMEDIATE) from start to COMMIT, so nobody else can move the head:
/// the first append reads it, later appends chain in memory, and the writer stores the final head once, just before
/// COMMIT. The chain on disk is exactly what it would be with one read and one write per event.
final class BatchAuditHead: @unchecked Sendable {
    private let lock = NSLock()
    private var head: (sequence: Int64, hash: String)?
    private var moved = false

    /// The head as of the last append in this batch, or nil before the first.
    var current: (sequence: Int64, hash: String)? { lock.withLock { head } }

    func advance(to sequence: Int64, hash: String) {
        lock.withLock {
            head = (sequence, hash)
            moved = true
        }
    }

    /// Writes the head back when an append moved it; called once, inside the batch's transaction, before COMMIT.
    func store(on db: any SQLDatabase) async throws {
        guard let (sequence, hash) = lock.withLock({ moved ? head : nil }) else { return }
        try await db.raw("UPDATE audit_head SET sequence = \(bind: sequence), hash = \(bind: hash) WHERE id = 1").run()
    }
}

/// The writer connection as the work of one batch sees it: the same connection, plus the batch's audit head.
struct BatchDatabase: SQLDatabase {
    let base: any SQLDatabase
    let auditHead: BatchAuditHead

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try await base.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}
