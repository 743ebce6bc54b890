import Foundation
import HavenCore
import SQLKit

extension Database {
    /// How many rows of a follow-up table (debriefs, observations) are not done and were due before `cutoff`, in these
    /// units (nil: all). The tables share the columns this reads, and an index on them.
    func overdueCount(table: String, doneColumn: String, organisationId: String, unitIds: Set<String>?, dueBefore cutoff: Date) async throws -> Int {
        if let unitIds, unitIds.isEmpty { return 0 }
        return try await read { db in
            var sql: SQLQueryString = """
                SELECT COUNT(*) AS n FROM \(ident: table)
                WHERE organisation_id = \(bind: organisationId) AND \(ident: doneColumn) IS NULL AND due_at < \(bind: cutoff.epochMilliseconds)
                """
            if let unitIds { sql = sql + " AND unit_id IN (\(binds: unitIds.sorted()))" }
            return try await db.raw(sql).first()?.int("n") ?? 0
        }
    }
}
