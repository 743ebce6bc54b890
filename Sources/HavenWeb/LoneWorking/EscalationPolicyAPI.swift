import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// Escalation policies: monitors read them; administrators and safety leads write them and assign them to units.
struct EscalationPolicyAPI {
    let web: WebContext
    var store: LoneWorkingStore { web.environment.loneWorking.store }
    static let path = "/api/v1/lone-working/escalation-policies"

    func register(_ routes: Routes) {
        routes.add(.post, Self.path, .manageEscalationPolicies, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            let (name, grace, steps) = try LoneWorkingInput.policy(&input)
            try input.finish()
            let policy = EscalationPolicy(id: Identifier.make(), organisationId: identity.organisation.id, name: name, graceSeconds: grace ?? 0, steps: steps ?? [])
            try await checkReferences(policy)
            try await store.save(policy, isNew: true, origin: context.origin())
            return try jsonResponse(PolicyJSON(policy, unitIds: []), status: .created)
        }
        routes.add(.get, Self.path, .monitorLoneWorkers, api: true) { _, _, identity in
            var items: [PolicyJSON] = []
            for policy in try await store.policies(organisationId: identity.organisation.id) {
                items.append(PolicyJSON(policy, unitIds: try await store.unitIds(policyId: policy.id, organisationId: identity.organisation.id)))
            }
            return try jsonResponse(Page(items: items, total: items.count, limit: max(items.count, 1), offset: 0))
        }
        routes.add(.get, Self.path + "/{id}", .monitorLoneWorkers, api: true) { _, context, identity in
            let policy = try await find(context, identity)
            return try jsonResponse(PolicyJSON(policy, unitIds: try await store.unitIds(policyId: policy.id, organisationId: identity.organisation.id)))
        }
        routes.add(.put, Self.path + "/{id}", .manageEscalationPolicies, api: true) { request, context, identity in
            var policy = try await find(context, identity)
            var input = try await JSONInput(request, context: context)
            let (name, grace, steps) = try LoneWorkingInput.policy(&input)
            try input.finish()
            policy.name = name
            policy.graceSeconds = grace ?? 0
            policy.steps = steps ?? []
            try await checkReferences(policy)
            try await store.save(policy, isNew: false, origin: context.origin())
            return try jsonResponse(PolicyJSON(policy, unitIds: try await store.unitIds(policyId: policy.id, organisationId: identity.organisation.id)))
        }
        routes.add(.post, Self.path + "/{id}/units", .manageEscalationPolicies, api: true) { request, context, identity in
            let policy = try await find(context, identity)
            var input = try await JSONInput(request, context: context)
            let unitIds = input.strings("unitIds", required: true)
            try input.finish()
            var errors = FieldErrors()
            if unitIds?.isEmpty ?? true { errors.add("unitIds", "Name at least one unit") }
            for id in unitIds ?? [] {
                if try await web.environment.organisations.unit(id: id, organisationId: identity.organisation.id) == nil {
                    errors.add("unitIds", "No such unit: \(id)")
                }
            }
            if !errors.isEmpty { throw APIError.validation(errors) }
            try await store.assign(policyId: policy.id, unitIds: Array(Set(unitIds ?? [])).sorted(), organisationId: identity.organisation.id,
                                   origin: context.origin())
            return try jsonResponse(PolicyJSON(policy, unitIds: try await store.unitIds(policyId: policy.id, organisationId: identity.organisation.id)))
        }
    }

    func find(_ context: HavenRequestContext, _ identity: Identity) async throws -> EscalationPolicy {
        guard let policy = try await store.policy(id: try context.parameter("id"), organisationId: identity.organisation.id) else {
            throw APIError.notFound("escalation policy")
        }
        return policy
    }

    func checkReferences(_ policy: EscalationPolicy) async throws {
        let errors = try await EscalationPolicyChecks.references(policy, environment: web.environment)
        if !errors.isEmpty { throw APIError.validation(errors) }
    }
}
