import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// The live lone-worker board for monitors. Without JavaScript it is a page with a Refresh link; server-sent
/// events are a later slice (docs/LONE-WORKING.md).
struct LoneWorkingBoard {
    let web: WebContext

    func register(_ routes: Routes) {
        routes.add(.get, LoneWorkingRoute.board.path, .monitorLoneWorkers) { request, context, identity in
            let organisation = identity.organisation
            var filter = LoneWorkingStore.Filter(which: .open, limit: 500)
            if case .units(let ids) = Access.scope(of: identity.actor, for: .monitorLoneWorkers) { filter.unitIds = ids }
            let sessions = try await web.environment.loneWorking.store.sessions(organisationId: organisation.id, filter).items
            let now = web.environment.clock.now()
            let people = try await web.environment.users.list(organisationId: organisation.id, scope: .all)
            let units = try await web.environment.organisations.units(organisationId: organisation.id)
            let ranked = sessions.map { ($0, $0.boardStatus(at: now)) }.sorted { ($0.1.urgency, $0.0.dueAt) < ($1.1.urgency, $1.0.dueAt) }
            let rows = ranked.map { session, status in
                BoardPage.Row(href: LoneWorkingRoute.session(session.id).path, worker: people.first { $0.id == session.workerId }?.name ?? "",
                              unit: units.first { $0.id == session.unitId }?.name ?? "", location: session.location,
                              due: LoneWorkingController.time(session.expectedEndAt, organisation), status: status.label, statusKey: status.key,
                              vehicle: session.vehicle)
            }
            let alarms = ranked.filter { if case .alarm = $0.1 { return true } else { return false } }.count
            let page = BoardPage(rows: rows, hasRows: !rows.isEmpty, alarms: alarms,
                                 alarmText: alarms == 0 ? nil : "\(alarms) alarm\(alarms == 1 ? "" : "s") need\(alarms == 1 ? "s" : "") a response now",
                                 updated: LoneWorkingController.time(now, organisation))
            return try await web.page("lone-working/board", page, title: "Lone-worker board", request: request, context: context)
        }
    }
}
