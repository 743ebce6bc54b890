import Foundation
import HavenCore
import HavenData
import Hummingbird

extension UseOfForceController {
    /// The list: a GET form (so every result has an address), within the reader's remit, 50 a page.
    func listPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity) async throws -> Response {
        let parameters = request.uri.queryParameters
        var query: [String: String] = [:]
        for key in ["unitId", "from", "to", "review", "debrief", "page"] { if let value = parameters[Substring(key)], !value.isEmpty { query[key] = String(value) } }
        let page = max(1, query["page"].flatMap { Int($0) } ?? 1)
        var errors = FieldErrors()
        var filter: UseOfForceStore.Filter
        do {
            filter = try UseOfForceAPI.filter({ query[$0] }, identity.actor, now: web.environment.clock.now())
        } catch let error as APIError {
            for (field, message) in error.fields { errors.add(field, message) }
            filter = try UseOfForceAPI.filter({ ["unitId", "review", "debrief"].contains($0) ? query[$0] : nil }, identity.actor,
                                              now: web.environment.clock.now())
        }
        filter.limit = Self.pageSize
        filter.offset = (page - 1) * Self.pageSize
        let (items, total) = try await records.store.episodes(organisationId: identity.organisation.id, filter)
        let units = try await web.environment.organisations.units(organisationId: identity.organisation.id)
        let names = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0.name) })
        let scope = Access.scope(of: identity.actor, for: .accessUseOfForce)
        func link(_ page: Int) -> String {
            var pairs = query.filter { $0.key != "page" }.sorted { $0.key < $1.key }
            if page > 1 { pairs.append((key: "page", value: String(page))) }
            let encoded = pairs.map { "\(IncidentListController.encode($0.key))=\(IncidentListController.encode($0.value))" }
            return UseOfForceRoute.list.path + (encoded.isEmpty ? "" : "?" + encoded.joined(separator: "&"))
        }
        let first = total == 0 ? 0 : filter.offset + 1, last = filter.offset + items.count
        var model = UseOfForceListPage(
            rows: items.map { stored in
                let episode = stored.episode
                let alerts = UseOfForceRules.alerts(for: episode)
                return UseOfForceListPage.Row(
                    href: UseOfForceRoute.episode(episode.id).path, started: DisplayDate.dateTime(episode.startedAt, identity.organisation),
                    unit: names[episode.unitId] ?? "", types: episode.interventions.map { $0.type.label }.joined(separator: ", "),
                    duration: UseOfForcePage.duration(episode.durationSeconds),
                    alerts: alerts.isEmpty ? nil : Set(alerts.map(\.kind)).count == 1 ? alerts[0].message : "\(Set(alerts.map(\.kind)).count) alerts",
                    review: alerts.isEmpty ? "Not needed" : stored.reviewedAt == nil ? "Waiting" : "Reviewed")
            },
            hasRows: !items.isEmpty, canRecord: Access.allows(identity.actor, .recordUseOfForce),
            canManageSettings: Access.allows(identity.actor, .manageUseOfForceSettings),
            canSeePlans: Access.allows(identity.actor, .viewUseOfForce), newHref: UseOfForceRoute.new.path,
            errors: ErrorSummary(errors),
            units: [Choice(value: "", label: "All units", selected: query["unitId"] == nil)]
                + units.filter { scope.contains($0.id) }.map { Choice(value: $0.id, label: $0.name, selected: $0.id == query["unitId"]) },
            from: FormField("from", "From date", value: query["from"] ?? "", type: "date", required: false, errors: errors),
            to: FormField("to", "To date", value: query["to"] ?? "", type: "date", required: false, errors: errors),
            waitingOnly: query["review"] == "waiting", overdueDebriefsOnly: query["debrief"] == "overdue",
            showing: total == 0 ? "No records" : "Showing \(first)–\(last) of \(total)",
            previousHref: page > 1 ? link(page - 1) : nil, nextHref: last < total ? link(page + 1) : nil,
            pager: page > 1 || last < total)
        if Access.allows(identity.actor, .viewUseOfForce) {
            let kept = ["unitId", "from", "to"].compactMap { key in query[key].map { "&\(key)=\(IncidentListController.encode($0))" } }.joined()
            model.downloads = [("mhsds-csv", "MHSDS-shaped CSV of restrictive interventions"), ("csv", "CSV of interventions"),
                               ("jsonl", "Whole records as JSON Lines")].map {
                .init(href: UseOfForceRoute.export.path + "?format=\($0.0)" + kept, label: $0.1)
            }
            model.hasDownloads = true
        }
        if Access.allows(identity.actor, .viewUseOfForceStatistics) { model.analyticsHref = UseOfForceRoute.analytics.path }
        return try await web.page("use-of-force/list", model, title: "Use of force", request: request, context: context)
    }
}
