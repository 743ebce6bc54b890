import Foundation
import HavenCore
import HavenServices
import Hummingbird

/// "Reports due to the regulator": RIDDOR and Cal/OSHA deadlines of the incidents a person handles, soonest first.
struct RegulatorDeadlines {
    let web: WebContext

    func register(_ routes: Routes) {
        routes.add(.get, "/incidents/regulator", .handleIncidents) { request, context, identity in
            let due = try await web.environment.incidentCases.regulatorDeadlines(for: identity.actor, organisation: identity.organisation)
            let page = DeadlinesPage(rows: due.map { item in
                DeadlinesPage.Row(href: "/incidents/\(item.report.id)", type: item.report.type.displayName,
                                  occurred: DisplayDate.dateTime(item.report.occurredAt, identity.organisation), what: item.deadline.title,
                                  due: DisplayDate.dateTime(item.deadline.dueAt, identity.organisation), overdue: item.deadline.overdue)
            }, hasRows: !due.isEmpty, rulePack: identity.organisation.rulePack.displayName)
            return try await web.page("incidents/regulator", page, title: "Reports due to the regulator", request: request, context: context)
        }
        routes.add(.get, "/api/v1/incidents/regulator-deadlines", .handleIncidents, api: true) { _, _, identity in
            let due = try await web.environment.incidentCases.regulatorDeadlines(for: identity.actor, organisation: identity.organisation)
            return try jsonResponse(due.map { DeadlineJSON(incidentId: $0.report.id, kind: $0.deadline.kind.rawValue, title: $0.deadline.title,
                                                           dueAt: $0.deadline.dueAt, overdue: $0.deadline.overdue) })
        }
    }
}

struct DeadlineJSON: Encodable {
    var incidentId: String
    var kind: String
    var title: String
    var dueAt: Date
    var overdue: Bool
}

struct DeadlinesPage: Sendable {
    struct Row: Sendable {
        var href: String
        var type: String
        var occurred: String
        var what: String
        var due: String
        var overdue: Bool
    }
    var rows: [Row]
    var hasRows: Bool
    var rulePack: String
}
