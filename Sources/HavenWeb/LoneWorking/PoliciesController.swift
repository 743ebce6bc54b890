import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// Pages for escalation policies (administrators and safety leads): the list, and a form to add or change a policy
/// and choose the units that use it. The same checks as the API; plain forms that work without JavaScript.
struct PoliciesController {
    let web: WebContext
    var store: LoneWorkingStore { web.environment.loneWorking.store }

    func register(_ routes: Routes) {
        routes.add(.get, LoneWorkingRoute.policies.path, .manageEscalationPolicies) { request, context, identity in
            try await listPage(request, context, identity)
        }
        routes.add(.get, LoneWorkingRoute.newPolicy.path, .manageEscalationPolicies) { request, context, identity in
            try await formPage(request, context, identity, policy: nil, form: nil, errors: FieldErrors())
        }
        routes.add(.post, LoneWorkingRoute.policies.path, .manageEscalationPolicies) { request, context, identity in
            let blank = EscalationPolicy(id: Identifier.make(), organisationId: identity.organisation.id, name: "", graceSeconds: 0, steps: [])
            return try await save(request, context, identity, blank, isNew: true)
        }
        routes.add(.get, "/lone-working/policies/{id}", .manageEscalationPolicies) { request, context, identity in
            try await formPage(request, context, identity, policy: try await policy(context, identity), form: nil, errors: FieldErrors())
        }
        routes.add(.post, "/lone-working/policies/{id}", .manageEscalationPolicies) { request, context, identity in
            try await save(request, context, identity, try await policy(context, identity), isNew: false)
        }
    }

    func policy(_ context: HavenRequestContext, _ identity: Identity) async throws -> EscalationPolicy {
        guard let found = try await store.policy(id: try context.parameter("id"), organisationId: identity.organisation.id) else { throw PageError.notFound }
        return found
    }

    func save(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, _ existing: EscalationPolicy, isNew: Bool) async throws -> Response {
        let form = try await FormInput(request, context: context)
        var errors = FieldErrors()
        let (policy, unitIds) = PolicyForm.read(form, into: existing, errors: &errors)
        if errors.isEmpty {
            errors.merge(try await EscalationPolicyChecks.references(policy, environment: web.environment))
        }
        let units = Set(try await web.environment.organisations.units(organisationId: identity.organisation.id).map(\.id))
        if unitIds.contains(where: { !units.contains($0) }) { errors.add("unitIds", "Choose units from the list") }
        guard errors.isEmpty else {
            return try await formPage(request, context, identity, policy: isNew ? nil : existing, form: form, errors: errors, status: .badRequest)
        }
        try await store.save(policy, isNew: isNew, unitIds: Array(Set(unitIds)).sorted(), origin: context.origin())
        return .redirect(to: LoneWorkingRoute.policy(policy.id).path + (isNew ? "?done=added" : "?done=saved"), type: .normal)
    }

    func listPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity) async throws -> Response {
        let organisationId = identity.organisation.id
        let policies = try await store.policies(organisationId: organisationId)
        let units = Dictionary(try await web.environment.organisations.units(organisationId: organisationId).map { ($0.id, $0.name) }) { a, _ in a }
        let byUnit = try await store.policyIdsByUnit(organisationId: organisationId)
        let rows = policies.map { policy in
            PoliciesPage.Row(href: LoneWorkingRoute.policy(policy.id).path, name: policy.name, grace: Self.duration(policy.graceSeconds),
                             steps: Self.summary(policy.steps),
                             units: byUnit.filter { $0.value == policy.id }.compactMap { units[$0.key] }.sorted().joined(separator: ", ").nilIfEmpty ?? "No unit")
        }
        let unassigned = units.filter { byUnit[$0.key] == nil }.map(\.value).sorted()
        let page = PoliciesPage(rows: rows, hasRows: !rows.isEmpty, newHref: LoneWorkingRoute.newPolicy.path,
                                builtIn: Self.summary(EscalationPolicy.builtIn(organisationId: organisationId).steps),
                                unassigned: unassigned.joined(separator: ", "), hasUnassigned: !unassigned.isEmpty)
        return try await web.page("lone-working/policies", page, title: "Escalation policies", request: request, context: context)
    }

    func formPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, policy: EscalationPolicy?, form: FormInput?,
                  errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let organisationId = identity.organisation.id
        var unitIds: [String] = []
        if let policy { unitIds = try await store.unitIds(policyId: policy.id, organisationId: organisationId) }
        let page = PolicyPage(
            csrfToken: context.csrfToken, title: policy.map { "Escalation policy: \($0.name)" } ?? "New escalation policy",
            form: try await PolicyForm(form: form, policy: policy, template: EscalationPolicy.builtIn(organisationId: organisationId),
                                       unitIds: Set(unitIds), errors: errors,
                                       action: policy.map { LoneWorkingRoute.policy($0.id).path } ?? LoneWorkingRoute.policies.path,
                                       environment: web.environment, organisationId: organisationId))
        let flash: String? = switch request.uri.queryParameters["done"] {
        case "added": "The policy has been added."
        case "saved": "The policy has been saved. Visits already under way keep the policy they started with."
        default: nil
        }
        return try await web.page("lone-working/policy", page, title: page.title, request: request, context: context, status: status, flash: flash)
    }

    static func duration(_ seconds: Int) -> String {
        seconds % 60 == 0 ? "\(seconds / 60) min" : "\(seconds) s"
    }

    /// "The buddy (5 min), then the unit's managers (5 min)".
    static func summary(_ steps: [EscalationStep]) -> String {
        steps.map { step in
            let who = step.who == .role ? (step.role?.displayName ?? "a role") : PolicyForm.label(step.who)
            return "\(who) (\(duration(step.waitSeconds)))"
        }.joined(separator: ", then ")
    }
}

struct PoliciesPage: Sendable {
    struct Row: Sendable {
        var href: String
        var name: String
        var grace: String
        var steps: String
        var units: String
    }
    var rows: [Row]
    var hasRows: Bool
    var newHref: String
    var builtIn: String
    var unassigned: String
    var hasUnassigned: Bool
}

struct PolicyPage: Sendable {
    var csrfToken: String
    var title: String
    var form: PolicyForm
}
