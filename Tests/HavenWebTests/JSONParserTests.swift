import Foundation
@testable import HavenWeb
import Testing

@Suite("The request body parser")
struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Data(text.utf8)) }

    @Test("Valid documents read the same as Foundation's JSONDecoder reads them", arguments: [
        #"{}"#, #"[]"#, #"{"a":1}"#, #" { "a" : [ 1 , 2.5 , -3e2 , 0 , -0.0 , 1E+2 , 4e-1 ] } "#,
        #"{"s":"plain","e":"q\" b\\ s\/ \b\f\n\r\t","u":"\u00e9\u20ac\ud83d\ude00","raw":"é€😀"}"#,
        #"{"nested":{"deep":[{"x":null,"y":true,"z":false}]},"empty":"","list":[[],{}]}"#,
        #"{"big":1.7976931348623157e308,"small":5e-324,"int":9007199254740993}"#,
        "\n\t{\"a\":\"b\"}\r\n",
    ])
    func sameAsFoundation(_ text: String) throws {
        let expected = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(try parse(text) == expected)
    }

    @Test("Exact values: escapes, surrogate pairs, numbers, a byte order mark")
    func values() throws {
        #expect(try parse(#"{"a":"x\u0041\n"}"#) == .object(["a": .string("xA\n")]))
        #expect(try parse(#"["\ud83d\ude00"]"#) == .array([.string("😀")]))
        #expect(try parse(#"[-12.5e1, 0, true, null]"#) == .array([.number(-125), .number(0), .bool(true), .null]))
        #expect(try parse("\u{FEFF}{}") == .object([:]), "a byte order mark before the value is allowed")
        // A combining mark after a quote stays exactly as sent.
        let combining = try parse("{\"name\":\"\\\"\u{0301}x\"}")
        #expect(combining == .object(["name": .string("\"\u{0301}x")]))
    }

    @Test("Malformed documents are refused", arguments: [
        "", " ", "{", "}", "[1,]", #"{"a":1,}"#, #"{'a':1}"#, #"{"a" 1}"#, #"{a:1}"#, "[01]", "[1.]", "[.5]", "[1e]", "[-]",
        "[+1]", "[1e400]", "[NaN]", "[Infinity]", "[tru]", "[nul]", #"["\x"]"#, #"["\u12"]"#, #"["\ud83d"]"#, #"["\ude00"]"#,
        #"["\ud83d\u0041"]"#, "[\"a\u{01}b\"]", "[\"line\nbreak\"]", "{} {}", "[1] x", #"{"a":1}/* c */"#, "\"unterminated",
        #"{"k":1,"k":"two"}"#, #"{"a":{"k":1,"k":1}}"#,
    ])
    func refused(_ text: String) {
        #expect(throws: JSONParser.Invalid.self) { try parse(text) }
    }

    @Test("Nesting is followed to the limit and refused beyond it, without exhausting the stack")
    func depth() throws {
        let limit = JSONParser.maximumDepth
        #expect(throws: Never.self) { try parse(String(repeating: "[", count: limit) + String(repeating: "]", count: limit)) }
        #expect(throws: JSONParser.Invalid.self) {
            try parse(String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1))
        }
        #expect(throws: JSONParser.Invalid.self) { try parse(String(repeating: "{\"a\":", count: 100_000)) }
    }
}

@Suite("The NUL check on every address")
struct NULAddressTests {
    @Test("A raw NUL or %00 anywhere is found; %0A, %20 and plain text are not")
    func holdsNUL() {
        for address in ["/a%00b", "/units/x%00", "%00", "/a\u{0}b", "/q?x=1%00"] { #expect(ErrorMiddleware.holdsNUL(address), "\(address)") }
        for address in ["/a%0Ab", "/a%20b", "/units/00", "/%0", "/0%0", "/plain", "", "/%%00x".replacingOccurrences(of: "%00", with: "%0")] {
            #expect(!ErrorMiddleware.holdsNUL(address), "\(address)")
        }
    }
}
