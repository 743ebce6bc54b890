import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// The use-of-force pages: the list, the statutory form (new and correction), one record and its senior review.
/// A record the reader may not see is 404; opening one is audited.
struct UseOfForceController {
    let web: WebContext
    var records: UseOfForceRecords { web.environment.useOfForce }
    static let pageSize = 50

    func register(_ routes: Routes) {
        routes.add(.get, UseOfForceRoute.list.path, .accessUseOfForce) { request, context, identity in
            try await listPage(request, context, identity)
        }
        routes.add(.get, UseOfForceRoute.new.path, .recordUseOfForce) { request, context, identity in
            var form = UseOfForceForm()
            // The recorder's own unit first and chosen, as on the incident form; from an incident, its unit and reference.
            if let own = try await recordableUnits(identity).first(where: { identity.user.unitIds.contains($0.id) }) { form.values["unitId"] = own.id }
            if let incidentId = request.uri.queryParameters["incidentId"].map(String.init),
               let report = try await web.environment.incidents.find(id: incidentId, organisationId: identity.organisation.id),
               IncidentAccess.canView(report, identity.actor) {
                form.values["incidentId"] = report.id
                form.values["unitId"] = report.unitId
                form.values["place"] = report.area
            }
            return try await formPage(request, context, identity, form: form, errors: .init(), editing: nil)
        }
        routes.add(.post, UseOfForceRoute.new.path, .recordUseOfForce) { request, context, identity in
            let input = try await FormInput(request, context: context)
            var form = UseOfForceForm(input)
            if addsRow(input["add"], to: &form) {
                return try await formPage(request, context, identity, form: form, errors: .init(), editing: nil)
            }
            let (draft, formErrors) = form.draft(timeZone: timeZone(identity))
            do {
                try formErrors.throwIfAny()
                let stored = try await records.record(draft, by: identity.user, of: identity.organisation, origin: context.origin())
                return .redirect(to: UseOfForceRoute.episode(stored.episode.id).path + "?done=1")
            } catch {
                let (errors, status) = try Self.formErrors(error, merging: formErrors)
                return try await formPage(request, context, identity, form: form, errors: errors, editing: nil, status: status)
            }
        }
        routes.add(.get, "/use-of-force/{id}", .accessUseOfForce) { request, context, identity in
            let stored = try await visible(context, identity)
            try await AuditLog.record(web.environment.database, at: web.environment.clock.now(), origin: context.origin(),
                                      action: "use-of-force.read", entity: "use-of-force", entityId: stored.episode.id)
            return try await showPage(request, context, identity, stored, errors: .init(), typedNote: nil)
        }
        routes.add(.get, "/use-of-force/{id}/edit", .recordUseOfForce) { request, context, identity in
            let stored = try await correctable(context, identity)
            return try await formPage(request, context, identity, form: UseOfForceForm(stored.episode, timeZone: timeZone(identity)),
                                      errors: .init(), editing: stored.episode.id)
        }
        routes.add(.post, "/use-of-force/{id}/edit", .recordUseOfForce) { request, context, identity in
            let stored = try await correctable(context, identity)
            let input = try await FormInput(request, context: context)
            var form = UseOfForceForm(input)
            if addsRow(input["add"], to: &form) {
                return try await formPage(request, context, identity, form: form, errors: .init(), editing: stored.episode.id)
            }
            let (draft, formErrors) = form.draft(timeZone: timeZone(identity))
            do {
                try formErrors.throwIfAny()
                _ = try await records.correct(id: stored.episode.id, by: identity.user, origin: context.origin()) { current in
                    // The form holds every item, so it replaces the draft whole (nothing the form lacks is kept).
                    current = draft
                }
                return .redirect(to: UseOfForceRoute.episode(stored.episode.id).path + "?done=corrected")
            } catch {
                let (errors, status) = try Self.formErrors(error, merging: formErrors)
                return try await formPage(request, context, identity, form: form, errors: errors, editing: stored.episode.id, status: status)
            }
        }
        routes.add(.post, "/use-of-force/{id}/review", .reviewUseOfForce) { request, context, identity in
            let stored = try await visible(context, identity)
            let form = try await FormInput(request, context: context)
            var errors = FieldErrors()
            let note = Validate.text(form["note"], field: "note", label: "What the review found", required: true, max: 4000, into: &errors)
            do {
                try errors.throwIfAny()
                _ = try await records.review(id: stored.episode.id, by: identity.user, note: note, origin: context.origin())
                return .redirect(to: UseOfForceRoute.episode(stored.episode.id).path + "?done=reviewed")
            } catch {
                let (errors, status) = try Self.formErrors(error, merging: errors, field: "note")
                return try await showPage(request, context, identity, stored, errors: errors, typedNote: form["note"], status: status)
            }
        }
    }

    /// "Add another" buttons: one more row, nothing saved.
    func addsRow(_ add: String?, to form: inout UseOfForceForm) -> Bool {
        switch add {
        case "intervention": form.values["interventionRows"] = String(min(UseOfForceForm.maximumRows, form.interventionRows + 1)); return true
        case "staff": form.values["staffRows"] = String(min(UseOfForceForm.maximumRows, form.staffRows + 1)); return true
        default: return false
        }
    }

    /// The record's refusals as errors beside the fields, with the status the page answers.
    static func formErrors(_ error: any Error, merging formErrors: FieldErrors, field: String = "unitId") throws -> (FieldErrors, HTTPResponse.Status) {
        var errors = formErrors
        switch error {
        case let found as FieldErrors:
            errors.merge(found)
            return (errors, .badRequest)
        case UseOfForceError.forbidden(let named, let message):
            errors.add(named ?? field, message)
            return (errors, .forbidden)
        case UseOfForceError.overlap(let overlaps):
            for (index, other) in overlaps.sorted(by: { $0.key < $1.key }) {
                errors.add("interventions[\(index)].startedAt",
                           "This overlaps an intervention of the same type on the same patient in another record (\(other.prefix(8))); check it is not recorded twice")
            }
            return (errors, .unprocessableContent)
        case UseOfForceError.conflict(let message):
            errors.add(field, message)
            return (errors, .conflict)
        case UseOfForceError.notFound: throw PageError.notFound
        default: throw error
        }
    }

    func timeZone(_ identity: Identity) -> TimeZone { TimeZone(identifier: identity.organisation.timeZone) ?? .gmt }

    func recordableUnits(_ identity: Identity) async throws -> [CareUnit] {
        let scope = Access.scope(of: identity.actor, for: .recordUseOfForce)
        return try await web.environment.organisations.units(organisationId: identity.organisation.id).filter { scope.contains($0.id) }
    }

    func visible(_ context: HavenRequestContext, _ identity: Identity) async throws -> StoredUseOfForce {
        guard let stored = try await records.store.episode(id: try context.parameter("id"), organisationId: identity.organisation.id),
              UseOfForceAccess.canView(unitId: stored.episode.unitId, recordedBy: stored.episode.recordedBy, identity.actor)
        else { throw PageError.notFound }
        return stored
    }

    func correctable(_ context: HavenRequestContext, _ identity: Identity) async throws -> StoredUseOfForce {
        let stored = try await visible(context, identity)
        guard UseOfForceAccess.canCorrect(unitId: stored.episode.unitId, recordedBy: stored.episode.recordedBy, identity.actor) else {
            throw PageError.forbidden
        }
        return stored
    }

    func formPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, form: UseOfForceForm, errors: FieldErrors,
                  editing id: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let title = id == nil ? "Record a use of force" : "Correct a use-of-force record"
        let page = UseOfForceFormPage(title: title, action: id.map { UseOfForceRoute.edit($0).path } ?? UseOfForceRoute.new.path,
                                      submit: id == nil ? "Save the record" : "Save the correction", form: form, errors: errors,
                                      units: try await recordableUnits(identity), csrfToken: context.csrfToken)
        return try await web.page("use-of-force/form", page, title: title, request: request, context: context, status: status)
    }

    static let doneMessages = ["1": "The use of force has been recorded.", "corrected": "The correction has been saved.",
                               "reviewed": "The senior review has been recorded.", "debrief": "The debrief has been recorded.",
                               "observation": "The observations have been recorded.",
                               "concern": "The observations have been recorded. They show signs that need a doctor now: call one."]

    func showPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, _ stored: StoredUseOfForce,
                  errors: FieldErrors, typedNote: String?, typedDebrief: (DebriefKind, FormInput)? = nil,
                  typedObservation: FormInput? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let units = try await web.environment.organisations.units(organisationId: identity.organisation.id)
        let people = try await web.environment.users.list(organisationId: identity.organisation.id, scope: .all)
        let names = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0.name) })
        var page = UseOfForcePage(stored, identity: identity, unitName: units.first { $0.id == stored.episode.unitId }?.name ?? "",
                                  names: names, errors: errors, typedNote: typedNote,
                                  csrfToken: context.csrfToken)
        page.warning = try await records.supportPlanWarning(for: stored.episode, organisation: identity.organisation)
        if InvestigationAccess.canRead(unitId: stored.episode.unitId, identity.actor),
           let investigation = try await records.investigations.investigation(episodeId: stored.episode.id, organisationId: identity.organisation.id) {
            page.investigation = InvestigationSummary(investigation, names: names, organisation: identity.organisation, now: web.environment.clock.now())
        }
        page.observations = ObservationPanel(
            try await records.observations.observations(episodeId: stored.episode.id, organisationId: identity.organisation.id),
            episodeId: stored.episode.id, organisation: identity.organisation,
            canRecord: Access.allows(identity.actor, .recordUseOfForce, unitId: stored.episode.unitId), now: web.environment.clock.now(),
            errors: errors, typed: typedObservation)
        let canRecord = UseOfForceAccess.canCorrect(unitId: stored.episode.unitId, recordedBy: stored.episode.recordedBy, identity.actor)
        page.debriefs = try await records.debriefs.debriefs(episodeId: stored.episode.id, organisationId: identity.organisation.id).map {
            DebriefPanel($0, episodeId: stored.episode.id, organisation: identity.organisation, names: names, canRecord: canRecord,
                         now: web.environment.clock.now(), errors: errors, typed: typedDebrief?.0 == $0.kind ? typedDebrief?.1 : nil)
        }
        let flash = request.uri.queryParameters["done"].flatMap { Self.doneMessages[String($0)] }
        return try await web.page("use-of-force/show", page, title: "Use of force", request: request, context: context, status: status, flash: flash)
    }
}
