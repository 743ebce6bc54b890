import Foundation
import HavenCore
import HavenData

/// The incident list's filters read from a query string. The page and the API (list and export) share it, so a
/// link copied from one means the same in the other.
enum IncidentFilterInput {
    static let maximumSearch = 200

    /// Fills `filter` from the parameters `value` returns and names each bad one. Empty parameters are absent, except
    /// `q`, which the API must send with 1 to 200 characters (the page leaves an empty box out before it asks).
    static func read(_ value: (String) -> String?, into filter: inout IncidentStore.Filter,
                     labels: [String: String] = [:]) -> FieldErrors {
        var errors = FieldErrors()
        func text(_ key: String) -> String? { value(key).flatMap { $0.isEmpty ? nil : $0 } }
        func label(_ key: String) -> String { labels[key] ?? key }
        filter.unitId = text("unitId")
        filter.onlyMine = text("mine") == "true"
        if let value = text("type") { filter.type = IncidentType(rawValue: value); if filter.type == nil { errors.add("type", "Unknown type '\(value)'") } }
        if let value = text("harm") { filter.harm = Harm(rawValue: value); if filter.harm == nil { errors.add("harm", "Unknown harm '\(value)'") } }
        if let value = text("status") { filter.status = IncidentStatus(rawValue: value); if filter.status == nil { errors.add("status", "Unknown status '\(value)'") } }
        (filter.fromDate, filter.toDate) = DateRangeInput.read(text, labels: labels, into: &errors)
        if let query = value("q") {
            if query.isEmpty || query.count > maximumSearch {
                errors.add("q", "\(label("q")) must be 1 to \(maximumSearch) characters")
            } else {
                let words = query.trimmingCharacters(in: .whitespacesAndNewlines)
                filter.search = words.isEmpty ? nil : words
            }
        }
        return errors
    }
}

/// A page of the incident list in the API: `total` stops at a cap (`totalIsCapped` true means "more than total").
struct IncidentListJSON: Encodable {
    var items: [IncidentJSON]
    var total: Int
    var totalIsCapped: Bool
    var limit: Int
    var offset: Int
}
