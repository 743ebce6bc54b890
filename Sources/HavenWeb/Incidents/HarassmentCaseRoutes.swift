import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// The HR side of a confidential case, in the API and as a form on the report page. Only HR case handlers reach
/// it; anyone else gets 404 (they cannot see the report at all) or 403 (the reporter).
struct HarassmentCaseRoutes {
    let web: WebContext
    var pages: IncidentsController { IncidentsController(web: web) }

    func register(_ routes: Routes) {
        routes.add(.get, "/api/v1/incidents/{id}/harassment-case", .reportIncident, api: true) { _, context, identity in
            let report = try await hrCase(context, identity, api: true)
            guard let found = try await web.environment.incidents.harassmentCase(incidentId: report.id, organisationId: report.organisationId) else {
                throw APIError.notFound("harassment case")
            }
            return try jsonResponse(HarassmentCaseJSON(found))
        }
        routes.add(.patch, "/api/v1/incidents/{id}/harassment-case", .reportIncident, api: true) { request, context, identity in
            let report = try await hrCase(context, identity, api: true)
            var input = try await JSONInput(request, context: context)
            var change = IncidentCases.HarassmentChange(
                trustedPersonId: input.string("trustedPersonId"), subjectId: input.string("subjectId"), investigatorId: input.string("investigatorId"),
                measures: input.string("measures"), support: input.string("support"), retaliationChecked: input.bool("retaliationChecked"),
                retaliationNote: input.string("retaliationNote"))
            let stage = input.string("stage")
            try input.finish()
            if let stage {
                guard let parsed = HarassmentCase.Stage(rawValue: stage) else { throw APIError.validation(FieldErrors("stage", "stage must be informal or formal")) }
                change.stage = parsed
            }
            let saved = try await web.environment.incidentCases.changeHarassmentCase(report, change, organisation: identity.organisation, origin: context.origin())
            return try jsonResponse(HarassmentCaseJSON(saved))
        }
        routes.add(.post, "/incidents/{id}/harassment-case", .reportIncident) { request, context, identity in
            let report = try await hrCase(context, identity, api: false)
            let form = try await FormInput(request, context: context)
            let change = IncidentCases.HarassmentChange(
                stage: HarassmentCase.Stage(rawValue: form["stage"] ?? ""), trustedPersonId: form["trustedPersonId"], subjectId: form["subjectId"],
                investigatorId: form["investigatorId"], measures: form["measures"], support: form["support"],
                retaliationChecked: form["retaliationChecked"] == "yes", retaliationNote: form["retaliationNote"])
            do {
                _ = try await web.environment.incidentCases.changeHarassmentCase(report, change, organisation: identity.organisation, origin: context.origin())
            } catch let errors as FieldErrors {
                return try await pages.showPage(request, context, identity, report, errors: errors, typed: form, status: .badRequest)
            }
            return .redirect(to: "/incidents/\(report.id)?saved=case")
        }
    }

    func hrCase(_ context: HavenRequestContext, _ identity: Identity, api: Bool) async throws -> IncidentReport {
        let report = api ? try await pages.visibleForAPI(context, identity) : try await pages.visible(try context.parameter("id"), identity)
        guard report.confidential else { throw api ? APIError.notFound("harassment case") : PageError.notFound }
        guard Access.allows(identity.actor, .handleHarassmentCases) else { throw api ? APIError.forbidden : PageError.forbidden }
        return report
    }
}

struct HarassmentCaseJSON: Encodable {
    var stage: String
    var trustedPersonId: String?
    var subjectId: String?
    var investigatorId: String?
    var investigationDueOn: String?
    var measures: String
    var support: String
    var retaliationCheckDueOn: String?
    var retaliationCheckedAt: Date?
    var retaliationNote: String

    init(_ c: HarassmentCase) {
        stage = c.stage.rawValue
        trustedPersonId = c.trustedPersonId
        subjectId = c.subjectId
        investigatorId = c.investigatorId
        investigationDueOn = c.investigationDueOn
        measures = c.measures
        support = c.support
        retaliationCheckDueOn = c.retaliationCheckDueOn
        retaliationCheckedAt = c.retaliationCheckedAt
        retaliationNote = c.retaliationNote
    }
}

/// The HR form on the report page.
struct HarassmentPanel: Sendable {
    var stages: [Choice]
    var trustedPeople: [Choice]
    var subjects: [Choice]
    var investigators: [Choice]
    var investigatorError: String?
    var investigationDue: String?
    var measures: String
    var support: String
    var retaliationDue: String?
    var retaliationChecked: Bool
    var retaliationNote: String
}
