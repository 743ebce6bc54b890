import Foundation
import HavenCore
import SQLKit

/// What every retention purge batch shares, whatever the record: the query that picks the rows due (bounded, and on
/// PostgreSQL locked so two instances never take the same rows) and the one audit entry that names what it purged.
enum RetentionBatch {
    /// On PostgreSQL, two instances (or the server and the CLI) never take the same rows: rows another holds are skipped.
    static func lock(_ dialect: Dialect) -> String { dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : "" }

    /// `query` with the batch's size and row lock appended.
    static func limited(_ query: SQLQueryString, limit: Int?, lock: String = "") -> SQLQueryString {
        var query = query
        if let limit { query += " LIMIT \(unsafeRaw: String(max(1, limit)))" }
        query += "\(unsafeRaw: lock)"
        return query
    }

    /// The batch's audit entry: the record type, how many and which, and the period. A batch that found nothing is
    /// audited only when `auditEmpty`, so a run leaves a trace that it ran.
    static func audit(_ database: Database, on db: any SQLDatabase, _ origin: Origin, action: String, entity: String,
                      record: RetainedRecord, ids: [String], years: Int, period: [String: String], auditEmpty: Bool,
                      at now: Date) async throws {
        guard !ids.isEmpty || auditEmpty else { return }
        let changes = [
            "recordType": record.rawValue, "count": String(ids.count), "ids": ids.joined(separator: ","), "retentionYears": String(years),
        ].merging(period) { first, _ in first }
        try await database.audit(db, origin, action, entity: entity, id: nil, changes: changes, at: now)
    }
}
