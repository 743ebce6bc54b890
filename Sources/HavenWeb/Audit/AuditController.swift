import Foundation
import HavenCore
import HavenData
import Hummingbird

enum AuditRoute {
    case trail
    var path: String { "/admin/audit" }
}

/// Administrators browse the audit trail with filters, in the browser and the API.
struct AuditController {
    let web: WebContext

    func register(_ routes: Routes) {
        routes.add(.get, AuditRoute.trail.path, .viewAuditTrail) { request, context, identity in
            let query = request.uri.queryParameters
            var errors = FieldErrors()
            let filter = Self.filter(query: { query[Substring($0)].map(String.init) }, organisationId: identity.organisation.id, timeZone: identity.organisation.timeZone, errors: &errors)
            let events = errors.isEmpty ? try await AuditLog.list(web.environment.database, filter: filter) : []
            let names = Dictionary(uniqueKeysWithValues: try await web.environment.users.list(organisationId: identity.organisation.id, scope: .all).map { ($0.id, $0.name) })
            let rows = events.map { event in
                AuditPage.Row(sequence: String(event.sequence), at: DisplayDate.dateTime(event.at, identity.organisation),
                              actor: event.actorId.map { names[$0] ?? $0 } ?? "System or anonymous", action: event.action,
                              entity: event.entity + (event.entityId.map { " \($0.prefix(8))" } ?? ""),
                              changes: event.changes == "{}" ? "" : event.changes, address: event.address ?? "")
            }
            var older: String?
            if events.count == filter.limit, let last = events.last {
                var items = URLComponents()
                items.queryItems = query.map { URLQueryItem(name: String($0.key), value: String($0.value)) }.filter { $0.name != "before" }
                    + [URLQueryItem(name: "before", value: String(last.sequence))]
                older = AuditRoute.trail.path + "?" + (items.percentEncodedQuery ?? "")
            }
            let page = AuditPage(
                rows: rows, hasRows: !rows.isEmpty, olderHref: older, errors: .init(errors),
                action: FormField("action", "Action starts with", value: String(query["action"] ?? ""), hint: "For example sign-in or user.", required: false, errors: errors),
                entity: FormField("entity", "Record type", value: String(query["entity"] ?? ""), hint: "For example user, unit or site", required: false, errors: errors),
                from: FormField("from", "From date", value: String(query["from"] ?? ""), hint: "YYYY-MM-DD", type: "date", required: false, errors: errors),
                to: FormField("to", "To date", value: String(query["to"] ?? ""), hint: "YYYY-MM-DD, inclusive", type: "date", required: false, errors: errors))
            return try await web.page("admin/audit", page, title: "Audit trail", request: request, context: context,
                                      status: errors.isEmpty ? .ok : .badRequest)
        }
        routes.add(.get, "/api/v1/audit-events", .viewAuditTrail, api: true) { request, _, identity in
            var errors = FieldErrors()
            var filter = Self.filter(query: { request.uri.queryParameters[Substring($0)].map(String.init) }, organisationId: identity.organisation.id,
                                     timeZone: identity.organisation.timeZone, errors: &errors)
            if let text = request.uri.queryParameters["limit"] {
                if let limit = Int(String(text)), (1...500).contains(limit) { filter.limit = limit } else { errors.add("limit", "limit must be a whole number from 1 to 500") }
            }
            if !errors.isEmpty { throw APIError.validation(errors) }
            let events = try await AuditLog.list(web.environment.database, filter: filter)
            return try jsonResponse(AuditList(items: events.map(AuditEventJSON.init), limit: filter.limit))
        }
    }

    /// Reads the filters from a query string. Dates are days in the organisation's time zone.
    static func filter(query: (String) -> String?, organisationId: String, timeZone: String, errors: inout FieldErrors) -> AuditLog.Filter {
        var filter = AuditLog.Filter(organisationId: organisationId)
        func text(_ key: String) -> String? {
            guard let value = query(key)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        filter.action = text("action")
        filter.entity = text("entity")
        filter.actorId = text("actorId")
        if let before = text("before") {
            if let value = Int64(before) { filter.beforeSequence = value } else { errors.add("before", "before must be a row number") }
        }
        let zone = TimeZone(identifier: timeZone) ?? .gmt
        func day(_ key: String, label: String) -> CalendarDay? {
            guard let value = text(key) else { return nil }
            guard let day = CalendarDay(value) else {
                errors.add(key, "\(label) must be a real date as YYYY-MM-DD")
                return nil
            }
            return day
        }
        filter.from = day("from", label: "From date")?.start(in: zone)
        // "To" is inclusive: up to the start of the next day.
        filter.to = day("to", label: "To date")?.adding(days: 1).start(in: zone)
        return filter
    }
}

struct AuditPage: Sendable {
    struct Row: Sendable {
        var sequence: String
        var at: String
        var actor: String
        var action: String
        var entity: String
        var changes: String
        var address: String
    }
    var rows: [Row]
    var hasRows: Bool
    var olderHref: String?
    var errors: ErrorSummary
    var action: FormField
    var entity: FormField
    var from: FormField
    var to: FormField
}

struct AuditEventJSON: Encodable {
    var sequence: Int64
    var at: Date
    var actorId: String?
    var action: String
    var entity: String
    var entityId: String?
    var changes: String
    var requestId: String?
    var address: String?
    var hash: String

    init(_ event: AuditEvent) {
        sequence = event.sequence
        at = event.at
        actorId = event.actorId
        action = event.action
        entity = event.entity
        entityId = event.entityId
        changes = event.changes
        requestId = event.requestId
        address = event.address
        hash = event.hash
    }

}

struct AuditList: Encodable {
    var items: [AuditEventJSON]
    var limit: Int
}
