import Foundation
import HavenCore
import SQLKit

/// The SQL of short records of negligible force.
public struct NegligibleForceStore: Sendable {
    public let database: Database
    public let clock: any HavenClock

    public init(database: Database, clock: any HavenClock) {
        self.database = database
        self.clock = clock
    }

    public func record(_ use: NegligibleForceUse, organisationId: String, timeZone: TimeZone, origin: Origin) async throws {
        let calendar = CalendarColumns(use.startedAt, timeZone: timeZone)
        try await database.write { [database] db in
            try await db.raw("""
                INSERT INTO negligible_force_uses (id, organisation_id, unit_id, patient_local_id, type_code, started_at, duration_seconds,
                    description, recorded_by, recorded_at, local_date, local_month)
                VALUES (\(bind: use.id), \(bind: organisationId), \(bind: use.unitId), \(bind: use.patientLocalId), \(bind: use.type),
                    \(bind: use.startedAt.epochMilliseconds), \(bind: Int64(use.durationSeconds)), \(bind: use.description), \(bind: use.recordedBy),
                    \(bind: use.recordedAt.epochMilliseconds), \(bind: calendar.localDate), \(bind: calendar.month))
                """).run()
            try await database.audit(db, origin, "use-of-force.negligible", entity: "negligible-force", id: use.id,
                                     changes: ["unitId": use.unitId, "type": use.type, "seconds": String(use.durationSeconds)], at: use.recordedAt)
        }
    }

    /// Uses in these units (nil: all), or those one person recorded; newest first, with the total.
    public func uses(organisationId: String, unitIds: Set<String>?, recordedBy: String?, limit: Int, offset: Int) async throws
        -> (items: [NegligibleForceUse], total: Int)
    {
        var conditions: [SQLQueryString] = ["organisation_id = \(bind: organisationId)"]
        if let unitIds {
            if unitIds.isEmpty { return ([], 0) }
            conditions.append("unit_id IN (\(binds: unitIds.sorted()))")
        }
        if let recordedBy { conditions.append("recorded_by = \(bind: recordedBy)") }
        let whereClause = conditions.joined(separator: " AND ")
        return try await database.read { db in
            let total = try await db.raw("SELECT COUNT(*) AS n FROM negligible_force_uses WHERE \(whereClause)").first()?.int("n") ?? 0
            let items = try await db.raw("""
                SELECT * FROM negligible_force_uses WHERE \(whereClause) ORDER BY started_at DESC, id
                LIMIT \(unsafeRaw: String(limit)) OFFSET \(unsafeRaw: String(offset))
                """).all().map { row in
                NegligibleForceUse(id: try row.string("id"), unitId: try row.string("unit_id"), patientLocalId: try row.string("patient_local_id"),
                                   type: try row.string("type_code"), startedAt: try row.date("started_at"),
                                   durationSeconds: try row.int("duration_seconds"), description: try row.string("description"),
                                   recordedBy: try row.string("recorded_by"), recordedAt: try row.date("recorded_at"))
            }
            return (items, total)
        }
    }
}
