import Foundation
import HavenCore
import HavenData
import Hummingbird

/// The log's choices from the query string, checked: format, a date range and one unit, always within the units
/// the viewer may export (a manager's own, everyone's for the roles that see the whole organisation).
struct LogQuery: Sendable {
    var format = "csv"
    var from = ""
    var to = ""
    var unitId = ""
    /// A format was given: the caller wants the file, not the form.
    var asked = false
    var errors = FieldErrors()
    var filter: IncidentStore.Filter
    /// The organisation's units, for names in the rows.
    var allUnits: [CareUnit]
    /// The units the viewer may choose.
    var choosable: [CareUnit]

    init(_ request: Request, identity: Identity, units store: OrganisationStore) async throws {
        let query = request.uri.queryParameters
        func text(_ key: String) -> String { query[Substring(key)].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "" }
        let scope = Access.scope(of: identity.actor, for: .exportIncidentLog)
        // No "my own reports" here: the log is the remit's, and a reporter id is exactly what it must not carry.
        filter = IncidentStore.Filter(organisationId: identity.organisation.id, scope: scope, reporterId: nil)
        // Every incident belongs in the log, confidential HR cases too (entered without their description); a
        // manager's unit-scoped log leaves them out, as the manager may be the person complained about.
        filter.seesConfidential = scope == .all
        allUnits = try await store.units(organisationId: identity.organisation.id)
        choosable = allUnits.filter { scope.contains($0.id) }
        asked = query["format"] != nil
        if asked {
            format = text("format")
            if !["csv", "jsonl"].contains(format) { errors.add("format", "format must be csv or jsonl") }
        }
        from = text("from")
        to = text("to")
        unitId = text("unitId")
        for (key, value) in [("from", from), ("to", to)] where !value.isEmpty {
            if CalendarDay(value) == nil { errors.add(key, "\(key == "from" ? "From" : "To") must be a real date as YYYY-MM-DD") }
        }
        if errors["from"] == nil, errors["to"] == nil, !from.isEmpty, !to.isEmpty, from > to {
            errors.add("to", "To must be the same as or after From")
        }
        if !unitId.isEmpty, !choosable.contains(where: { $0.id == unitId }) {
            errors.add("unitId", "Choose one of the units whose log you may export")
        }
        filter.fromDate = from.isEmpty ? nil : from
        filter.toDate = to.isEmpty ? nil : to
        filter.unitId = unitId.isEmpty ? nil : unitId
    }

    var auditChanges: [String: String] {
        ["format": format, "from": from, "to": to, "unitId": unitId].filter { !$0.value.isEmpty }
    }
}

struct IncidentLogPage: Sendable {
    var errors: ErrorSummary
    var from: FormField
    var to: FormField
    var units: [Choice]
    var unitError: String?
    var formats: [Choice]
    var formatError: String?
    /// The five-year keeping rule is California's; in England the log is good practice and the staff-side right.
    var californian: Bool

    init(_ query: LogQuery, rulePack: RulePack) {
        errors = .init(query.errors)
        from = FormField("from", "From", value: query.from, hint: "The first day, for example 2026-01-01. Leave empty to start from the first report.",
                         type: "date", required: false, errors: query.errors)
        to = FormField("to", "To", value: query.to, hint: "The last day, included. Leave empty to go up to today.",
                       type: "date", required: false, errors: query.errors)
        units = query.choosable.map { Choice(value: $0.id, label: $0.name, selected: $0.id == query.unitId) }
        unitError = query.errors["unitId"]
        formats = [Choice(value: "csv", label: "CSV, for a spreadsheet", selected: query.format == "csv"),
                   Choice(value: "jsonl", label: "JSON Lines, for another system", selected: query.format == "jsonl")]
        formatError = query.errors["format"]
        californian = rulePack != .england
    }
}
