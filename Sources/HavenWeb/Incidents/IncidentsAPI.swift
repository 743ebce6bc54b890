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
            let (saved, created) = try await web.environment.incidents.create(
                report, timeZone: TimeZone(identifier: identity.organisation.timeZone) ?? .gmt, idempotencyKey: key, origin: context.origin())
            var response = try jsonResponse(IncidentJSON(saved), status: created ? .created : .ok)
            if !created { response.headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
            return response
        }
        routes.add(.get, "/api/v1/incidents", .reportIncident, api: true) { request, _, identity in
            let query = request.uri.queryParameters
            func text(_ key: String) -> String? { query[Substring(key)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
            let paging = try Pagination(request)
            var filter = IncidentStore.Filter(organisationId: identity.organisation.id,
                                              scope: Access.scope(of: identity.actor, for: .viewIncidents), reporterId: identity.user.id)
            var errors = FieldErrors()
            filter.limit = paging.limit
            filter.offset = paging.offset
            filter.unitId = text("unitId")
            filter.onlyMine = text("mine") == "true"
            if let value = text("type") { filter.type = IncidentType(rawValue: value); if filter.type == nil { errors.add("type", "Unknown type '\(value)'") } }
            if let value = text("harm") { filter.harm = Harm(rawValue: value); if filter.harm == nil { errors.add("harm", "Unknown harm '\(value)'") } }
            if let value = text("status") { filter.status = IncidentStatus(rawValue: value); if filter.status == nil { errors.add("status", "Unknown status '\(value)'") } }
            for (key, label) in [("from", "from"), ("to", "to")] {
                guard let value = text(key) else { continue }
                if CalendarDay(value) == nil { errors.add(key, "\(label) must be a real date as YYYY-MM-DD") }
                else if key == "from" { filter.fromDate = value } else { filter.toDate = value }
            }
            if !errors.isEmpty { throw APIError.validation(errors) }
            let (items, total) = try await web.environment.incidents.list(filter)
            return try jsonResponse(Page(items: items.map(IncidentJSON.init), total: total, limit: filter.limit, offset: filter.offset))
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
    }
}
