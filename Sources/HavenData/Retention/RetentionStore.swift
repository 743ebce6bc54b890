import Foundation
import HavenCore
import SQLKit

/// Retention periods per organisation and record type, and the anonymisation of incidents past theirs.
///
/// An incident past retention is anonymised, not deleted: the row keeps what board figures and trends count
/// (unit, type, perpetrator, harm, status, times and the calendar columns) and loses everything that can name or
/// describe a person (description, specific area, the §15 A detail, reporter, handler, outcome, lessons, the
/// anonymous receipt), and its messages, actions, support records and in-app notifications are deleted. Deleting the row instead would
/// change last year's figures every night.
public struct RetentionStore: Sendable {
    public let database: Database
    public let clock: any HavenClock

    public init(database: Database, clock: any HavenClock) {
        self.database = database
        self.clock = clock
    }

    /// The tables whose rows belong to one incident and go with its personal content. A feature that adds such a
    /// table (attachments, for one) adds it here.
    static let incidentChildTables = ["incident_messages", "incident_actions", "incident_support", "incident_attachments", "harassment_cases"]

    /// The periods the organisation has set; a record type missing here uses the rule pack's default.
    public func settings(organisationId: String) async throws -> [RetainedRecord: Int] {
        try await database.read { db in
            var settings: [RetainedRecord: Int] = [:]
            for row in try await db.raw("SELECT record_type, years FROM retention_settings WHERE organisation_id = \(bind: organisationId)").all() {
                if let record = RetainedRecord(rawValue: try row.string("record_type")) { settings[record] = try row.int("years") }
            }
            return settings
        }
    }

    /// Saves checked periods, audited with the old and new values.
    public func save(_ periods: [RetainedRecord: Int], organisationId: String, origin: Origin) async throws {
        let now = clock.now()
        let before = try await settings(organisationId: organisationId)
        try await database.write { [database] db in
            var changes: [String: String] = [:]
            for (record, years) in periods.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                try await db.raw("""
                    INSERT INTO retention_settings (organisation_id, record_type, years, updated_at, updated_by)
                    VALUES (\(bind: organisationId), \(bind: record.rawValue), \(bind: years), \(bind: now.epochMilliseconds), \(bind: origin.actorId))
                    ON CONFLICT (organisation_id, record_type) DO UPDATE SET years = excluded.years, updated_at = excluded.updated_at,
                        updated_by = excluded.updated_by
                    """).run()
                changes[record.field] = "\(before[record].map(String.init) ?? "default") → \(years)"
            }
            try await database.audit(db, origin, "retention.update", entity: "retention", id: nil, changes: changes, at: now)
        }
    }

    /// The closed incidents reported before `cutoff` that still hold personal content, oldest first.
    public func incidentsDue(organisationId: String, before cutoff: Date, limit: Int? = nil) async throws -> [String] {
        try await database.read { db in
            try await db.raw(Self.dueQuery(organisationId: organisationId, cutoff: cutoff, limit: limit, lock: "")).all().map { try $0.string("id") }
        }
    }

    /// Anonymises up to `limit` incidents due at `cutoff` in one transaction, together with one audit entry naming
    /// them; a batch that finds nothing is audited only when `auditEmpty` (so a run leaves a trace that it ran).
    /// Returns the ids anonymised.
    public func anonymiseIncidents(organisationId: String, before cutoff: Date, years: Int, limit: Int, auditEmpty: Bool,
                                   origin: Origin) async throws -> [String] {
        let now = clock.now()
        let lock = RetentionBatch.lock(database.dialect)
        return try await database.write { [database] db in
            let ids = try await db.raw(Self.dueQuery(organisationId: organisationId, cutoff: cutoff, limit: limit, lock: lock)).all()
                .map { try $0.string("id") }
            if !ids.isEmpty {
                for table in Self.incidentChildTables {
                    try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE incident_id IN (\(binds: ids))").run()
                }
                // In-app notifications about the case repeat its outcome ("what we did") to the reporter; years on,
                // they go with the rest of its content.
                try await db.raw("DELETE FROM notifications WHERE organisation_id = \(bind: organisationId) AND link IN (\(binds: ids.map { "/incidents/" + $0 }))").run()
                try await db.raw("""
                    UPDATE incidents SET description = '', area = '', detail = '{}', reporter_id = NULL, handler_id = NULL, outcome = '',
                        lessons = '', receipt_hash = NULL, idempotency_key = NULL, anonymised_at = \(bind: now.epochMilliseconds),
                        updated_at = \(bind: now.epochMilliseconds)
                    WHERE organisation_id = \(bind: organisationId) AND id IN (\(binds: ids)) AND anonymised_at IS NULL
                    """).run()
            }
            try await RetentionBatch.audit(database, on: db, origin, action: "retention.purge", entity: "incident", record: .incidents, ids: ids,
                                           years: years, period: ["reportedBefore": cutoff.iso8601], auditEmpty: auditEmpty, at: now)
            return ids
        }
    }

    /// The literals 'closed' and IS NULL are written out, not bound, so that SQLite can prove the query matches the
    /// partial index `incidents_retention` and use it.
    static func dueQuery(organisationId: String, cutoff: Date, limit: Int?, lock: String) -> SQLQueryString {
        RetentionBatch.limited("""
            SELECT id FROM incidents WHERE organisation_id = \(bind: organisationId) AND status = 'closed' AND anonymised_at IS NULL
              AND reported_at < \(bind: cutoff.epochMilliseconds) ORDER BY reported_at, id
            """, limit: limit, lock: lock)
    }
}
