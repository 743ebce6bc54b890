import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// Behaviour support plans: the register per patient, through the API and on pages, and the patients who have had
/// repeated interventions with no current plan. Read by those who see the unit's use of force; written by its
/// managers and the restrictive-practice leads.
struct BehaviourSupportPlans {
    let web: WebContext
    var store: BehaviourSupportPlanStore { web.environment.useOfForce.plans }
    static let api = "/api/v1/behaviour-support-plans"
    static let pages = "/use-of-force/plans"
    static let fields = ["unitId", "patientLocalId", "title", "summary", "startsOn", "reviewOn", "endedOn"]

    func register(_ routes: Routes) {
        routes.add(.post, Self.api, .manageBehaviourSupportPlans, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            var values: [String: String] = [:]
            for key in Self.fields { if let value = input.string(key) { values[key] = value } }
            try input.finish()
            let plan = try await UseOfForceAPI.answering { try await save(values, existing: nil, identity, context) }
            return try jsonResponse(plan, status: .created)
        }
        routes.add(.get, Self.api, .viewUseOfForce, api: true) { request, _, identity in
            let paging = try Pagination(request)
            let patient = request.uri.queryParameters["patientLocalId"].map(String.init)
            let (items, total) = try await store.plans(organisationId: identity.organisation.id, unitIds: Self.units(identity.actor, .viewUseOfForce),
                                                       patientLocalId: patient, limit: paging.limit, offset: paging.offset)
            return try jsonResponse(Page(items: items, total: total, limit: paging.limit, offset: paging.offset))
        }
        routes.add(.get, Self.api + "/needed", .viewUseOfForce, api: true) { _, _, identity in
            struct Needed: Encodable { var patientLocalId: String; var unitId: String; var interventions: Int }
            let patients = try await needed(identity)
            return try jsonResponse(["items": patients.map { Needed(patientLocalId: $0.patientLocalId, unitId: $0.unitId, interventions: $0.interventions) }])
        }
        routes.add(.get, Self.api + "/{id}", .viewUseOfForce, api: true) { _, context, identity in
            try jsonResponse(try await visible(context, identity, notFound: APIError.notFound("behaviour support plan")))
        }
        routes.add(.patch, Self.api + "/{id}", .manageBehaviourSupportPlans, api: true) { request, context, identity in
            let plan = try await visible(context, identity, notFound: APIError.notFound("behaviour support plan"))
            var input = try await JSONInput(request, context: context)
            var values = Self.values(of: plan)
            for key in Self.fields where input.has(key) { values[key] = input.string(key) ?? "" }
            try input.finish()
            return try jsonResponse(try await UseOfForceAPI.answering { try await save(values, existing: plan, identity, context) })
        }
        routes.add(.get, Self.pages, .viewUseOfForce) { request, context, identity in
            try await listPage(request, context, identity)
        }
        routes.add(.get, Self.pages + "/new", .manageBehaviourSupportPlans) { request, context, identity in
            var values: [String: String] = [:]
            for key in ["patientLocalId", "unitId"] { values[key] = request.uri.queryParameters[Substring(key)].map(String.init) }
            return try await formPage(request, context, identity, values: values, errors: .init(), plan: nil)
        }
        routes.add(.post, Self.pages + "/new", .manageBehaviourSupportPlans) { request, context, identity in
            let form = try await FormInput(request, context: context)
            let values = Dictionary(uniqueKeysWithValues: Self.fields.map { ($0, form[$0] ?? "") })
            do {
                let plan = try await save(values, existing: nil, identity, context)
                return .redirect(to: Self.pages + "/" + plan.id + "?saved=1")
            } catch {
                let (errors, status) = try UseOfForceController.formErrors(error, merging: .init())
                return try await formPage(request, context, identity, values: values, errors: errors, plan: nil, status: status)
            }
        }
        routes.add(.get, Self.pages + "/{id}", .viewUseOfForce) { request, context, identity in
            let plan = try await visible(context, identity, notFound: PageError.notFound)
            return try await formPage(request, context, identity, values: Self.values(of: plan), errors: .init(), plan: plan)
        }
        routes.add(.post, Self.pages + "/{id}", .manageBehaviourSupportPlans) { request, context, identity in
            let plan = try await visible(context, identity, notFound: PageError.notFound)
            let form = try await FormInput(request, context: context)
            let values = Dictionary(uniqueKeysWithValues: Self.fields.map { ($0, form[$0] ?? "") })
            do {
                _ = try await save(values, existing: plan, identity, context)
                return .redirect(to: Self.pages + "/" + plan.id + "?saved=1")
            } catch {
                let (errors, status) = try UseOfForceController.formErrors(error, merging: .init())
                return try await formPage(request, context, identity, values: values, errors: errors, plan: plan, status: status)
            }
        }
    }

    static func units(_ actor: Actor, _ action: Action) -> Set<String>? {
        switch Access.scope(of: actor, for: action) {
        case .all: nil
        case .units(let ids): ids
        case .none: []
        }
    }

    static func values(of plan: BehaviourSupportPlan) -> [String: String] {
        ["unitId": plan.unitId, "patientLocalId": plan.patientLocalId, "title": plan.title, "summary": plan.summary,
         "startsOn": plan.startsOn, "reviewOn": plan.reviewOn, "endedOn": plan.endedOn ?? ""]
    }

    /// A plan in a unit the reader may see; otherwise `notFound`, with no hint that it exists.
    func visible(_ context: HavenRequestContext, _ identity: Identity, notFound: any Error) async throws -> BehaviourSupportPlan {
        guard let plan = try await store.plan(id: try context.parameter("id"), organisationId: identity.organisation.id),
              Access.allows(identity.actor, .viewUseOfForce, unitId: plan.unitId) else { throw notFound }
        return plan
    }

    /// Checks and saves; the unit must be the organisation's and one the person writes plans for.
    func save(_ values: [String: String], existing: BehaviourSupportPlan?, _ identity: Identity, _ context: HavenRequestContext) async throws -> BehaviourSupportPlan {
        func value(_ key: String) -> String? { values[key].flatMap { $0.isEmpty ? nil : $0 } }
        let plan = try BehaviourSupportPlan.checked(
            id: existing?.id ?? Identifier.make(), organisationId: identity.organisation.id, createdBy: existing?.createdBy ?? identity.user.id,
            unitId: value("unitId"), patientLocalId: value("patientLocalId"), title: value("title"), summary: value("summary"),
            startsOn: value("startsOn"), reviewOn: value("reviewOn"), endedOn: value("endedOn"))
        guard try await web.environment.organisations.unit(id: plan.unitId, organisationId: identity.organisation.id) != nil else {
            throw FieldErrors("unitId", "There is no unit with that id in this organisation")
        }
        for unit in [plan.unitId] + (existing.map { [$0.unitId] } ?? []) where !Access.allows(identity.actor, .manageBehaviourSupportPlans, unitId: unit) {
            throw UseOfForceError.forbidden(field: "unitId", message: "You cannot write plans for that unit: it is not one of yours")
        }
        try await store.save(plan, isNew: existing == nil, origin: context.origin())
        return plan
    }

    func needed(_ identity: Identity) async throws -> [BehaviourSupportPlanStore.PatientNeedingPlan] {
        let now = web.environment.clock.now()
        let today = CalendarColumns(now, timeZone: TimeZone(identifier: identity.organisation.timeZone) ?? .gmt).localDate
        return try await store.patientsNeedingPlans(organisationId: identity.organisation.id, unitIds: Self.units(identity.actor, .viewUseOfForce),
                                                    since: now - TimeInterval(UseOfForceRules.repeatedWindowDays * 86_400), today: today)
    }
}
