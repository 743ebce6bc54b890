import Foundation
import HavenCore
import HavenData
import HavenServices
import HTTPTypes
import Hummingbird

/// The live lone-worker board for monitors. Without JavaScript it is a page with a Refresh link; with the small
/// script in Static/lone-board.js it subscribes to `/lone-working/board/events` (server-sent events) and redraws its
/// rows when they change, announcing new alarms in words.
///
/// The stream recomputes the board every `interval` and sends it only when it changed. A recompute rather than a
/// push from the engine, because statuses also change with time alone (due soon, overdue) and because a change made
/// by another instance on the same PostgreSQL must show too; the query is the board's own, on an index.
struct LoneWorkingBoard {
    let web: WebContext
    static let interval: Duration = .seconds(2)
    /// How long one stream stays open by default; the browser's EventSource then reconnects by itself.
    static let defaultLifetime = 300

    func register(_ routes: Routes) {
        routes.add(.get, LoneWorkingRoute.board.path, .monitorLoneWorkers) { request, context, identity in
            try await web.page("lone-working/board", try await snapshot(identity), title: "Lone-worker board", request: request, context: context)
        }
        routes.add(.get, LoneWorkingRoute.boardEvents.path, .monitorLoneWorkers) { request, _, identity in
            // An EventSource asks for text/event-stream and is kept up to date; any other client (a script, a crawler, a
            // test) gets the board once and the stream closes.
            let lifetime = request.headers[.accept]?.contains("text/event-stream") == true ? Self.defaultLifetime : 0
            let board = self
            let body = ResponseBody { writer in
                let encoder = JSONEncoder.api
                var last = Data()
                let ends = ContinuousClock.now + .seconds(lifetime)
                // Retry after 3 s if the connection drops; then the board as it is now.
                try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
                var beats = 0
                while true {
                    let data = try encoder.encode(try await board.snapshot(identity))
                    if data != last {
                        try await writer.write(ByteBuffer(string: "event: board\ndata: " + String(decoding: data, as: UTF8.self) + "\n\n"))
                        last = data
                    } else if beats % 10 == 0 {
                        // A comment every 20 s or so keeps proxies from closing an idle stream.
                        try await writer.write(ByteBuffer(string: ": still here\n\n"))
                    }
                    beats += 1
                    guard ContinuousClock.now < ends else { break }
                    try await Task.sleep(for: Self.interval)
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
                                                   HTTPField.Name("X-Accel-Buffering")!: "no"], body: body)
        }
    }

    /// The board as it stands for this monitor: open sessions in their remit, most urgent first.
    func snapshot(_ identity: Identity) async throws -> BoardPage {
        let organisation = identity.organisation
        let store = web.environment.loneWorking.store
        var filter = LoneWorkingStore.Filter(which: .open, limit: 500)
        if case .units(let ids) = Access.scope(of: identity.actor, for: .monitorLoneWorkers) { filter.unitIds = ids }
        let sessions = try await store.sessions(organisationId: organisation.id, filter).items
        let undelivered = try await store.undelivered(sessionIds: sessions.map(\.id), organisationId: organisation.id)
        let now = web.environment.clock.now()
        let people = Dictionary(try await web.environment.users.list(organisationId: organisation.id, scope: .all).map { ($0.id, $0.name) }) { a, _ in a }
        let units = Dictionary(try await web.environment.organisations.units(organisationId: organisation.id).map { ($0.id, $0.name) }) { a, _ in a }
        let ranked = sessions.map { ($0, $0.boardStatus(at: now)) }.sorted { ($0.1.urgency, $0.0.dueAt) < ($1.1.urgency, $1.0.dueAt) }
        let rows = ranked.map { session, status in
            BoardPage.Row(id: session.id, href: LoneWorkingRoute.session(session.id).path, worker: people[session.workerId] ?? "",
                          unit: units[session.unitId] ?? "", location: session.location,
                          due: LoneWorkingController.time(session.expectedEndAt, organisation), status: status.label, statusKey: status.key,
                          vehicle: session.vehicle, delivery: undelivered[session.id].map(Self.describe))
        }
        let alarms = ranked.filter { if case .alarm = $0.1 { return true } else { return false } }.count
        return BoardPage(rows: rows, hasRows: !rows.isEmpty, alarms: alarms,
                         alarmText: alarms == 0 ? nil : "\(alarms) alarm\(alarms == 1 ? "" : "s") need\(alarms == 1 ? "s" : "") a response now",
                         updated: LoneWorkingController.time(now, organisation), eventsURL: LoneWorkingRoute.boardEvents.path)
    }

    static func describe(_ problem: LoneWorkingStore.Undelivered) -> String {
        switch problem {
        case .retrying: "Alert not delivered to a webhook: retrying"
        case .failed: "Alert not delivered to a webhook: gave up after 24 hours"
        }
    }
}
