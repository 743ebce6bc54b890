import Foundation
import HavenCore
import HavenData
import Hummingbird

/// The list of incident reports: a person's own, and those of the units in their remit, filtered and searched with a
/// plain GET form so every result page has an address that can be bookmarked and shared.
struct IncidentListController {
    let web: WebContext
    var store: IncidentStore { web.environment.incidents }
    var pages: IncidentsController { IncidentsController(web: web) }
    static let pageSize = 50
    /// The form's labels, so an error names the field as the page shows it.
    static let labels = ["q": "Search", "from": "From date", "to": "To date"]
    /// Only these go into links: paging and the export add their own.
    static let filterKeys = ["q", "unitId", "type", "status", "harm", "from", "to", "mine"]

    func register(_ routes: Routes) {
        routes.add(.get, IncidentRoute.list.path, .reportIncident) { request, context, identity in
            let query = try Self.query(request)
            var filter = Self.baseFilter(identity)
            let errors = IncidentFilterInput.read({ query[$0] }, into: &filter, labels: Self.labels)
            let number = query["page"].flatMap(Int.init).map { max(1, min($0, 10_000)) } ?? 1
            filter.limit = Self.pageSize
            filter.offset = (number - 1) * Self.pageSize
            // A bad field is shown beside the form; nothing is searched until it is put right.
            let list = errors.isEmpty ? try await store.list(filter) : IncidentList()
            let units = try await web.environment.organisations.units(organisationId: identity.organisation.id)
            let names = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0.name) })
            let page = IncidentsPage(query: query, filter: filter, list: list, page: number, errors: errors, identity: identity, units: units,
                                     rows: list.items.map { pages.row($0, units: names, identity: identity) })
            return try await web.page("incidents/list", page, title: "Incidents", request: request, context: context,
                                      status: errors.isEmpty ? .ok : .badRequest)
        }
        // The same export as the API's, for the signed-in browser (the API takes bearer tokens only).
        routes.add(.get, IncidentRoute.list.path + "/export", .reportIncident) { request, context, identity in
            let query = try Self.query(request)
            let format = query["format"] ?? "csv"
            var filter = Self.baseFilter(identity)
            let errors = IncidentFilterInput.read({ query[$0] }, into: &filter, labels: Self.labels)
            guard ["csv", "jsonl"].contains(format), errors.isEmpty else { throw PageError.badRequest("Check the filters on the incident list and try again") }
            try await AuditLog.record(web.environment.database, at: web.environment.clock.now(), origin: context.origin(),
                                      action: "incident.export", entity: "incident", entityId: nil, changes: ["format": format])
            return IncidentExport.response(filter, format: format, store: store)
        }
    }

    static func baseFilter(_ identity: Identity) -> IncidentStore.Filter {
        var filter = IncidentStore.Filter(organisationId: identity.organisation.id, scope: Access.scope(of: identity.actor, for: .viewIncidents),
                                          reporterId: identity.user.id)
        filter.seesConfidential = Access.allows(identity.actor, .handleHarassmentCases)
        return filter
    }

    /// The query string as a browser's GET form writes it (a space is "+"), with empty fields left out: the form
    /// sends every field, filled or not.
    static func query(_ request: Request) throws -> [String: String] {
        guard let form = try? FormInput(body: request.uri.query ?? "") else { throw PageError.badRequest("The address could not be read") }
        var values: [String: String] = [:]
        for key in filterKeys + ["page", "format"] {
            if let value = form[key], !value.isEmpty { values[key] = value }
        }
        return values
    }

    /// A link to the list (or the export) with the current filters and the given extras.
    static func href(_ path: String, _ query: [String: String], _ extra: [(String, String)] = []) -> String {
        let pairs = filterKeys.compactMap { key in query[key].map { (key, $0) } } + extra
        guard !pairs.isEmpty else { return path }
        return path + "?" + pairs.map { "\(encode($0))=\(encode($1))" }.joined(separator: "&")
    }

    /// Percent-encodes everything but unreserved characters, so "+" and "&" in a search survive the round trip.
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? ""
    }
}
