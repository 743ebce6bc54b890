import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// Lone-working history and reports for the viewer's remit (a manager: their units): the page, the JSON report and a
/// streamed CSV of the sessions. All three read the same query (from, to, unit), so a page's download link and an API
/// call with the same parameters give the same sessions.
struct LoneWorkingHistory {
    let web: WebContext
    var store: LoneWorkingStore { web.environment.loneWorking.store }
    static let reportPath = "/api/v1/lone-working/reports"
    static let exportPath = "/api/v1/lone-working/reports/sessions"

    func register(_ routes: Routes) {
        routes.add(.get, LoneWorkingRoute.history.path, .viewLoneWorkingReports) { request, context, identity in
            let query = try await HistoryQuery(request, identity: identity, environment: web.environment)
            let units = try await web.environment.organisations.units(organisationId: identity.organisation.id)
            var report: LoneWorkingReport?
            var devices: [AlarmEventKind: Int] = [:]
            if query.errors.isEmpty, let period = query.period {
                report = LoneWorkingReport(try await store.reportFacts(period))
                devices = try await store.alarmEventCounts(period)
            }
            let people = try await web.environment.users.list(organisationId: identity.organisation.id, scope: .all)
            let page = HistoryPage(query: query, report: report, devices: devices, units: units, people: people)
            return try await web.page("lone-working/history", page, title: "Lone-working history", request: request, context: context,
                                      status: query.errors.isEmpty ? .ok : .badRequest)
        }
        routes.add(.get, LoneWorkingRoute.historyExport.path, .viewLoneWorkingReports) { request, context, identity in
            let query = try await HistoryQuery(request, identity: identity, environment: web.environment)
            guard query.errors.isEmpty, let period = query.period else { throw PageError.badRequest(query.errors.items.map(\.message).joined(separator: ". ")) }
            return try await export(period, query: query, context: context, identity: identity)
        }
        routes.add(.get, Self.reportPath, .viewLoneWorkingReports, api: true) { request, _, identity in
            let query = try await HistoryQuery(request, identity: identity, environment: web.environment)
            guard query.errors.isEmpty, let period = query.period else { throw APIError.validation(query.errors) }
            let report = LoneWorkingReport(try await store.reportFacts(period))
            let devices = try await store.alarmEventCounts(period)
            return try jsonResponse(ReportJSON(query: query, report: report, devices: devices))
        }
        routes.add(.get, Self.exportPath, .viewLoneWorkingReports, api: true) { request, context, identity in
            let query = try await HistoryQuery(request, identity: identity, environment: web.environment)
            guard query.errors.isEmpty, let period = query.period else { throw APIError.validation(query.errors) }
            return try await export(period, query: query, context: context, identity: identity)
        }
    }

    /// The sessions as CSV, a keyset page at a time. Locations are left out: they are often a patient's home address,
    /// and a history report does not need them. The export is audited.
    func export(_ period: LoneWorkingStore.Period, query: HistoryQuery, context: HavenRequestContext, identity: Identity) async throws -> Response {
        try await AuditLog.record(web.environment.database, at: web.environment.clock.now(), origin: context.origin(),
                                  action: "lone-working.history-export", entity: "lone-working-session", entityId: nil,
                                  changes: ["from": query.from.description, "to": query.to.description, "unit": query.unitId ?? "all"])
        let names = Dictionary(try await web.environment.users.list(organisationId: identity.organisation.id, scope: .all).map { ($0.id, $0.name) }) { a, _ in a }
        let units = Dictionary(try await web.environment.organisations.units(organisationId: identity.organisation.id).map { ($0.id, $0.code) }) { a, _ in a }
        let store = self.store
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: HistoryCSV.header))
            var cursor: (startedAt: Date, id: String)?
            while true {
                let rows = try await store.historyPage(period, after: cursor, size: 1000)
                guard let last = rows.last else { break }
                var buffer = ByteBuffer()
                for row in rows { buffer.writeString(HistoryCSV.line(row, worker: names[row.session.workerId] ?? "", unit: units[row.session.unitId] ?? "",
                                                                   acknowledgedBy: row.session.acknowledgedBy.flatMap { names[$0] } ?? "")) }
                try await writer.write(buffer)
                cursor = (last.session.startedAt, last.session.id)
                if rows.count < 1000 { break }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
            .contentDisposition: "attachment; filename=\"lone-working-sessions-\(query.from)-to-\(query.to).csv\"",
        ], body: body)
    }
}

/// The export's rows, through the incident export's field escaping (quoting and formula defusing).
enum HistoryCSV {
    static let header = "session_id,worker,unit,started_at,expected_end_at,ended_at,state,visit_kind,overdue_at,alarm_at,silent_alarm,"
        + "escalation_step,acknowledged_at,acknowledged_by,seconds_to_acknowledge,resolved_at,outcome\r\n"

    static func line(_ row: LoneWorkingStore.HistoryRow, worker: String, unit: String, acknowledgedBy: String) -> String {
        let session = row.session
        let facts = SessionFacts(id: session.id, workerId: session.workerId, unitId: session.unitId, startedAt: session.startedAt, state: session.state,
                                 outcome: session.outcome, alarmAt: session.alarmAt, overdueAt: row.overdueAt, acknowledgedAt: session.acknowledgedAt)
        return [session.id, worker, unit, session.startedAt.iso8601, session.expectedEndAt.iso8601, session.endedAt?.iso8601 ?? "",
                session.state.rawValue, session.visitKind.rawValue, row.overdueAt?.iso8601 ?? "", session.alarmAt?.iso8601 ?? "",
                session.duress ? "yes" : "no", String(session.escalationStep), session.acknowledgedAt?.iso8601 ?? "", acknowledgedBy,
                facts.secondsToAcknowledge.map(String.init) ?? "", session.resolvedAt?.iso8601 ?? "", session.outcome?.rawValue ?? ""]
            .map(IncidentExport.csvField).joined(separator: ",") + "\r\n"
    }
}

/// from, to (days in the organisation's time zone, `to` inclusive) and unit, checked against the viewer's remit.
struct HistoryQuery {
    static let longest = 366
    var from: CalendarDay
    var to: CalendarDay
    var unitId: String?
    var scope: UnitScope
    var errors = FieldErrors()
    var period: LoneWorkingStore.Period?

    init(_ request: Request, identity: Identity, environment: HavenEnvironment) async throws {
        let parameters = request.uri.queryParameters
        func text(_ key: String) -> String? { parameters[Substring(key)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        let zone = TimeZone(identifier: identity.organisation.timeZone) ?? .gmt
        let today = CalendarDay(environment.clock.now(), in: zone)
        to = today
        from = today.adding(days: -29)
        if let value = text("to") { if let day = CalendarDay(value) { to = day } else { errors.add("to", "To must be a real date as YYYY-MM-DD") } }
        if let value = text("from") { if let day = CalendarDay(value) { from = day } else { errors.add("from", "From must be a real date as YYYY-MM-DD") } }
        else if text("to") != nil { from = to.adding(days: -29) }
        if errors.isEmpty {
            if to < from { errors.add("to", "To must be the same as or after From") }
            else if from.adding(days: Self.longest) <= to { errors.add("to", "A report covers at most \(Self.longest) days") }
        }
        scope = Access.scope(of: identity.actor, for: .viewLoneWorkingReports)
        unitId = text("unit")
        var units: Set<String>?
        if case .units(let ids) = scope { units = ids }
        if let unitId {
            if try await environment.organisations.unit(id: unitId, organisationId: identity.organisation.id) == nil || !scope.contains(unitId) {
                errors.add("unit", "Choose one of the units in your remit")
            } else {
                units = [unitId]
            }
        }
        if errors.isEmpty {
            period = .init(organisationId: identity.organisation.id, from: from.start(in: zone), to: to.adding(days: 1).start(in: zone), unitIds: units)
        }
    }

    /// The same query as URL parameters, for the download link.
    var parameters: String {
        "from=\(from)&to=\(to)" + (unitId.map { "&unit=\($0)" } ?? "")
    }
}
