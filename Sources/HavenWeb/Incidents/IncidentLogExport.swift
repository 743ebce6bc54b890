import Foundation
import HavenCore
import HavenData
import Hummingbird

/// The violent incident log (SB 553; Title 8 §3342(d)): every incident in the viewer's remit with the columns the
/// law lists and no personal identifiers, as CSV or JSON Lines. Because it holds no identifiers it is also the
/// redacted export for staff-side partnership representatives: one log, one permission (`.exportIncidentLog`),
/// rather than a second export that could drift from the first.
struct IncidentLogExport {
    let web: WebContext

    static let pagePath = "/incidents/log"
    static let apiPath = "/api/v1/incidents/log"

    func register(_ routes: Routes) {
        routes.add(.get, Self.apiPath, .exportIncidentLog, api: true) { request, context, identity in
            let query = try await LogQuery(request, identity: identity, units: web.environment.organisations)
            if !query.errors.isEmpty { throw APIError.validation(query.errors) }
            return try await download(query, context: context, identity: identity)
        }
        // The page is its own form (method GET): with a format chosen it answers with the file, otherwise it shows
        // the choices, with errors beside the fields when the dates were wrong.
        routes.add(.get, Self.pagePath, .exportIncidentLog) { request, context, identity in
            let query = try await LogQuery(request, identity: identity, units: web.environment.organisations)
            if query.asked && query.errors.isEmpty { return try await download(query, context: context, identity: identity) }
            let page = IncidentLogPage(query, rulePack: identity.organisation.rulePack)
            return try await web.page("incidents/log", page, title: "Violent incident log", request: request, context: context,
                                      status: query.errors.isEmpty ? .ok : .badRequest)
        }
    }

    /// Streams the log a page of reports at a time, so memory stays flat however long the log is.
    func download(_ query: LogQuery, context: HavenRequestContext, identity: Identity) async throws -> Response {
        try await AuditLog.record(web.environment.database, at: web.environment.clock.now(), origin: context.origin(),
                                  action: "incident.log-export", entity: "incident", entityId: nil, changes: query.auditChanges)
        let organisationId = identity.organisation.id
        let organisations = web.environment.organisations
        let sites = Dictionary(uniqueKeysWithValues: try await organisations.sites(organisationId: organisationId).map { ($0.id, $0.name) })
        let units = Dictionary(uniqueKeysWithValues: query.allUnits.map { ($0.id, (name: $0.name, site: sites[$0.siteId] ?? "")) })
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: identity.organisation.timeZone) ?? .gmt
        let store = web.environment.incidents, filter = query.filter, format = query.format
        let body = ResponseBody { [calendar] writer in
            let encoder = JSONEncoder.api
            if format == "csv" { try await writer.write(ByteBuffer(string: IncidentLogFormat.csvHeader)) }
            var cursor: IncidentStore.Cursor?
            while true {
                let page = try await store.page(filter, after: cursor, size: 1000)
                guard let last = page.last else { break }
                var buffer = ByteBuffer()
                for report in page {
                    let unit = units[report.unitId]
                    let entry = ViolentIncidentLogEntry(report, site: unit?.site ?? "", unit: unit?.name ?? "", calendar: calendar)
                    buffer.writeString(format == "csv" ? IncidentLogFormat.csvLine(entry) : try IncidentLogFormat.jsonLine(entry, encoder: encoder))
                }
                try await writer.write(buffer)
                cursor = .init(occurredAt: last.occurredAt, id: last.id)
                if page.count < 1000 { break }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson",
            .contentDisposition: "attachment; filename=\"violent-incident-log.\(format)\"", .cacheControl: "no-store",
        ], body: body)
    }
}

/// The log's rows as text: CSV through the incident export's field escaping (quoting and formula defusing).
enum IncidentLogFormat {
    static let csvHeader = ViolentIncidentLogEntry.headings.joined(separator: ",") + "\r\n"

    static func csvLine(_ entry: ViolentIncidentLogEntry) -> String {
        entry.values.map(IncidentExport.csvField).joined(separator: ",") + "\r\n"
    }

    static func jsonLine(_ entry: ViolentIncidentLogEntry, encoder: JSONEncoder) throws -> String {
        String(decoding: try encoder.encode(entry), as: UTF8.self) + "\n"
    }
}
