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
        let hr = Access.allows(user.actor, .handleHarassmentCases)
        // HR sees its confidential cases; managers and leads the open cases of their remit.
        for confidential in [false, true] where confidential ? hr : !scope.isNone {
            let (overdue, total) = try await incidents.overdueReviews(organisationId: organisation.id, scope: scope, confidential: confidential,
                                                                      now: now, limit: 1)
            if let oldest = overdue.first {
                items.append(AttentionItem(
                    title: total == 1 ? "1 incident report is overdue for review" : "\(total) incident reports are overdue for review",
                    detail: "The target is \(organisation.reviewTargetDays) working days. The oldest was reported \(oldest.reportedAt.iso8601.prefix(10)).",
                    link: total == 1 ? "/incidents/\(oldest.id)" : "/incidents?status=reported", priority: 3))
            }
            let support = try await incidents.overdueSupport(organisationId: organisation.id, scope: scope, confidential: confidential, now: now)
            if support > 0 {
                items.append(AttentionItem(
                    title: support == 1 ? "1 welfare check or referral is overdue" : "\(support) welfare checks or referrals are overdue",
                    detail: "Staff should be offered support within \(organisation.welfareCheckHours) hours of an incident.",
                    link: "/incidents", priority: 3))
            }
        }
        if !scope.isNone || hr {
            let deadlines = try await incidentCases.regulatorDeadlines(for: user.actor, organisation: organisation)
            if let first = deadlines.first {
                let overdue = deadlines.filter(\.deadline.overdue).count
                items.append(AttentionItem(
                    title: deadlines.count == 1 ? "1 incident needs a report to the regulator" : "\(deadlines.count) incidents need reports to the regulator",
                    detail: (overdue > 0 ? "\(overdue) overdue. " : "") + "First: " + first.deadline.title + ".",
                    link: "/incidents/regulator", priority: overdue > 0 ? 1 : 2))
            }
        }
        let today = CalendarColumns(now, timeZone: TimeZone(identifier: organisation.timeZone) ?? .gmt).localDate
        if hr {
            let due = try await incidents.harassmentWorkDue(organisationId: organisation.id, today: today)
            if due.investigations > 0 {
                items.append(AttentionItem(title: "\(due.investigations) harassment \(due.investigations == 1 ? "investigation is" : "investigations are") past the target",
                                           detail: "Complaints should be investigated without undue delay (target \(HarassmentCase.investigationTargetDays) days).",
                                           link: "/incidents", priority: 3))
            }
            if due.retaliationChecks > 0 {
                items.append(AttentionItem(title: "\(due.retaliationChecks) retaliation \(due.retaliationChecks == 1 ? "check is" : "checks are") due",
                                           detail: "Three months after a harassment case closes, check the person has not suffered for reporting it.",
                                           link: "/incidents", priority: 3))
            }
        }
        let actions = try await incidents.overdueActions(ownerId: user.id, today: today)
        if let first = actions.first {
            items.append(AttentionItem(
                title: actions.count == 1 ? "An incident action you own is overdue" : "\(actions.count) incident actions you own are overdue",
                detail: "“\(first.description.prefix(80))” was due \(first.dueOn ?? "").", link: "/incidents/\(first.incidentId)", priority: 4))
        }
        return items
    }
}
