import Foundation
@testable import HavenData
import Testing

@Suite("Audit: the changes text")
struct AuditChangesTests {
    /// What the audit trail wrote before the hand-written encoder; existing chains hash this text.
    func foundation(_ changes: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(changes), as: UTF8.self)
    }

    @Test("The same text as JSONEncoder with sorted keys and unescaped slashes", arguments: [
        [:],
        ["state": "active"],
        ["unitId": "u-1", "types": "01 09", "alerts": "prone-restraint", "Zeta": "capital first", "ä": "after z", "a b": "space"],
        ["quote": "say \"no\"", "backslash": #"C:\path"#, "slash": "a/b", "lines": "one\ntwo\r\nthree\tfour"],
        ["controls": "\u{00}\u{01}\u{08}\u{0B}\u{0C}\u{1F}\u{7F}", "unicode": "é€😀 \u{2028}\u{2029} e\u{0301}"],
        ["": "empty key", "emoji 😀": "key", "😀": "", "e\u{0301}": "combining"],
    ])
    func sameAsFoundation(_ changes: [String: String]) throws {
        #expect(AuditLog.encode(changes) == (try foundation(changes)))
    }
}
