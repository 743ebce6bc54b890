import Foundation
import HavenCore
import SQLKit

/// Incident reports: saving one (once, however often it is sent) and finding them within a person's remit.
public struct IncidentStore: Sendable {
    public let database: Database
    public let clock: any HavenClock

    public init(database: Database, clock: any HavenClock) {
        self.database = database
        self.clock = clock
    }

    /// Saves a report and returns it, or, when the idempotency key was seen before, the report saved then
    /// (`created` false). The answer comes only after the commit, so a 201 means the report is on disk.
    /// `receiptHash` is set for an anonymous report; `support` holds the follow-up offered from the start (the welfare check).
    public func create(_ report: IncidentReport, timeZone: TimeZone, idempotencyKey: String?, receiptHash: String? = nil,
                       support: [SupportItem] = [], reminders: [(kind: String, dueAt: Date)] = [],
                       origin: Origin) async throws -> (report: IncidentReport, created: Bool) {
        if let key = idempotencyKey, let existing = try await find(idempotencyKey: key, organisationId: report.organisationId) {
            return (existing, false)
        }
        let columns = CalendarColumns(report.occurredAt, timeZone: timeZone)
        do {
            try await database.write { [database] db in
                try await db.raw("""
                    INSERT INTO incidents (id, organisation_id, unit_id, area, type, perpetrator, harm, description, reporter_role, reporter_id,
                                           status, occurred_at, reported_at, local_date, iso_week, month, hour, weekday, idempotency_key,
                                           review_due_at, receipt_hash, confidential)
                    VALUES (\(bind: report.id), \(bind: report.organisationId), \(bind: report.unitId), \(bind: report.area),
                            \(bind: report.type.rawValue), \(bind: report.perpetrator.rawValue), \(bind: report.harm.rawValue),
                            \(bind: report.description), \(bind: report.reporterRole.rawValue), \(bind: report.reporterId),
                            \(bind: report.status.rawValue), \(bind: report.occurredAt.epochMilliseconds), \(bind: report.reportedAt.epochMilliseconds),
                            \(bind: columns.localDate), \(bind: columns.isoWeek), \(bind: columns.month), \(bind: columns.hour),
                            \(bind: columns.weekday), \(bind: idempotencyKey), \(bind: report.reviewDueAt?.epochMilliseconds), \(bind: receiptHash),
                            \(bind: report.confidential.storedFlag))
                    """).run()
                for item in support { try await Self.insert(on: db, item, organisationId: report.organisationId, now: report.reportedAt) }
                for reminder in reminders {
                    _ = try await TimerStore.schedule(on: db, organisationId: report.organisationId, kind: reminder.kind, subjectId: report.id,
                                                      dueAt: reminder.dueAt, now: report.reportedAt)
                }
                if report.confidential {
                    try await db.raw("""
                        INSERT INTO harassment_cases (incident_id, organisation_id, stage, updated_at)
                        VALUES (\(bind: report.id), \(bind: report.organisationId), \(bind: HarassmentCase.Stage.informal.rawValue),
                                \(bind: report.reportedAt.epochMilliseconds))
                        """).run()
                }
                try await database.audit(db, origin, "incident.create", entity: "incident", id: report.id, changes: [
                    "type": report.type.rawValue, "unitId": report.unitId, "harm": report.harm.rawValue,
                ], at: report.reportedAt)
            }
        } catch {
            // Two identical submissions raced: the loser returns the winner's record.
            if let key = idempotencyKey, let existing = try await find(idempotencyKey: key, organisationId: report.organisationId) {
                return (existing, false)
            }
            throw error
        }
        return (report, true)
    }

    func find(idempotencyKey: String, organisationId: String) async throws -> IncidentReport? {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM incidents WHERE organisation_id = \(bind: organisationId) AND idempotency_key = \(bind: idempotencyKey)
                """).first().map(Self.decode)
        }
    }

    public func find(id: String, organisationId: String) async throws -> IncidentReport? {
        try await database.read { db in
            try await db.raw("SELECT * FROM incidents WHERE id = \(bind: id) AND organisation_id = \(bind: organisationId)").first().map(Self.decode)
        }
    }

    public struct Filter: Sendable {
        public var organisationId: String
        /// The units whose reports the viewer may see beyond their own.
        public var scope: UnitScope
        /// The viewer, whose own reports are always visible.
        public var reporterId: String?
        public var onlyMine = false
        /// HR case handlers see confidential (harassment and staff-on-staff) cases; nobody else does, beyond their own.
        public var seesConfidential = false
        public var unitId: String?
        public var type: IncidentType?
        public var harm: Harm?
        public var status: IncidentStatus?
        /// Inclusive local dates, YYYY-MM-DD.
        public var fromDate: String?
        public var toDate: String?
        /// Words to find in the description, as typed (see `IncidentSearch`).
        public var search: String?
        public var limit = 50
        public var offset = 0

        public init(organisationId: String, scope: UnitScope, reporterId: String?) {
            self.organisationId = organisationId
            self.scope = scope
            self.reporterId = reporterId
        }
    }

    /// The reports the filter allows, newest first, and how many there are in all. Counting stops past
    /// `countLimit(for:)`: counting every one of a million rows would take longer than the page itself, and past a few
    /// thousand nobody reads the exact figure, so the list says "more than 10,000" instead (`totalIsCapped`).
    public func list(_ filter: Filter) async throws -> IncidentList {
        if database.dialect == .sqlite, let text = filter.search {
            return try await searchList(filter, search: IncidentSearch(text))
        }
        guard let conditions = Self.conditions(filter, dialect: database.dialect) else { return IncidentList() }
        let query: SQLQueryString = "SELECT * FROM incidents WHERE " + conditions + " " + Self.window(filter)
        let cap = Self.countLimit(for: filter)
        let countQuery: SQLQueryString = "SELECT COUNT(*) AS n FROM (SELECT 1 FROM incidents WHERE " + conditions
            + " LIMIT \(unsafeRaw: String(cap + 1))) AS counted"
        return try await database.read { db in
            let items = try await db.raw(query).all().map(Self.decode)
            let counted = try await db.raw(countQuery).first()?.int("n") ?? 0
            return IncidentList(items: items, total: min(counted, cap), totalIsCapped: counted > cap)
        }
    }

    /// Plain lists count to 10,000 from an index alone; a search must look at each matching row, so it stops at 1,000.
    static func countLimit(for filter: Filter) -> Int { filter.search == nil ? 10_000 : 1_000 }

    /// Newest first, then by id so that reports of the same minute keep one order from page to page.
    static func window(_ filter: Filter) -> SQLQueryString {
        "ORDER BY occurred_at DESC, id LIMIT \(unsafeRaw: String(max(1, min(filter.limit, 500)))) OFFSET \(unsafeRaw: String(max(0, filter.offset)))"
    }

    /// The WHERE clause for a filter, or nil when the viewer may see nothing at all. `search` false leaves the words
    /// out, for callers that add them their own way.
    static func conditions(_ filter: Filter, dialect: Dialect, search includeSearch: Bool = true) -> SQLQueryString? {
        var conditions: SQLQueryString = "organisation_id = \(bind: filter.organisationId)"
        let mine = filter.reporterId.map { id -> SQLQueryString in "reporter_id = \(bind: id)" }
        // Confidential cases are visible to HR (whatever their unit) and to their reporter only.
        let open: SQLQueryString = "confidential = 0"
        let remit: SQLQueryString?
        switch filter.onlyMine ? .none : filter.scope {
        case .all: remit = open
        case .units(let units) where !units.isEmpty: remit = "(unit_id IN (\(binds: Array(units))) AND " + open + ")"
        default: remit = nil
        }
        let hr: SQLQueryString? = filter.seesConfidential && !filter.onlyMine ? "confidential = 1" : nil
        let allowed = [remit, hr, mine].compactMap { $0 }
        guard !allowed.isEmpty else { return nil }
        let seesAllUnits = filter.scope == .all && !filter.onlyMine
        if seesAllUnits && hr != nil {
            // Sees everything: no condition needed.
        } else {
            var clause: SQLQueryString = "("
            for (index, part) in allowed.enumerated() { clause += (index == 0 ? "" : " OR ") + part }
            conditions += " AND " + clause + ")"
        }
        if let unit = filter.unitId { conditions += " AND unit_id = \(bind: unit)" }
        if let type = filter.type { conditions += " AND type = \(bind: type.rawValue)" }
        if let harm = filter.harm { conditions += " AND harm = \(bind: harm.rawValue)" }
        if let status = filter.status { conditions += " AND status = \(bind: status.rawValue)" }
        if let from = filter.fromDate { conditions += " AND local_date >= \(bind: from)" }
        if let to = filter.toDate { conditions += " AND local_date <= \(bind: to)" }
        if includeSearch, let text = filter.search {
            let search = IncidentSearch(text)
            // Text with no letters or digits finds nothing rather than everything.
            if search.isEmpty { return nil }
            switch dialect {
            case .sqlite: conditions += " AND rowid IN (SELECT rowid FROM incidents_search WHERE incidents_search MATCH \(bind: search.fts5))"
            case .postgres:
                // One tsquery, so that words the English configuration drops ("the") drop out of it (an empty
                // query ANDed with another is that other) instead of matching nothing.
                let (rest, last) = search.tsquery
                conditions += " AND search_vector @@ (to_tsquery('english', \(bind: rest ?? "")) && (to_tsquery('english', \(bind: last)) || to_tsquery('simple', \(bind: last))))"
            }
        }
        return conditions
    }

    static func decode(_ row: any SQLRow) throws -> IncidentReport {
        var report = IncidentReport(
            id: try row.string("id"), organisationId: try row.string("organisation_id"),
            type: IncidentType(rawValue: try row.string("type")) ?? .other, occurredAt: try row.date("occurred_at"),
            unitId: try row.string("unit_id"), area: try row.string("area"),
            perpetrator: Perpetrator(rawValue: try row.string("perpetrator")) ?? .memberOfThePublic,
            harm: Harm(rawValue: try row.string("harm")) ?? .none, description: try row.string("description"),
            reporterRole: ReporterRole(rawValue: try row.string("reporter_role")) ?? .harmed, reporterId: try row.optionalString("reporter_id"),
            status: IncidentStatus(rawValue: try row.string("status")) ?? .reported, reportedAt: try row.date("reported_at"))
        report.anonymous = try row.optionalString("receipt_hash") != nil
        report.confidential = try row.flag("confidential")
        let detail = try row.string("detail")
        // Most reports never get detail; skipping the decoder keeps exports fast.
        if detail != "{}" { report.detail = (try? JSONDecoder().decode(IncidentDetail.self, from: Data(detail.utf8))) ?? IncidentDetail() }
        report.handlerId = try row.optionalString("handler_id")
        report.reviewDueAt = try row.optionalDate("review_due_at")
        report.outcome = try row.string("outcome")
        report.lessons = try row.string("lessons")
        report.closedAt = try row.optionalDate("closed_at")
        report.anonymised = try row.optionalDate("anonymised_at") != nil
        report.updatedAt = try row.optionalDate("updated_at")
        return report
    }
}
