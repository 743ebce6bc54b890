import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// Negligible force: the short record, within the organisation's policy, through the API and on a page.
struct NegligibleForce {
    let web: WebContext
    var store: NegligibleForceStore { NegligibleForceStore(database: web.environment.database, clock: web.environment.clock) }
    static let api = "/api/v1/use-of-force/negligible"
    static let page = "/use-of-force/negligible"

    func register(_ routes: Routes) {
        routes.add(.post, Self.api, .recordUseOfForce, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            let (start, startProblem) = IncidentInput.apiTime(input.string("startedAt", required: true), field: "startedAt")
            let (end, endProblem) = IncidentInput.apiTime(input.string("endedAt", required: true), field: "endedAt")
            let values = (unit: input.string("unitId"), patient: input.string("patientLocalId"), type: input.string("type"),
                          description: input.string("description"), pain: input.bool("painOrInjury") ?? false)
            if let startProblem { input.absorb(FieldErrors("startedAt", startProblem)) }
            if let endProblem { input.absorb(FieldErrors("endedAt", endProblem)) }
            try input.finish()
            let use = try await UseOfForceAPI.answering {
                try await save(identity, context, unit: values.unit, patient: values.patient, type: values.type, start: start, end: end,
                               description: values.description, pain: values.pain)
            }
            return try jsonResponse(use, status: .created)
        }
        routes.add(.get, Self.api, .accessUseOfForce, api: true) { request, _, identity in
            let paging = try Pagination(request)
            let (units, recorder) = Self.remit(identity.actor)
            let (items, total) = try await store.uses(organisationId: identity.organisation.id, unitIds: units, recordedBy: recorder,
                                                      limit: paging.limit, offset: paging.offset)
            return try jsonResponse(Page(items: items, total: total, limit: paging.limit, offset: paging.offset))
        }
        routes.add(.get, Self.page, .accessUseOfForce) { request, context, identity in
            try await page(request, context, identity, form: nil, errors: .init())
        }
        routes.add(.post, Self.page, .recordUseOfForce) { request, context, identity in
            let form = try await FormInput(request, context: context)
            let timeZone = TimeZone(identifier: identity.organisation.timeZone) ?? .gmt
            let (start, startProblem) = IncidentInput.formTime(date: form["date"], time: form["startTime"], timeZone: timeZone)
            let (end, endProblem) = IncidentInput.formTime(date: form["date"], time: form["endTime"], timeZone: timeZone)
            do {
                if let problem = startProblem ?? endProblem { throw FieldErrors("startedAt", problem) }
                _ = try await save(identity, context, unit: form["unitId"], patient: form["patientLocalId"], type: form["type"], start: start,
                                   end: end, description: form["description"], pain: form["painOrInjury"] != nil)
                return .redirect(to: Self.page + "?saved=1")
            } catch {
                let (errors, status) = try UseOfForceController.formErrors(error, merging: .init())
                return try await page(request, context, identity, form: form, errors: errors, status: status)
            }
        }
    }

    /// A manager's units, everything for the leads; a recorder who does not review sees their own.
    static func remit(_ actor: Actor) -> (units: Set<String>?, recorder: String?) {
        switch Access.scope(of: actor, for: .viewUseOfForce) {
        case .all: (nil, nil)
        case .units(let ids): (ids, nil)
        case .none: (nil, actor.userId)
        }
    }

    func save(_ identity: Identity, _ context: HavenRequestContext, unit: String?, patient: String?, type: String?, start: Date?, end: Date?,
              description: String?, pain: Bool) async throws -> NegligibleForceUse {
        let policy = try await web.environment.useOfForce.debriefs.settings(organisationId: identity.organisation.id).negligible
        let use = try NegligibleForceUse.checked(id: Identifier.make(), recordedBy: identity.user.id, unitId: unit, patientLocalId: patient, type: type,
                                                 startedAt: start, endedAt: end, description: description, painOrInjury: pain, policy: policy,
                                                 now: web.environment.clock.now())
        guard try await web.environment.organisations.unit(id: use.unitId, organisationId: identity.organisation.id) != nil else {
            throw FieldErrors("unitId", "There is no unit with that id in this organisation")
        }
        guard Access.allows(identity.actor, .recordUseOfForce, unitId: use.unitId) else {
            throw UseOfForceError.forbidden(field: "unitId", message: "You cannot record use of force for that unit: it is not one of yours")
        }
        try await store.record(use, organisationId: identity.organisation.id, timeZone: TimeZone(identifier: identity.organisation.timeZone) ?? .gmt,
                               origin: context.origin())
        return use
    }

    func page(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, form: FormInput?, errors: FieldErrors,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        struct Row: Sendable { var when: String; var unit: String; var type: String; var seconds: Int; var description: String }
        struct Model: Sendable {
            var errors: ErrorSummary; var csrfToken: String; var canRecord: Bool; var policySet: Bool; var definition: String
            var units: [Choice]; var types: [Choice]; var fields: [FormField]; var description: String; var descriptionError: String?
            var typeError: String?; var painError: String?; var rows: [Row]; var total: Int; var canManageSettings: Bool
        }
        let policy = try await web.environment.useOfForce.debriefs.settings(organisationId: identity.organisation.id).negligible
        let scope = Access.scope(of: identity.actor, for: .recordUseOfForce)
        let allUnits = try await web.environment.organisations.units(organisationId: identity.organisation.id)
        let names = Dictionary(uniqueKeysWithValues: allUnits.map { ($0.id, $0.name) })
        let chosenUnit = form?["unitId"] ?? allUnits.first { identity.user.unitIds.contains($0.id) }?.id ?? ""
        let (units, recorder) = Self.remit(identity.actor)
        let (items, total) = try await store.uses(organisationId: identity.organisation.id, unitIds: units, recordedBy: recorder, limit: 50, offset: 0)
        let model = Model(
            errors: ErrorSummary(errors), csrfToken: context.csrfToken, canRecord: Access.allows(identity.actor, .recordUseOfForce) && !policy.types.isEmpty,
            policySet: !policy.types.isEmpty, definition: policy.definition,
            units: allUnits.filter { scope.contains($0.id) }.map { Choice(value: $0.id, label: $0.name, selected: $0.id == chosenUnit) },
            types: policy.types.compactMap(RestrictiveInterventionType.init(rawValue:)).map { Choice(value: $0.code, label: $0.label, selected: $0.code == form?["type"]) },
            fields: [FormField("patientLocalId", "Patient's local identifier", value: form?["patientLocalId"] ?? "", errors: errors),
                     FormField("date", "Date", value: form?["date"] ?? "", type: "date", errors: errors.renamed("startedAt", "date")),
                     FormField("startTime", "Started", value: form?["startTime"] ?? "", hint: "24-hour clock", type: "time", errors: errors),
                     FormField("endTime", "Ended", value: form?["endTime"] ?? "", type: "time", errors: errors.renamed("endedAt", "endTime"))],
            description: form?["description"] ?? "", descriptionError: errors["description"], typeError: errors["type"], painError: errors["painOrInjury"],
            rows: items.map { Row(when: DisplayDate.dateTime($0.startedAt, identity.organisation), unit: names[$0.unitId] ?? "",
                                  type: RestrictiveInterventionType(rawValue: $0.type)?.label ?? $0.type, seconds: $0.durationSeconds, description: $0.description) },
            total: total, canManageSettings: Access.allows(identity.actor, .manageUseOfForceSettings))
        let flash = request.uri.queryParameters["saved"] == "1" ? "The negligible use of force has been recorded." : nil
        return try await web.page("use-of-force/negligible", model, title: "Negligible force", request: request, context: context,
                                  status: status, flash: flash)
    }
}
