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
            let answers = IncidentInput.answers(&input)
            try input.finish()
            let units = try await web.unitCache.units(organisationId: identity.organisation.id, containing: answers.unitId,
                                                      from: web.environment.organisations)
            let report = try IncidentInput.report(answers, units: units, identity: identity, now: web.environment.clock.now())
            let (saved, created) = try await web.environment.incidentCases.report(
                report, organisation: identity.organisation, idempotencyKey: key, origin: context.origin())
            var response = try IncidentJSON.response(saved, status: created ? .created : .ok)
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
            return IncidentExport.response(filter, format: format, store: web.environment.incidents)
        }
        routes.add(.get, "/api/v1/incidents/{id}", .reportIncident, api: true) { _, context, identity in
            let report = try await pages.visibleForAPI(context, identity)
            try await AuditLog.record(web.environment.database, at: web.environment.clock.now(), origin: context.origin(),
                                      action: "incident.read", entity: "incident", entityId: report.id)
            return try IncidentJSON.response(report)
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

    /// A report as the API's answer: this struct's JSON, written by hand (`IncidentExport.writeJSON`).
    static func response(_ report: IncidentReport, status: HTTPResponse.Status = .ok) throws -> Response {
        var body = ByteBuffer()
        body.reserveCapacity(1024)
        try IncidentExport.writeJSON(report, to: &body)
        return jsonResponse(body: body, status: status)
    }
}
