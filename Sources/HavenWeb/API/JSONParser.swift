import Foundation

/// Reads a request body into a `JSONValue` (RFC 8259, strictly). Every API write parses its body, and going through
/// `JSONDecoder` with `JSONValue`'s try-each-type `Decodable` cost a thrown error for every string and number: a few
/// per cent of a submission's CPU (docs/PERFORMANCE.md). This reads the bytes once.
///
/// Strict: no comments, trailing commas, single quotes, leading zeros, lone surrogates, unescaped control characters,
/// or anything after the value; numbers must fit a Double. A key repeated in one object is refused too: parsers
/// disagree on which of the two counts (JSONDecoder kept the first), so a body that means two things means neither.
/// The caller has checked that the bytes are UTF-8.
struct JSONParser {
    struct Invalid: Error, Equatable {
        /// The byte offset where reading failed.
        let offset: Int
        var problem = "unexpected input"

        var message: String { "The request body is not valid JSON: \(problem) at byte \(offset)" }
    }

    /// Nesting deeper than this is refused rather than followed down the stack.
    static let maximumDepth = 512

    static func parse(_ data: Data) throws -> JSONValue {
        try data.withUnsafeBytes { raw in
            var parser = JSONParser(bytes: raw.bindMemory(to: UInt8.self))
            // A UTF-8 byte order mark is allowed before the value (RFC 8259 §8.1 lets a parser ignore it).
            if parser.bytes.count >= 3, parser.bytes[0] == 0xEF, parser.bytes[1] == 0xBB, parser.bytes[2] == 0xBF { parser.position = 3 }
            let value = try parser.value(depth: 0)
            parser.skipWhitespace()
            guard parser.position == parser.bytes.count else { throw Invalid(offset: parser.position) }
            return value
        }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private func fail() -> Invalid { Invalid(offset: position) }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw fail() }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw fail()
        }
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count else { throw fail() }
        for index in 0..<count where bytes[position + index] != word.utf8Start[index] { throw fail() }
        position += count
    }

    private mutating func object(depth: Int) throws -> JSONValue {
        guard depth <= Self.maximumDepth else { throw Invalid(offset: position, problem: "nested deeper than \(Self.maximumDepth) levels") }
        position += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw fail() }
            let keyAt = position
            let key = try string()
            guard members[key] == nil else { throw Invalid(offset: keyAt, problem: "the key \"\(key)\" appears twice in one object") }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw fail() }
            position += 1
            members[key] = try value(depth: depth)
            skipWhitespace()
            guard position < bytes.count else { throw fail() }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return .object(members)
            default: throw fail()
            }
        }
    }

    private mutating func array(depth: Int) throws -> JSONValue {
        guard depth <= Self.maximumDepth else { throw Invalid(offset: position, problem: "nested deeper than \(Self.maximumDepth) levels") }
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
        while true {
            elements.append(try value(depth: depth))
            skipWhitespace()
            guard position < bytes.count else { throw fail() }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return .array(elements)
            default: throw fail()
            }
        }
    }

    /// A string from its opening quote; the text between quotes without escapes is taken as it is.
    private mutating func string() throws -> String {
        position += 1
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw fail() }
            position += 1
        }
        var text = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { throw fail() }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escape)
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "u"): text.append(contentsOf: String(try unicodeEscape()).utf8)
                default: position -= 1; throw fail()
                }
            default:
                guard byte >= 0x20 else { throw fail() }
                text.append(byte)
                position += 1
            }
        }
        throw fail()
    }

    /// After `\u`: four hex digits, and for a high surrogate the `\u` and low surrogate that must follow it.
    private mutating func unicodeEscape() throws -> Character {
        let first = try hex4()
        switch first {
        case 0xD800...0xDBFF:
            guard bytes.count - position >= 2, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else { throw fail() }
            position += 2
            let second = try hex4()
            guard (0xDC00...0xDFFF).contains(second),
                  let scalar = Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)) else { throw fail() }
            return Character(scalar)
        case 0xDC00...0xDFFF: throw fail()
        default:
            guard let scalar = Unicode.Scalar(first) else { throw fail() }
            return Character(scalar)
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard bytes.count - position >= 4 else { throw fail() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail()
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, as a finite Double.
    private mutating func number() throws -> Double {
        let start = position
        func digits() -> Int {
            let from = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
            return position - from
        }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count else { throw fail() }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            guard digits() > 0 else { throw fail() }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw fail() }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw fail() }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let number = Double(text), number.isFinite else { position = start; throw fail() }
        return number
    }
}
