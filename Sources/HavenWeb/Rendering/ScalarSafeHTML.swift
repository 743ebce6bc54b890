import Mustache

/// HTML escaping per Unicode scalar. swift-mustache's own escaper works per Character, so a quote followed by
/// a combining mark (one Character) would pass unescaped and could break out of an attribute. Every template
/// selects this type through the CONTENT_TYPE pragma the loader adds.
struct ScalarSafeHTML: MustacheContentType {
    static let name = "HAVEN_HTML"

    func escapeText(_ text: String) -> String { Self.escape(text) }

    static func escape(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        result.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result.append(contentsOf: "&amp;".unicodeScalars)
            case "<": result.append(contentsOf: "&lt;".unicodeScalars)
            case ">": result.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": result.append(contentsOf: "&quot;".unicodeScalars)
            case "'": result.append(contentsOf: "&#39;".unicodeScalars)
            default: result.append(scalar)
            }
        }
        return String(result)
    }
}
