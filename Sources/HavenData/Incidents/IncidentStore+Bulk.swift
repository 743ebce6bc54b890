import Foundation
import HavenCore
import SQLKit

/// Many reports at once, for `haven demo --incidents N` and benchmarks: one multi-row INSERT per
/// `rowsPerStatement` reports, all of a batch in one transaction (so one fsync serves thousands of rows),
/// and one audit entry for the whole generation instead of one per report.
extension IncidentStore {
    /// Rows per INSERT statement. 20 bound values a row keeps a statement under SQLite's limit of 32,766
    /// variables and PostgreSQL's 65,535 parameters, while the statement count stays small.
    public static let rowsPerStatement = 500

    /// What the generation's single audit entry says; written in the same transaction as the last batch.
    public struct GenerationAudit: Sendable {
        public var origin: Origin
        public var count: Int
        public var at: Date

        public init(origin: Origin, count: Int, at: Date) {
            self.origin = origin
            self.count = count
            self.at = at
        }
    }

    /// Saves the reports in one transaction and returns once it is committed. Calendar columns are computed as
    /// `create` computes them, through the cache.
    /// Pass the same cache to every batch of a generation.
    public func insert(generated reports: [IncidentReport], calendar: inout CalendarCache, audit: GenerationAudit? = nil) async throws {
        guard !reports.isEmpty || audit != nil else { return }
        var statements: [SQLQueryString] = []
        var start = 0
        while start < reports.count {
            let slice = reports[start..<min(start + Self.rowsPerStatement, reports.count)]
            statements.append(Self.insertStatement(slice, calendar: &calendar))
            start += Self.rowsPerStatement
        }
        try await database.write { [database, statements] db in
            for statement in statements { try await db.raw(statement).run() }
            if let audit {
                try await database.audit(db, audit.origin, "incident.generate", entity: "incident", id: nil,
                                         changes: ["count": String(audit.count)], at: audit.at)
            }
        }
    }

    static func insertStatement(_ reports: ArraySlice<IncidentReport>, calendar: inout CalendarCache) -> SQLQueryString {
        var query: SQLQueryString = """
            INSERT INTO incidents (id, organisation_id, unit_id, area, type, perpetrator, harm, description, reporter_role, reporter_id,
                                   status, occurred_at, reported_at, local_date, iso_week, month, hour, weekday, outcome, closed_at,
                                   confidential) VALUES
            """
        var first = true
        for report in reports {
            let columns = calendar.columns(report.occurredAt)
            query += first ? " (" : ", ("
            first = false
            query += """
                \(bind: report.id), \(bind: report.organisationId), \(bind: report.unitId), \(bind: report.area), \
                \(bind: report.type.rawValue), \(bind: report.perpetrator.rawValue), \(bind: report.harm.rawValue), \
                \(bind: report.description), \(bind: report.reporterRole.rawValue), \(bind: report.reporterId), \
                \(bind: report.status.rawValue), \(bind: report.occurredAt.epochMilliseconds), \(bind: report.reportedAt.epochMilliseconds), \
                \(bind: columns.localDate), \(bind: columns.isoWeek), \(bind: columns.month), \(bind: columns.hour), \
                \(bind: columns.weekday), \(bind: report.outcome), \(bind: report.closedAt?.epochMilliseconds), \
                \(bind: HarassmentCase.isConfidential(report.perpetrator).storedFlag))
                """
        }
        return query
    }
}

/// CalendarColumns memoised per quarter hour: computing them takes a Calendar call and four String(format:),
/// a large part of the cost of a million-row generation. Every time zone's offset is a multiple of 15 minutes,
/// so all times in one quarter hour share their local date, week, month, hour and weekday.
public struct CalendarCache: Sendable {
    public let timeZone: TimeZone
    private var byQuarterHour: [Int64: CalendarColumns] = [:]

    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    public mutating func columns(_ date: Date) -> CalendarColumns {
        let quarter = Int64((date.timeIntervalSince1970 / 900).rounded(.down))
        if let known = byQuarterHour[quarter] { return known }
        let columns = CalendarColumns(date, timeZone: timeZone)
        byQuarterHour[quarter] = columns
        return columns
    }
}

extension IncidentStore {
    /// How many reports the organisation has: a generation mixes it into its seed, so a second run with the same
    /// seed on the same database makes new ids instead of colliding with the first.
    public func count(organisationId: String) async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM incidents WHERE organisation_id = \(bind: organisationId)").first()?.int("n") ?? 0
        }
    }
}
