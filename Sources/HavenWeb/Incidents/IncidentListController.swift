import Foundation
import HavenCore
import HavenData
import Hummingbird

/// The list of incident reports: a person's own, and those of the units in their remit.
struct IncidentListController {
    let web: WebContext
    var store: IncidentStore { web.environment.incidents }
    var pages: IncidentsController { IncidentsController(web: web) }

    func register(_ routes: Routes) {
        routes.add(.get, IncidentRoute.list.path, .reportIncident) { request, context, identity in
            var filter = IncidentStore.Filter(organisationId: identity.organisation.id,
                                              scope: Access.scope(of: identity.actor, for: .viewIncidents), reporterId: identity.user.id)
        filter.seesConfidential = Access.allows(identity.actor, .handleHarassmentCases)
            filter.limit = 100
            let (items, total) = try await store.list(filter)
            let units = try await pages.unitNames(identity)
            let page = IncidentsPage(
                rows: items.map { pages.row($0, units: units, identity: identity) }, hasRows: !items.isEmpty, total: total,
                seesOthers: !Access.scope(of: identity.actor, for: .viewIncidents).isNone, newHref: IncidentRoute.newIncident.path)
            return try await web.page("incidents/list", page, title: "Incidents", request: request, context: context)
        }
    }
}

struct IncidentsPage: Sendable {
    struct Row: Sendable {
        var href: String
        var type: String
        var occurred: String
        var unit: String
        var area: String
        var harm: String
        var status: String
        var mine: Bool
    }
    var rows: [Row]
    var hasRows: Bool
    var total: Int
    var seesOthers: Bool
    var newHref: String
}

