import Foundation
import HavenCore
import HavenData
import HTTPTypes
import Hummingbird

/// Incident reports in the JSON API. `POST` honours an `Idempotency-Key` header: a repeat returns the first
/// record (200, `Idempotent-Replayed: true`), never a second one.
struct IncidentsAPI {
    let web: WebContext
    var pages: IncidentsController { IncidentsController(web: web) }

    func register(_ routes: Routes) {
        routes.add(.post, "/api/v1/incidents", .reportIncident, api: true) { request, context, identity in
            let key = request.headers[HTTPField.Name("Idempotency-Key")!]
            if let key, key.isEmpty || key.count > 200 {
                throw APIError.validation(FieldErrors("Idempotency-Key", "The Idempotency-Key header must be 1 to 200 characters"))
            }
            var input = try await JSONInput(request, context: context)
            let (occurredAt, problem) = IncidentInput.apiTime(input.string("occurredAt"))
            let answers = IncidentInput.Answers(
                type: input.string("type", required: true), occurredAt: occurredAt, occurredAtProblem: problem,
                unitId: input.string("unitId", required: true), area: input.string("area", required: true),
                perpetrator: input.string("perpetrator", required: true), harm: input.string("harm", required: true),
                description: input.string("description", required: true), reporterRole: input.string("reporterRole"))
            try input.finish()
            let units = try await web.environment.organisations.units(organisationId: identity.organisation.id)
            let report = try IncidentInput.report(answers, units: units, identity: identity, now: web.environment.clock.now())
            let (saved, created) = try await web.environment.incidentCases.report(
                report, organisation: identity.organisation, idempotencyKey: key, origin: context.origin())
            var response = try jsonResponse(IncidentJSON(saved), status: created ? .created : .ok)
            if !created { response.headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
            return response
        }
        routes.add(.get, "/api/v1/incidents", .reportIncident, api: true) { request, _, identity in
            let filter = try Self.filter(request, identity)
            let list = try await web.environment.incidents.list(filter)
            return try jsonResponse(IncidentListJSON(items: list.items.map(IncidentJSON.init), total: list.total, totalIsCapped: list.totalIsCapped,
                                                     limit: filter.limit, offset: filter.offset))
        }
        routes.add(.get, "/api/v1/incidents/export", .reportIncident, api: true) { request, context, identity in
            let format = request.uri.queryParameters["format"].map(String.init) ?? "csv"
            guard ["csv", "jsonl"].contains(format) else {
                throw APIError.validation(FieldErrors("format", "format must be csv or jsonl"))
            }
            let filter = try Self.filter(request, identity, paging: false)
            try await AuditLog.record(web.environment.database, at: web.environment.clock.now(), origin: context.origin(),
                                      action: "incident.export", entity: "incident", entityId: nil, changes: ["format": format])
            let store = web.environment.incidents
            // Streamed a page at a time, so memory stays flat however many reports there are.
            let body = ResponseBody { writer in
                if format == "csv" { try await writer.write(ByteBuffer(string: IncidentExport.csvHeader)) }
                var cursor: IncidentStore.Cursor?
                while true {
                    let page = try await store.page(filter, after: cursor, size: 1000)
                    guard let last = page.last else { break }
                    var buffer = ByteBuffer()
                    for report in page {
                        buffer.writeString(format == "csv" ? IncidentExport.csvLine(report) : try IncidentExport.jsonLine(report))
                    }
                    try await writer.write(buffer)
                    cursor = .init(occurredAt: last.occurredAt, id: last.id)
                    if page.count < 1000 { break }
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [
                .contentType: format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson",
                .contentDisposition: "attachment; filename=\"incidents.\(format)\"", .cacheControl: "no-store",
            ], body: body)
        }
        routes.add(.get, "/api/v1/incidents/{id}", .reportIncident, api: true) { _, context, identity in
            let report: IncidentReport
            do { report = try await pages.visible(try context.parameter("id"), identity) } catch PageError.notFound { throw APIError.notFound("incident") }
            try await AuditLog.record(web.environment.database, at: web.environment.clock.now(), origin: context.origin(),
                                      action: "incident.read", entity: "incident", entityId: report.id)
            return try jsonResponse(IncidentJSON(report))
        }
    }
}

extension IncidentsAPI {
    /// The list and export filters from the query string, checked (see `IncidentFilterInput`).
    static func filter(_ request: Request, _ identity: Identity, paging: Bool = true) throws -> IncidentStore.Filter {
        let query = request.uri.queryParameters
        var filter = IncidentStore.Filter(organisationId: identity.organisation.id,
                                          scope: Access.scope(of: identity.actor, for: .viewIncidents), reporterId: identity.user.id)
        filter.seesConfidential = Access.allows(identity.actor, .handleHarassmentCases)
        if paging {
            let window = try Pagination(request)
            filter.limit = window.limit
            filter.offset = window.offset
        }
        let errors = IncidentFilterInput.read({ query[Substring($0)].map(String.init) }, into: &filter)
        if !errors.isEmpty { throw APIError.validation(errors) }
        return filter
    }
}

/// Rows of the incident export.
enum IncidentExport {
    static let csvHeader = "id,occurred_at,type,unit_id,area,perpetrator,us_workplace_violence_type,harm,status,reporter_role,reported_at,description\r\n"

    static func csvLine(_ report: IncidentReport) -> String {
        [report.id, report.occurredAt.iso8601, report.type.rawValue, report.unitId, report.area, report.perpetrator.rawValue,
         String(report.perpetrator.usWorkplaceViolenceType), report.harm.rawValue, report.status.rawValue, report.reporterRole.rawValue,
         report.reportedAt.iso8601, report.description].map(csvField).joined(separator: ",") + "\r\n"
    }

    /// Quoted when needed (RFC 4180), and a leading = + - @ is defused so a spreadsheet never runs it as a formula.
    static func csvField(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func jsonLine(_ report: IncidentReport) throws -> String {
        String(decoding: try JSONEncoder.api.encode(IncidentJSON(report)), as: UTF8.self) + "\n"
    }
}

struct IncidentJSON: Encodable {
    var id: String
    var type: String
    var occurredAt: Date
    var unitId: String
    var area: String
    var perpetrator: String
    var usWorkplaceViolenceType: Int
    var harm: String
    var description: String
    var reporterRole: String
    var status: String
    var reportedAt: Date
    var anonymous: Bool
    var handlerId: String?
    var reviewDueAt: Date?
    var outcome: String
    var lessons: String
    var closedAt: Date?
    var detail: IncidentDetail

    init(_ report: IncidentReport) {
        id = report.id
        type = report.type.rawValue
        occurredAt = report.occurredAt
        unitId = report.unitId
        area = report.area
        perpetrator = report.perpetrator.rawValue
        usWorkplaceViolenceType = report.perpetrator.usWorkplaceViolenceType
        harm = report.harm.rawValue
        description = report.description
        reporterRole = report.reporterRole.rawValue
        status = report.status.rawValue
        reportedAt = report.reportedAt
        anonymous = report.anonymous
        handlerId = report.handlerId
        reviewDueAt = report.reviewDueAt
        outcome = report.outcome
        lessons = report.lessons
        closedAt = report.closedAt
        detail = report.detail
    }
}
