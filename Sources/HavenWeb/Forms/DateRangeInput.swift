import HavenCore

/// A `from`–`to` pair of local days (YYYY-MM-DD, inclusive) read from a query string, as every list filters by.
enum DateRangeInput {
    static func read(_ value: (String) -> String?, labels: [String: String] = [:], into errors: inout FieldErrors) -> (from: String?, to: String?) {
        func label(_ key: String) -> String { labels[key] ?? key }
        var days: [String: CalendarDay] = [:]
        for key in ["from", "to"] {
            guard let text = value(key), !text.isEmpty else { continue }
            if let day = CalendarDay(text) { days[key] = day } else { errors.add(key, "\(label(key)) must be a real date as YYYY-MM-DD") }
        }
        if let from = days["from"], let to = days["to"], to < from {
            errors.add("to", "\(label("to")) must be the same as or after \(label("from"))")
        }
        return (days["from"]?.description, days["to"]?.description)
    }
}
