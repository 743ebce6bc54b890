import Foundation
import HavenCore

/// Reads a `detail` object from the API as a change to the stored detail: the fields sent replace theirs, the
/// rest stay. Unknown fields, wrong types and unknown choices are refused with the field named.
enum IncidentDetailInput {
    static func merge(_ current: IncidentDetail, _ patch: [String: JSONValue]) throws -> IncidentDetail {
        var fields = try JSONDecoder().decode([String: JSONValue].self, from: JSONEncoder().encode(current))
        let known = Set(fields.keys).union(["absenceDays"])
        var errors = FieldErrors()
        for key in patch.keys.sorted() where !known.contains(key) { errors.add("detail.\(key)", "Unknown field detail.\(key)") }
        try errors.throwIfAny()
        for (key, value) in patch { fields[key] = value }
        let detail: IncidentDetail
        do {
            detail = try JSONDecoder().decode(IncidentDetail.self, from: JSONEncoder().encode(fields))
        } catch let error as DecodingError {
            throw FieldErrors("detail." + path(of: error), "This value has the wrong type or is not one of the allowed choices")
        }
        let problems = detail.problems()
        guard problems.isEmpty else {
            var prefixed = FieldErrors()
            for item in problems.items { prefixed.add("detail." + item.field, item.message) }
            throw prefixed
        }
        return detail
    }

    static func path(of error: DecodingError) -> String {
        let path: [any CodingKey]
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        @unknown default: path = []
        }
        return path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }
}
