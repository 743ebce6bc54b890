import Foundation
import HavenCore
import HavenData
import HavenServices

/// The checks on a policy that need the database, shared by the API and the policy pages: a `user` step must name
/// someone in the organisation, an `alarm-receiving-centre` step an active centre with an address to call.
enum EscalationPolicyChecks {
    static func references(_ policy: EscalationPolicy, environment: HavenEnvironment) async throws -> FieldErrors {
        var errors = FieldErrors()
        for (index, step) in policy.steps.enumerated() {
            switch step.who {
            case .user:
                if try await environment.users.find(id: step.userId ?? "", organisationId: policy.organisationId) == nil {
                    errors.add("steps[\(index)].userId", "No such person")
                }
            case .alarmReceivingCentre:
                let centre = try await environment.loneWorking.store.integration(id: step.integrationId ?? "", organisationId: policy.organisationId)
                let problem: String? = if let centre { centre.whyNotCallable } else { "No such integration" }
                if let problem { errors.add("steps[\(index)].integrationId", problem) }
            default:
                break
            }
        }
        return errors
    }
}
