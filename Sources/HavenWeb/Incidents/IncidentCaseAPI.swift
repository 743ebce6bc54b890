import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// Handling a case through the API: the status and case fields (`PATCH`), the timeline of messages, actions with
/// owners and due dates, and post-incident support. Someone who cannot see the report gets 404; someone who can
/// see it but not handle it gets 403.
struct IncidentCaseAPI {
    let web: WebContext
    var pages: IncidentsController { IncidentsController(web: web) }
    var cases: IncidentCases { web.environment.incidentCases }
    var store: IncidentStore { web.environment.incidents }

    func register(_ routes: Routes) {
        routes.add(.patch, "/api/v1/incidents/{id}", .reportIncident, api: true) { request, context, identity in
            let report = try await pages.visibleForAPI(context, identity)
            var input = try await JSONInput(request, context: context)
            let status = input.string("status"), handlerId = input.string("handlerId")
            let outcome = input.string("outcome"), lessons = input.string("lessons"), detail = input.object("detail")
            try input.finish()
            let handles = IncidentAccess.canHandle(report, identity.actor)
            // The reporter may add detail to their own report; everything else is the handler's.
            let isReporter = report.reporterId == identity.user.id
            if !handles && (status != nil || handlerId != nil || outcome != nil || lessons != nil || !isReporter) { throw APIError.forbidden }
            var change = IncidentStore.CaseChange(handlerId: handlerId, outcome: outcome, lessons: lessons)
            if let status {
                guard let parsed = IncidentStatus(rawValue: status) else {
                    throw APIError.validation(FieldErrors("status", "status must be one of \(IncidentStatus.allCases.map(\.rawValue).joined(separator: ", "))"))
                }
                change.status = parsed
            }
            if let detail { change.detail = try IncidentDetailInput.merge(report.detail, detail) }
            let updated = try await cases.change(report, change, by: identity.actor, origin: context.origin())
            return try IncidentJSON.response(updated)
        }
        routes.add(.get, "/api/v1/incidents/{id}/messages", .reportIncident, api: true) { _, context, identity in
            let report = try await pages.visibleForAPI(context, identity)
            let entries = try await store.timeline(incidentId: report.id, organisationId: report.organisationId)
            return try jsonResponse(entries.map(TimelineJSON.init))
        }
        routes.add(.post, "/api/v1/incidents/{id}/messages", .reportIncident, api: true) { request, context, identity in
            let report = try await pages.visibleForAPI(context, identity)
            var input = try await JSONInput(request, context: context)
            let body = input.string("body", required: true)
            try input.finish()
            let isReporter = report.reporterId == identity.user.id
            guard isReporter || IncidentAccess.canHandle(report, identity.actor) else { throw APIError.forbidden }
            let entry = try await cases.message(report, body: body ?? "", authorId: identity.user.id, fromReporter: isReporter, origin: context.origin())
            return try jsonResponse(TimelineJSON(entry), status: .created)
        }
        routes.add(.get, "/api/v1/incidents/{id}/actions", .reportIncident, api: true) { _, context, identity in
            let report = try await pages.visibleForAPI(context, identity)
            return try jsonResponse(try await store.actions(incidentId: report.id, organisationId: report.organisationId).map(ActionJSON.init))
        }
        routes.add(.get, "/api/v1/incidents/{id}/support", .reportIncident, api: true) { _, context, identity in
            let report = try await handled(context, identity)
            return try jsonResponse(try await store.support(incidentId: report.id, organisationId: report.organisationId).map(SupportJSON.init))
        }
        routes.add(.post, "/api/v1/incidents/{id}/actions", .reportIncident, api: true) { request, context, identity in
            let report = try await handled(context, identity)
            var input = try await JSONInput(request, context: context)
            let description = input.string("description", required: true), ownerId = input.string("ownerId"), dueOn = input.string("dueOn")
            try input.finish()
            let action = try await IncidentCaseInput.action(report, description: description, ownerId: ownerId, dueOn: dueOn,
                                                            users: web.environment.users, now: web.environment.clock.now())
            try await store.addAction(action, organisationId: report.organisationId, origin: context.origin())
            return try jsonResponse(ActionJSON(action), status: .created)
        }
        routes.add(.patch, "/api/v1/incidents/{id}/actions/{actionId}", .reportIncident, api: true) { request, context, identity in
            let report = try await handled(context, identity)
            var input = try await JSONInput(request, context: context)
            let done = input.bool("done")
            if done == nil && !input.has("done") { input.require("done") }
            try input.finish()
            guard try await store.setActionDone(try context.parameter("actionId"), incidentId: report.id, organisationId: report.organisationId,
                                                done: done ?? false, origin: context.origin()) else { throw APIError.notFound("action") }
            let actions = try await store.actions(incidentId: report.id, organisationId: report.organisationId)
            guard let action = actions.first(where: { $0.id == context.parameters.get("actionId") }) else { throw APIError.notFound("action") }
            return try jsonResponse(ActionJSON(action))
        }
        routes.add(.post, "/api/v1/incidents/{id}/support", .reportIncident, api: true) { request, context, identity in
            let report = try await handled(context, identity)
            var input = try await JSONInput(request, context: context)
            let kind = input.string("kind", required: true), dueAt = input.string("dueAt", required: true)
            try input.finish()
            let item = try IncidentCaseInput.support(report, kind: kind, dueAt: dueAt)
            try await store.addSupport(item, organisationId: report.organisationId, origin: context.origin())
            return try jsonResponse(SupportJSON(item), status: .created)
        }
        routes.add(.patch, "/api/v1/incidents/{id}/support/{supportId}", .reportIncident, api: true) { request, context, identity in
            let report = try await handled(context, identity)
            var input = try await JSONInput(request, context: context)
            let outcome = input.string("outcome", required: true), note = input.string("note")
            try input.finish()
            let (parsed, text) = try IncidentCaseInput.supportOutcome(outcome, note: note)
            let supportId = try context.parameter("supportId")
            guard try await store.recordSupport(supportId, incidentId: report.id, organisationId: report.organisationId,
                                                outcome: parsed, note: text, origin: context.origin()) else { throw APIError.notFound("support item") }
            let items = try await store.support(incidentId: report.id, organisationId: report.organisationId)
            guard let item = items.first(where: { $0.id == supportId }) else { throw APIError.notFound("support item") }
            return try jsonResponse(SupportJSON(item))
        }
    }

    /// A report the person may handle; one they may see but not handle is 403.
    func handled(_ context: HavenRequestContext, _ identity: Identity) async throws -> IncidentReport {
        let report = try await pages.visibleForAPI(context, identity)
        guard IncidentAccess.canHandle(report, identity.actor) else { throw APIError.forbidden }
        return report
    }
}

struct TimelineJSON: Encodable {
    var id: String
    var kind: String
    var fromReporter: Bool
    var authorId: String?
    var body: String
    var createdAt: Date

    init(_ entry: TimelineEntry) {
        id = entry.id
        kind = entry.kind.rawValue
        fromReporter = entry.fromReporter
        authorId = entry.authorId
        body = entry.body
        createdAt = entry.createdAt
    }
}

struct ActionJSON: Encodable {
    var id: String
    var description: String
    var ownerId: String?
    var dueOn: String?
    var done: Bool
    var doneAt: Date?
    var createdAt: Date

    init(_ action: IncidentAction) {
        id = action.id
        description = action.description
        ownerId = action.ownerId
        dueOn = action.dueOn
        done = action.doneAt != nil
        doneAt = action.doneAt
        createdAt = action.createdAt
    }
}

struct SupportJSON: Encodable {
    var id: String
    var kind: String
    var dueAt: Date
    var outcome: String?
    var note: String
    var doneAt: Date?

    init(_ item: SupportItem) {
        id = item.id
        kind = item.kind.rawValue
        dueAt = item.dueAt
        outcome = item.outcome?.rawValue
        note = item.note
        doneAt = item.doneAt
    }
}
