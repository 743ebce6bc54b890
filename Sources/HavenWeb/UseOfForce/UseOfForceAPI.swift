import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// Use of force through the API. A record that fails the statutory checks is 422, each field's message naming its
/// s6(5) item; a unit outside the caller's remit is 403; a record the caller may not see is 404.
struct UseOfForceAPI {
    let web: WebContext
    var records: UseOfForceRecords { web.environment.useOfForce }
    static let base = "/api/v1/use-of-force"

    func register(_ routes: Routes) {
        routes.add(.post, Self.base, .recordUseOfForce, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            var draft = UseOfForceDraft()
            UseOfForceInput.apply(&input, to: &draft)
            try input.finish()
            let stored = try await Self.answering { try await records.record(draft, by: identity.user, of: identity.organisation, origin: context.origin()) }
            return try jsonResponse(try await single(stored, identity), status: .created)
        }
        routes.add(.get, Self.base, .accessUseOfForce, api: true) { request, _, identity in
            let paging = try Pagination(request)
            let query = request.uri.queryParameters
            var filter = try Self.filter({ query[Substring($0)].map(String.init) }, identity.actor, now: web.environment.clock.now())
            filter.limit = paging.limit; filter.offset = paging.offset
            let (items, total) = try await records.store.episodes(organisationId: identity.organisation.id, filter)
            return try jsonResponse(Page(items: items.map { UseOfForceJSON($0, viewer: identity.actor) }, total: total,
                                         limit: paging.limit, offset: paging.offset))
        }
        routes.add(.get, Self.base + "/{id}", .accessUseOfForce, api: true) { _, context, identity in
            let stored = try await visible(context, identity)
            try await AuditLog.record(web.environment.database, at: web.environment.clock.now(), origin: context.origin(),
                                      action: "use-of-force.read", entity: "use-of-force", entityId: stored.episode.id)
            return try jsonResponse(try await single(stored, identity))
        }
        routes.add(.patch, Self.base + "/{id}", .accessUseOfForce, api: true) { request, context, identity in
            // `correction` reads the record's fields the caller sent (type errors and unknown fields first, as 400);
            // the store's record is then changed by exactly those fields and checked whole again.
            let body = try await JSONInput(request, context: context)
            var input = body
            var probe = UseOfForceDraft()
            UseOfForceInput.apply(&input, to: &probe)
            var note: String?
            if let fields = input.object("review") {
                var review = JSONInput(object: fields, prefix: "review.")
                note = review.string("note", required: true)
                input.absorb(review.problems())
            }
            try input.finish()
            let id = try context.parameter("id")
            var stored = try await visible(context, identity)
            if UseOfForceInput.sendsAnyRecordField(body) {
                stored = try await Self.answering {
                    try await records.correct(id: id, by: identity.user, origin: context.origin()) { draft in
                        var fields = body
                        UseOfForceInput.apply(&fields, to: &draft)
                    }
                }
            }
            if let note {
                var errors = FieldErrors()
                let text = Validate.text(note, field: "review.note", label: "The review note", required: true, max: 4000, into: &errors)
                stored = try await Self.answering {
                    try errors.throwIfAny()
                    return try await records.review(id: id, by: identity.user, note: text, origin: context.origin())
                }
            }
            return try jsonResponse(try await single(stored, identity))
        }
    }

    /// One record with its warnings, which cost a query and so are not worked out for lists.
    func single(_ stored: StoredUseOfForce, _ identity: Identity) async throws -> UseOfForceJSON {
        var json = UseOfForceJSON(stored, viewer: identity.actor)
        json.warnings = [try await records.supportPlanWarning(for: stored.episode, organisation: identity.organisation)].compactMap { $0 }
        return json
    }

    /// A record the caller may see; anyone else gets 404, with no hint that it exists.
    func visible(_ context: HavenRequestContext, _ identity: Identity) async throws -> StoredUseOfForce {
        guard let stored = try await records.store.episode(id: try context.parameter("id"), organisationId: identity.organisation.id),
              UseOfForceAccess.canView(unitId: stored.episode.unitId, recordedBy: stored.episode.recordedBy, identity.actor)
        else { throw APIError.notFound("use-of-force record") }
        return stored
    }

    /// The list's filters: `unitId`, `from`/`to` (local days), `incidentId`, `review=waiting`, `mine=true`; always
    /// within the caller's remit, and only their own records for someone who records but does not review.
    static func filter(_ value: (String) -> String?, _ actor: Actor, now: Date) throws -> UseOfForceStore.Filter {
        var errors = FieldErrors()
        var filter = UseOfForceStore.Filter()
        func text(_ key: String) -> String? { value(key).flatMap { $0.isEmpty ? nil : $0 } }
        (filter.fromDate, filter.toDate) = DateRangeInput.read(text, into: &errors)
        filter.unitId = text("unitId")
        filter.incidentId = text("incidentId")
        if let review = text("review") {
            if review == "waiting" { filter.awaitingReview = true } else { errors.add("review", "review must be waiting") }
        }
        if let debrief = text("debrief") {
            if debrief == "overdue" { filter.debriefOverdueAt = now } else { errors.add("debrief", "debrief must be overdue") }
        }
        switch Access.scope(of: actor, for: .viewUseOfForce) {
        case .all: break
        case .units(let ids): filter.unitIds = ids
        case .none: filter.recordedBy = actor.userId
        }
        if text("mine") == "true" { filter.unitIds = nil; filter.recordedBy = actor.userId }
        if !errors.isEmpty { throw APIError.validation(errors) }
        return filter
    }

    /// Turns the record's refusals into API answers.
    static func answering<T>(_ work: () async throws -> T) async throws -> T {
        do { return try await work() }
        catch let errors as FieldErrors {
            throw APIError(.unprocessableContent, code: "validation_failed",
                           message: errors.items.first.map { "\($0.field): \($0.message)" } ?? "The record is not valid", fields: errors.asDictionary)
        } catch let error as UseOfForceError {
            switch error {
            case .notFound: throw APIError.notFound("use-of-force record")
            case .forbidden(let field, let message):
                throw APIError(.forbidden, code: "forbidden", message: message, fields: field.map { [$0: message] } ?? [:])
            case .conflict(let message): throw APIError(.conflict, code: "conflict", message: message)
            case .overlap(let overlaps):
                var fields: [String: String] = [:]
                for (index, other) in overlaps {
                    fields["interventions[\(index)].startedAt"] = "This overlaps an intervention of the same type on the same patient in record \(other); "
                        + "if it is not the same one recorded twice, send confirmOverlap: true"
                }
                throw APIError(.unprocessableContent, code: "overlap_warning",
                               message: "An intervention overlaps one of the same type on the same patient in another record", fields: fields)
            }
        }
    }
}
