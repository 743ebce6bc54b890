import Foundation
import HavenCore
import Hummingbird

/// A submitted HTML form (application/x-www-form-urlencoded), with repeated fields kept (checkbox groups).
struct FormInput: Sendable {
    private var values: [String: [String]] = [:]

    /// Raised for a body that is not a readable form: the page answers 400 rather than guessing.
    struct Unreadable: Error {}

    init(_ request: Request, context: HavenRequestContext) async throws {
        var request = request
        try self.init(buffer: try await request.collectBody(upTo: context.maxUploadSize))
    }

    /// Bytes that are not UTF-8 are refused rather than silently replaced.
    init(buffer: ByteBuffer) throws {
        guard let body = String(validating: buffer.readableBytesView, as: UTF8.self) else { throw Unreadable() }
        try self.init(body: body)
    }

    init(body: String) throws {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : ""),
                  !name.unicodeScalars.contains("\0"), !value.unicodeScalars.contains("\0") else { throw Unreadable() }
            values[name, default: []].append(value)
        }
    }

    /// Percent-decodes with + as space; nil for malformed escapes or bytes that are not UTF-8.
    private static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    subscript(_ name: String) -> String? { values[name]?.first }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func has(_ name: String) -> Bool { values[name] != nil }
}

/// One form field as the templates show it: label, hint, the value typed, and its error beside it.
struct FormField: Sendable {
    var name: String
    var label: String
    var hint: String?
    var value: String
    var error: String?
    var type: String
    var autocomplete: String?
    var required: Bool

    init(_ name: String, _ label: String, value: String = "", hint: String? = nil, type: String = "text",
         autocomplete: String? = nil, required: Bool = true, errors: FieldErrors = .init()) {
        self.name = name
        self.label = label
        self.hint = hint
        self.value = value
        self.error = errors[name]
        self.type = type
        self.autocomplete = autocomplete
        self.required = required
        self.describedBy = [hint == nil ? nil : name + "-hint", error == nil ? nil : name + "-error"].compactMap { $0 }.joined(separator: " ").nilIfEmpty
    }

    /// ids of the hint and error, for aria-describedby.
    var describedBy: String?
    /// The name the form sends, where it differs from the id (several small forms on one page).
    var formName: String?
}

/// A choice in a select or a checkbox group.
struct Choice: Sendable {
    var value: String
    var label: String
    var selected: Bool
}

/// The error summary at the top of a form: each problem links to its field.
struct ErrorSummary: Sendable {
    struct Item: Sendable {
        var field: String
        var message: String
    }
    var items: [Item]
    var any: Bool

    init(_ errors: FieldErrors) {
        items = errors.items.map { Item(field: $0.field, message: $0.message) }
        any = !items.isEmpty
    }
}
