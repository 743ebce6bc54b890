import Foundation
import HavenCore
import HavenData

/// The incident list page: the filter form with its values kept, one page of reports, and links that carry the filters.
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
    var seesOthers: Bool
    var newHref: String
    var errors: ErrorSummary
    var search: FormField
    var from: FormField
    var to: FormField
    var units: [Choice]
    var types: [Choice]
    var statuses: [Choice]
    var harms: [Choice]
    var mine: Bool
    var filtered: Bool
    var clearHref: String
    /// "Showing 51–100 of 1,234" (or "of more than 10,000").
    var showing: String?
    var previousHref: String?
    var nextHref: String?
    /// Stored, not computed: templates see only stored properties.
    var pager = false
    var csvHref: String?
    var jsonlHref: String?
    /// The figure alone, kept for the summary line above the form.
    var total: String

    init(query: [String: String], filter: IncidentStore.Filter, list: IncidentList, page: Int, errors: FieldErrors, identity: Identity,
         units: [CareUnit], rows: [Row]) {
        let scope = Access.scope(of: identity.actor, for: .viewIncidents)
        let path = IncidentRoute.list.path
        self.rows = rows
        hasRows = !rows.isEmpty
        seesOthers = !scope.isNone
        newHref = IncidentRoute.newIncident.path
        self.errors = ErrorSummary(errors)
        search = FormField("q", "Search descriptions", value: query["q"] ?? "", hint: "Words in what happened, for example: kicked corridor",
                           type: "search", required: false, errors: errors)
        from = FormField("from", "From date", value: query["from"] ?? "", hint: "The first day to include", type: "date", required: false, errors: errors)
        to = FormField("to", "To date", value: query["to"] ?? "", hint: "The last day to include", type: "date", required: false, errors: errors)
        // Only the units the viewer looks after are offered; reports they made elsewhere are in "all units".
        let offered = units.filter { scope.contains($0.id) }
        self.units = [Choice(value: "", label: "All units", selected: query["unitId"] == nil)]
            + offered.map { Choice(value: $0.id, label: $0.name, selected: $0.id == query["unitId"]) }
        types = [Choice(value: "", label: "Any type", selected: query["type"] == nil)]
            + IncidentType.allCases.map { Choice(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == query["type"]) }
        statuses = [Choice(value: "", label: "Any status", selected: query["status"] == nil)]
            + IncidentStatus.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue.replacingOccurrences(of: "-", with: " ").capitalizedFirst,
                                                   selected: $0.rawValue == query["status"]) }
        harms = [Choice(value: "", label: "Any harm", selected: query["harm"] == nil)]
            + Harm.allCases.map { Choice(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == query["harm"]) }
        mine = filter.onlyMine
        filtered = IncidentListController.filterKeys.contains { query[$0] != nil }
        clearHref = path
        let count = list.totalIsCapped ? "more than \(Self.number(list.total))" : Self.number(list.total)
        total = count
        if hasRows {
            let first = filter.offset + 1, last = filter.offset + rows.count
            showing = "Showing \(Self.number(first))–\(Self.number(last)) of \(count)"
        }
        if page > 1 { previousHref = IncidentListController.href(path, query, page > 2 ? [("page", String(page - 1))] : []) }
        if rows.count == filter.limit && (list.totalIsCapped || filter.offset + rows.count < list.total) {
            nextHref = IncidentListController.href(path, query, [("page", String(page + 1))])
        }
        pager = previousHref != nil || nextHref != nil
        if seesOthers && errors.isEmpty {
            csvHref = IncidentListController.href(path + "/export", query, [("format", "csv")])
            jsonlHref = IncidentListController.href(path + "/export", query, [("format", "jsonl")])
        }
    }

    static func number(_ value: Int) -> String { value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_GB"))) }
}

private extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
