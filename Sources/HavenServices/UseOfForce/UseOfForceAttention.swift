import Foundation
import HavenCore
import HavenData

extension HavenEnvironment {
    /// Uses of force whose alerts nobody has reviewed yet: for the reviewers, and for the managers of the unit
    /// (who are told of prone restraint at once and should see it until it is reviewed).
    func useOfForceAttention(for user: User, organisation: Organisation) async throws -> [AttentionItem] {
        try await reviewAttention(for: user, organisation: organisation) + debriefAttention(for: user, organisation: organisation)
            + supportPlanAttention(for: user, organisation: organisation) + investigationAttention(for: user, organisation: organisation)
    }

    /// Patients in the units someone writes plans for who have had repeated interventions and no current plan.
    func supportPlanAttention(for user: User, organisation: Organisation) async throws -> [AttentionItem] {
        let units: Set<String>?
        switch Access.scope(of: user.actor, for: .manageBehaviourSupportPlans) {
        case .none: return []
        case .all: units = nil
        case .units(let ids): units = ids
        }
        let now = clock.now()
        let today = CalendarColumns(now, timeZone: TimeZone(identifier: organisation.timeZone) ?? .gmt).localDate
        let patients = try await useOfForce.plans.patientsNeedingPlans(
            organisationId: organisation.id, unitIds: units, since: now - TimeInterval(UseOfForceRules.repeatedWindowDays * 86_400), today: today)
        guard !patients.isEmpty else { return [] }
        return [AttentionItem(
            title: patients.count == 1 ? "A patient needs a behaviour support plan" : "\(patients.count) patients need a behaviour support plan",
            detail: "\(UseOfForceRules.repeatedInterventions) or more restrictive interventions in \(UseOfForceRules.repeatedWindowDays) days and no current plan.",
            link: "/use-of-force/plans", priority: 2)]
    }

    /// Debriefs past their due time in the units a manager or lead looks after.
    func debriefAttention(for user: User, organisation: Organisation) async throws -> [AttentionItem] {
        let units: Set<String>?
        switch Access.scope(of: user.actor, for: .viewUseOfForce) {
        case .none: return []
        case .all: units = user.roles.contains(.restrictivePracticeLead) ? nil : []
        case .units(let ids): units = user.roles.contains(.manager) ? ids : []
        }
        var items: [AttentionItem] = []
        let observations = try await useOfForce.observations.overdueCount(organisationId: organisation.id, unitIds: units)
        if observations > 0 {
            items.append(AttentionItem(
                title: observations == 1 ? "Observations after rapid tranquillisation are overdue" : "\(observations) sets of observations after rapid tranquillisation are overdue",
                detail: "Pulse, blood pressure, breathing, temperature, oxygen and consciousness are due on the schedule.",
                link: "/use-of-force", priority: 0))
        }
        let overdue = try await useOfForce.debriefs.overdueCount(organisationId: organisation.id, unitIds: units)
        guard overdue > 0 else { return items }
        return items + [AttentionItem(title: overdue == 1 ? "A use-of-force debrief is overdue" : "\(overdue) use-of-force debriefs are overdue",
                              detail: "Staff and patient debriefs not yet recorded after their due time.",
                              link: "/use-of-force?debrief=overdue", priority: 2)]
    }

    func reviewAttention(for user: User, organisation: Organisation) async throws -> [AttentionItem] {
        let actor = user.actor
        var filter = UseOfForceStore.Filter(awaitingReview: true, limit: 1)
        if Access.allows(actor, .reviewUseOfForce) {
            if case .units(let ids) = Access.scope(of: actor, for: .reviewUseOfForce) { filter.unitIds = ids }
        } else if case .units(let ids) = Access.scope(of: actor, for: .viewUseOfForce), user.roles.contains(.manager) {
            filter.unitIds = ids
        } else {
            return []
        }
        let waiting = try await useOfForce.store.episodes(organisationId: organisation.id, filter).total
        guard waiting > 0 else { return [] }
        return [AttentionItem(
            title: waiting == 1 ? "A use of force is waiting for senior review" : "\(waiting) uses of force are waiting for senior review",
            detail: "Prone restraint, a pain-based technique, mechanical restraint or seclusion of a patient who is not detained.",
            link: "/use-of-force?review=waiting", priority: 1)]
    }
}
