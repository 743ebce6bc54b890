import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// The case on the report page: the timeline and messages for the reporter and the handler; moving the case on,
/// actions and support for the handler. Each form posts here and comes back to the report, with errors beside
/// the fields when something was wrong.
struct IncidentCaseController {
    let web: WebContext
    var pages: IncidentsController { IncidentsController(web: web) }
    var store: IncidentStore { web.environment.incidents }
    var cases: IncidentCases { web.environment.incidentCases }

    func register(_ routes: Routes) {
        routes.add(.post, "/incidents/{id}/case", .reportIncident) { request, context, identity in
            let report = try await handled(context, identity)
            let form = try await FormInput(request, context: context)
            var change = IncidentStore.CaseChange(outcome: form["outcome"], lessons: form["lessons"])
            if let status = form["status"], !status.isEmpty {
                guard let parsed = IncidentStatus(rawValue: status) else {
                    return try await page(request, context, identity, report, errors: FieldErrors("status", "Choose the next step"), status: .badRequest)
                }
                change.status = parsed
            }
            if let handler = form["handlerId"], !handler.isEmpty, handler != report.handlerId { change.handlerId = handler }
            do {
                _ = try await cases.change(report, change, by: identity.actor, origin: context.origin())
            } catch let errors as FieldErrors {
                return try await page(request, context, identity, report, errors: errors, status: .badRequest, typed: form)
            }
            return .redirect(to: "/incidents/\(report.id)?saved=case")
        }
        routes.add(.post, "/incidents/{id}/messages", .reportIncident) { request, context, identity in
            let report = try await pages.visible(try context.parameter("id"), identity)
            let isReporter = report.reporterId == identity.user.id
            guard isReporter || IncidentAccess.canHandle(report, identity.actor) else { throw PageError.forbidden }
            let form = try await FormInput(request, context: context)
            do {
                _ = try await cases.message(report, body: form["body"] ?? "", authorId: identity.user.id, fromReporter: isReporter, origin: context.origin())
            } catch let errors as FieldErrors {
                return try await page(request, context, identity, report, errors: errors, status: .badRequest, typed: form)
            }
            return .redirect(to: "/incidents/\(report.id)?saved=message#timeline")
        }
        routes.add(.post, "/incidents/{id}/actions", .reportIncident) { request, context, identity in
            let report = try await handled(context, identity)
            let form = try await FormInput(request, context: context)
            do {
                let action = try await IncidentCaseInput.action(report, description: form["description"], ownerId: form["ownerId"], dueOn: form["dueOn"],
                                                                users: web.environment.users, now: web.environment.clock.now())
                try await store.addAction(action, organisationId: report.organisationId, origin: context.origin())
            } catch let errors as FieldErrors {
                return try await page(request, context, identity, report, errors: errors, status: .badRequest, typed: form)
            }
            return .redirect(to: "/incidents/\(report.id)?saved=action#actions")
        }
        routes.add(.post, "/incidents/{id}/actions/{actionId}", .reportIncident) { request, context, identity in
            let report = try await handled(context, identity)
            let form = try await FormInput(request, context: context)
            guard try await store.setActionDone(try context.parameter("actionId"), incidentId: report.id, organisationId: report.organisationId,
                                                done: form["done"] == "yes", origin: context.origin()) else { throw PageError.notFound }
            return .redirect(to: "/incidents/\(report.id)?saved=action#actions")
        }
        routes.add(.post, "/incidents/{id}/support/{supportId}", .reportIncident) { request, context, identity in
            let report = try await handled(context, identity)
            let form = try await FormInput(request, context: context)
            do {
                let (outcome, note) = try IncidentCaseInput.supportOutcome(form["outcome"], note: form["note"])
                guard try await store.recordSupport(try context.parameter("supportId"), incidentId: report.id, organisationId: report.organisationId,
                                                    outcome: outcome, note: note, origin: context.origin()) else { throw PageError.notFound }
            } catch let errors as FieldErrors {
                return try await page(request, context, identity, report, errors: errors, status: .badRequest, typed: form)
            }
            return .redirect(to: "/incidents/\(report.id)?saved=support#support")
        }
    }

    func handled(_ context: HavenRequestContext, _ identity: Identity) async throws -> IncidentReport {
        let report = try await pages.visible(try context.parameter("id"), identity)
        guard IncidentAccess.canHandle(report, identity.actor) else { throw PageError.forbidden }
        return report
    }

    func page(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, _ report: IncidentReport, errors: FieldErrors,
              status: HTTPResponse.Status, typed: FormInput? = nil) async throws -> Response {
        try await pages.showPage(request, context, identity, report, errors: errors, typed: typed, status: status)
    }
}

/// The case part of the report page.
struct CasePanel: Sendable {
    struct Entry: Sendable {
        var who: String
        var body: String
        var when: String
        var isStatus: Bool
    }
    struct ActionRow: Sendable {
        var description: String
        var owner: String
        var due: String
        var done: Bool
        var overdue: Bool
        var formAction: String
    }
    struct SupportRow: Sendable {
        var key: String
        var kind: String
        var due: String
        var outcome: String
        var note: String
        var open: Bool
        var overdue: Bool
        var formAction: String
    }
    var status: String
    var handler: String
    var reviewDue: String
    var outcome: String
    var lessons: String
    var entries: [Entry]
    var canMessage: Bool
    var messageError: String?
    var handles: Bool
    var nextStatuses: [Choice]
    var statusError: String?
    var handlers: [Choice]
    var handlerError: String?
    var outcomeText: String
    var outcomeError: String?
    var lessonsText: String
    var actions: [ActionRow]
    var hasActions: Bool
    var owners: [Choice]
    var actionDescription: FormField
    var actionDue: FormField
    var ownerError: String?
    var support: [SupportRow]
    var supportOutcomes: [Choice]
    var supportError: String?
}
