import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// Lone working through the API: a worker's own sessions (start, check in, end, alarm), monitors' acknowledgement
/// and resolution. A session the caller may not see or act on is 403; an ended one is 409.
struct LoneWorkingAPI {
    let web: WebContext
    var engine: LoneWorking { web.environment.loneWorking }
    var now: Date { web.environment.clock.now() }
    static let sessions = "/api/v1/lone-working/sessions"

    func register(_ routes: Routes) {
        routes.add(.post, Self.sessions, .workAlone, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            let start = try LoneWorkingInput.start(&input, worker: identity.user, now: now)
            try input.finish()
            let session = try await apiErrors { try await engine.start(start, worker: identity.user, origin: context.origin()) }
            return SessionJSON(session, viewer: identity.actor, now: now).response(status: .created)
        }
        routes.add(.get, Self.sessions, .workAlone, api: true) { request, _, identity in
            let paging = try Pagination(request)
            let query = request.uri.queryParameters
            guard let which = LoneWorkingStore.Filter.Which(rawValue: query["status"].map(String.init) ?? "open") else {
                throw APIError.validation(FieldErrors("status", "status must be open, closed or all"))
            }
            let mine = query["mine"].map(String.init) == "true"
            var filter = LoneWorkingStore.Filter(which: which, limit: paging.limit, offset: paging.offset)
            switch Access.scope(of: identity.actor, for: .monitorLoneWorkers) {
            case .all where !mine: break
            case .units(let ids) where !mine: filter.unitIds = ids
            default: filter.workerId = identity.user.id
            }
            let (items, total) = try await engine.store.sessions(organisationId: identity.organisation.id, filter)
            return try jsonResponse(Page(items: items.map { SessionJSON($0, viewer: identity.actor, now: now) }, total: total,
                                         limit: paging.limit, offset: paging.offset))
        }
        routes.add(.get, Self.sessions + "/{id}", .workAlone, api: true) { _, context, identity in
            let session = try await visible(context, identity)
            return SessionJSON(session, viewer: identity.actor, now: now).response()
        }
        routes.add(.post, Self.sessions + "/{id}/check-ins", .workAlone, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            let extend = input.int("extendBySeconds", range: 0...LoneWorkingInput.day)
            let latitude = input.double("latitude", range: -90...90), longitude = input.double("longitude", range: -180...180)
            try input.finish()
            let session = try await apiErrors {
                try await engine.checkIn(try context.parameter("id"), actor: identity.actor, extendBy: extend, latitude: latitude, longitude: longitude,
                                         origin: context.origin())
            }
            return SessionJSON(session, viewer: identity.actor, now: now).response(status: .created)
        }
        routes.add(.post, Self.sessions + "/{id}/end", .workAlone, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            let pin = input.string("pin")
            try input.finish()
            let session = try await apiErrors { try await engine.end(try context.parameter("id"), actor: identity.actor, pin: pin, origin: context.origin()) }
            return SessionJSON(session, viewer: identity.actor, now: now).response()
        }
        routes.add(.post, Self.sessions + "/{id}/alarm", .workAlone, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            let latitude = input.double("latitude", range: -90...90), longitude = input.double("longitude", range: -180...180)
            try input.finish()
            let session = try await apiErrors {
                try await engine.alarm(try context.parameter("id"), actor: identity.actor, latitude: latitude, longitude: longitude, origin: context.origin())
            }
            return SessionJSON(session, viewer: identity.actor, now: now).response()
        }
        routes.add(.post, Self.sessions + "/{id}/acknowledge", .workAlone, api: true) { request, context, identity in
            let input = try await JSONInput(request, context: context)
            try input.finish()
            let session = try await apiErrors { try await engine.acknowledge(try context.parameter("id"), actor: identity.actor, origin: context.origin()) }
            return SessionJSON(session, viewer: identity.actor, now: now).response()
        }
        routes.add(.post, Self.sessions + "/{id}/resolve", .workAlone, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            let outcomeText = input.string("outcome", required: true)
            var errors = FieldErrors()
            let note = Validate.text(input.string("note"), field: "note", label: "Note", required: false, max: 2000, into: &errors)
            try input.finish()
            guard let outcome = outcomeText.flatMap(SessionOutcome.init(rawValue:)) else {
                errors.add("outcome", "outcome must be one of \(SessionOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
                throw APIError.validation(errors)
            }
            try errors.throwIfAny()
            let session = try await apiErrors {
                try await engine.resolve(try context.parameter("id"), actor: identity.actor, outcome: outcome, note: note, origin: context.origin())
            }
            return SessionJSON(session, viewer: identity.actor, now: now).response()
        }
    }

    /// A session the caller may see (the worker, their buddies, the unit's monitors); anyone else gets 403.
    func visible(_ context: HavenRequestContext, _ identity: Identity) async throws -> LoneWorkSession {
        guard let session = try await engine.store.session(id: try context.parameter("id"), organisationId: identity.organisation.id) else {
            throw APIError.notFound("lone-working session")
        }
        guard LoneWorkingAccess.canView(session, identity.actor) else { throw APIError.forbidden }
        return session
    }
}
