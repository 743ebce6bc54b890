import Foundation

/// One field's problem, in words a user can act on.
public struct ValidationError: Error, Sendable, Equatable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// All the problems of one submission, in the order of the form, so a page can show them together.
public struct FieldErrors: Error, Sendable, Equatable {
    public private(set) var items: [ValidationError] = []

    public init() {}
    public init(_ field: String, _ message: String) { add(field, message) }

    public mutating func add(_ field: String, _ message: String) {
        if !items.contains(where: { $0.field == field }) { items.append(.init(field: field, message: message)) }
    }

    public var isEmpty: Bool { items.isEmpty }
    public subscript(field: String) -> String? { items.first { $0.field == field }?.message }
    public var asDictionary: [String: String] { Dictionary(items.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a }) }

    public func throwIfAny() throws(FieldErrors) { if !isEmpty { throw self } }

    public mutating func merge(_ other: FieldErrors) {
        for item in other.items { add(item.field, item.message) }
    }
}

public enum Validate {
    /// A practical e-mail check: one @, something either side, a dot in the domain, no spaces.
    public static func email(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !text.contains(where: { $0.isWhitespace }), text.count <= 254 else { return false }
        return true
    }

    /// A user's text: trimmed, present when required, not longer than the limit, no control characters.
    public static func text(_ value: String?, field: String, label: String, required: Bool, max: Int,
                            into errors: inout FieldErrors) -> String {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            if required { errors.add(field, "Enter \(label.lowercased())") }
        } else if trimmed.count > max {
            errors.add(field, "\(label) must be \(max) characters or fewer")
        } else if hasControlCharacters(trimmed) {
            errors.add(field, "\(label) must not contain control characters")
        }
        return trimmed
    }

    /// Unicode's control characters (general category Cc, fixed by the standard: U+0000–U+001F and U+007F–U+009F),
    /// by their values: asking the scalar's properties was a table lookup on every character of every text field.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Whether free text holds a control character other than a line break or a tab (which text areas send).
    public static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { isControl($0) && $0 != "\n" && $0 != "\r" && $0 != "\t" }
    }

    /// A valid IANA time zone name such as Europe/London.
    public static func timeZone(_ name: String) -> Bool { TimeZone(identifier: name) != nil && !name.isEmpty }

    /// `YYYY-MM`.
    public static func month(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]) else { return false }
        return (2000...2100).contains(year) && (1...12).contains(month)
    }

    /// A password long enough to resist guessing (NCSC: length over complexity).
    public static func password(_ text: String) -> String? {
        if text.count < 10 { return "Password must be at least 10 characters" }
        if text.utf8.count > 72 { return "Password must be 72 bytes or fewer" }
        return nil
    }
}

extension String {
    /// nil for an empty string: how an optional field that was left blank is stored.
    public var nilIfEmpty: String? { isEmpty ? nil : self }
}
