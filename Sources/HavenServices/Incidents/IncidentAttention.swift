import Foundation
import HavenCore
import HavenData

extension HavenEnvironment {
    /// Incident work for the home page: overdue reviews and support for those who handle the unit's cases, and
    /// the actions a person owns that are past their due date.
    func incidentAttention(for user: User, organisation: Organisation) async throws -> [AttentionItem] {
        var items: [AttentionItem] = []
        let now = clock.now()
        let scope = Access.scope(of: user.actor, for: .handleIncidents)
        if !scope.isNone {
            let (overdue, total) = try await incidents.overdueReviews(organisationId: organisation.id, scope: scope, now: now, limit: 1)
            if let oldest = overdue.first {
                items.append(AttentionItem(
                    title: total == 1 ? "1 incident report is overdue for review" : "\(total) incident reports are overdue for review",
                    detail: "The target is \(organisation.reviewTargetDays) working days. The oldest was reported \(oldest.reportedAt.iso8601.prefix(10)).",
                    link: total == 1 ? "/incidents/\(oldest.id)" : "/incidents?status=reported", priority: 3))
            }
            let support = try await incidents.overdueSupport(organisationId: organisation.id, scope: scope, now: now)
            if support > 0 {
                items.append(AttentionItem(
                    title: support == 1 ? "1 welfare check or referral is overdue" : "\(support) welfare checks or referrals are overdue",
                    detail: "Staff should be offered support within \(organisation.welfareCheckHours) hours of an incident.",
                    link: "/incidents", priority: 3))
            }
        }
        let today = CalendarColumns(now, timeZone: TimeZone(identifier: organisation.timeZone) ?? .gmt).localDate
        let actions = try await incidents.overdueActions(ownerId: user.id, today: today)
        if let first = actions.first {
            items.append(AttentionItem(
                title: actions.count == 1 ? "An incident action you own is overdue" : "\(actions.count) incident actions you own are overdue",
                detail: "“\(first.description.prefix(80))” was due \(first.dueOn ?? "").", link: "/incidents/\(first.incidentId)", priority: 4))
        }
        return items
    }
}
