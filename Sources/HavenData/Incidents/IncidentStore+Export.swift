import Foundation
import HavenCore
import SQLKit

/// Exports read the reports a keyset page at a time, in the list's order. With a million reports every microsecond
/// a row counts, so a page reads only the columns its format writes and decodes them without SQLKit's optional decoder.
extension IncidentStore {
    /// Where an export stopped: the last report sent, so the next page starts after it (keyset paging, which
    /// stays fast however deep the export goes).
    public struct Cursor: Sendable {
        public var occurredAt: Date
        public var id: String

        public init(occurredAt: Date, id: String) {
            self.occurredAt = occurredAt
            self.id = id
        }

        public init(after report: IncidentReport) { self.init(occurredAt: report.occurredAt, id: report.id) }
    }

    /// The columns a page reads.
    public enum ExportColumns: Sendable {
        /// Every column: each report as `find` returns it (the violent incident log reads its detail and flags).
        case all
        /// What the JSON export shows. The organisation is the filter's; `reporterId`, `confidential`, `anonymised`
        /// and `updatedAt` are left at their defaults.
        case api
        /// What the CSV export writes: `api` without the anonymity flag, handler, review date, outcome, lessons,
        /// closing date and detail, which are left at their defaults.
        case csv
    }

    /// Whether every condition of the filter is in the list indexes (organisation, access and unit), so that where a
    /// page ends can be found from an index alone. Filters on type, harm, status, dates or words need the reports'
    /// own columns, and finding a page's end would read as much as the page.
    public static func canFindPageEnds(_ filter: Filter) -> Bool {
        filter.type == nil && filter.harm == nil && filter.status == nil && filter.fromDate == nil && filter.toDate == nil
            && filter.search == nil
    }

    /// The last report of the page of `size` after the cursor, read from the list index alone (no report row is
    /// read), or nil when fewer than `size` remain. The export reads the pages between such ends on several
    /// connections at once, which matters when the reports are spread over the file and most rows cost a disk read.
    public func pageEnd(_ filter: Filter, after cursor: Cursor?, size: Int) async throws -> Cursor? {
        guard var conditions = Self.conditions(filter, dialect: database.dialect) else { return nil }
        if let cursor { conditions += Self.after(cursor) }
        let query: SQLQueryString = "SELECT occurred_at, id FROM incidents WHERE " + conditions
            + " ORDER BY occurred_at DESC, id LIMIT 1 OFFSET \(unsafeRaw: String(max(0, size - 1)))"
        guard let row = try await database.read({ db in try await db.raw(query).first() }) else { return nil }
        return Cursor(occurredAt: Date(epochMilliseconds: try row.millis("occurred_at")), id: try row.string("id"))
    }

    /// Reports after `cursor` in the list's order: the first bound repeats what the OR says, so that the database
    /// seeks to the cursor in the (organisation, occurred_at DESC, id) index: with the OR alone SQLite walks the index
    /// from the newest report to the cursor on every page, and a million-row export reads the index half a million
    /// times over.
    static func after(_ cursor: Cursor) -> SQLQueryString {
        let at = cursor.occurredAt.epochMilliseconds
        return " AND occurred_at <= \(bind: at) AND (occurred_at < \(bind: at) OR id > \(bind: cursor.id))"
    }

    /// One page of an export in the list's order, after the cursor: `size` reports, or with `end` (from `pageEnd`)
    /// every report up to and including that one, so a report added meanwhile is neither skipped nor sent twice.
    public func page(_ filter: Filter, after cursor: Cursor?, through end: Cursor? = nil, size: Int,
                     columns: ExportColumns = .all) async throws -> [IncidentReport] {
        guard var conditions = Self.conditions(filter, dialect: database.dialect) else { return [] }
        if let cursor { conditions += Self.after(cursor) }
        if let end {
            let at = end.occurredAt.epochMilliseconds
            conditions += " AND occurred_at >= \(bind: at) AND (occurred_at > \(bind: at) OR id <= \(bind: end.id))"
        }
        let selected: SQLQueryString
        switch columns {
        case .all: selected = "*"
        case .api: selected = "\(unsafeRaw: Self.csvColumns), \(unsafeRaw: Self.apiColumns)"
        case .csv: selected = "\(unsafeRaw: Self.csvColumns)"
        }
        let query: SQLQueryString = "SELECT " + selected + " FROM incidents WHERE " + conditions
            + " ORDER BY occurred_at DESC, id" + (end == nil ? " LIMIT \(unsafeRaw: String(max(1, size)))" : "")
        let organisationId = filter.organisationId
        // The rows are decoded after the read, on the caller's thread, not in SQLKit's row handler: that runs on
        // SQLite's own thread, the export's busiest, and decoding there would stop it stepping to the next row.
        let rows = try await database.read { db in try await db.raw(query).all() }
        switch columns {
        case .all: return try rows.map(Self.decode)
        case .api: return try rows.map { try Self.decodeAPI($0, organisationId: organisationId) }
        case .csv: return try rows.map { try Self.decodeCSV($0, organisationId: organisationId) }
        }
    }

    static let csvColumns = "id, occurred_at, type, unit_id, area, perpetrator, harm, status, reporter_role, reported_at, description"
    static let apiColumns = "CASE WHEN receipt_hash IS NULL THEN 0 ELSE 1 END AS anonymous, handler_id, review_due_at, outcome, lessons, closed_at, detail"

    static func decodeCSV(_ row: any SQLRow, organisationId: String) throws -> IncidentReport {
        IncidentReport(
            id: try row.string("id"), organisationId: organisationId,
            type: IncidentType(rawValue: try row.string("type")) ?? .other, occurredAt: Date(epochMilliseconds: try row.millis("occurred_at")),
            unitId: try row.string("unit_id"), area: try row.string("area"),
            perpetrator: Perpetrator(rawValue: try row.string("perpetrator")) ?? .memberOfThePublic,
            harm: Harm(rawValue: try row.string("harm")) ?? .none, description: try row.string("description"),
            reporterRole: ReporterRole(rawValue: try row.string("reporter_role")) ?? .harmed, reporterId: nil,
            status: IncidentStatus(rawValue: try row.string("status")) ?? .reported,
            reportedAt: Date(epochMilliseconds: try row.millis("reported_at")))
    }

    static func decodeAPI(_ row: any SQLRow, organisationId: String) throws -> IncidentReport {
        var report = try decodeCSV(row, organisationId: organisationId)
        report.anonymous = try row.decode(column: "anonymous", as: Int.self) != 0
        report.handlerId = try row.nullableString("handler_id")
        report.reviewDueAt = try row.nullableMillis("review_due_at").map(Date.init(epochMilliseconds:))
        report.outcome = try row.string("outcome")
        report.lessons = try row.string("lessons")
        report.closedAt = try row.nullableMillis("closed_at").map(Date.init(epochMilliseconds:))
        let detail = try row.string("detail")
        // Most reports never get detail; skipping the decoder keeps exports fast.
        if detail != "{}" { report.detail = (try? JSONDecoder().decode(IncidentDetail.self, from: Data(detail.utf8))) ?? IncidentDetail() }
        return report
    }
}

extension SQLRow {
    /// A stored timestamp, read as the integer it is.
    func millis(_ column: String) throws -> Int64 { try decode(column: column, as: Int64.self) }
    /// A NULL check first and then the plain decode: `decode(as: String?.self)` goes through a nested decoder made
    /// for each value, several times the cost.
    func nullableString(_ column: String) throws -> String? { try decodeNil(column: column) ? nil : decode(column: column, as: String.self) }
    func nullableMillis(_ column: String) throws -> Int64? { try decodeNil(column: column) ? nil : decode(column: column, as: Int64.self) }
}
