import Foundation
import HavenCore
import Hummingbird

/// A JSON request body read strictly: it must be an object, every field must have the documented type, and a
/// field the endpoint does not know is refused, so a misspelt field is never silently ignored.
struct JSONInput {
    private let object: [String: JSONValue]
    private var known: Set<String> = []
    private(set) var errors = FieldErrors()
    /// Put before each field name in errors, for an object inside the body (`interventions[0].`).
    private var prefix = ""

    /// An object inside the body, read by the same strict rules; its errors name `prefix` + the field.
    init(object: [String: JSONValue], prefix: String) {
        self.object = object
        self.prefix = prefix
    }

    init(_ request: Request, context: HavenRequestContext) async throws {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let data = Data(buffer: buffer)
        guard !data.isEmpty else { throw APIError(.badRequest, code: "invalid_json", message: "The request body is empty; send a JSON object") }
        guard String(validatingUTF8Data: data) != nil else {
            throw APIError(.badRequest, code: "invalid_json", message: "The request body is not valid UTF-8")
        }
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(data)
        } catch let invalid as JSONParser.Invalid {
            throw APIError(.badRequest, code: "invalid_json", message: invalid.message)
        }
        guard case .object(let object) = parsed else {
            throw APIError(.badRequest, code: "invalid_json", message: "The request body must be a JSON object")
        }
        self.object = object
    }

    func has(_ key: String) -> Bool { object[key] != nil }

    mutating func string(_ key: String, required: Bool = false) -> String? {
        known.insert(key)
        guard let value = object[key], value != .null else {
            if required { errors.add(prefix + key, "\(key) is required") }
            return nil
        }
        guard case .string(let string) = value else {
            errors.add(prefix + key, "\(key) must be a string")
            return nil
        }
        guard !string.unicodeScalars.contains("\0") else {
            errors.add(prefix + key, "\(key) must not contain a NUL character")
            return nil
        }
        return string
    }

    mutating func bool(_ key: String) -> Bool? {
        known.insert(key)
        guard let value = object[key], value != .null else { return nil }
        guard case .bool(let bool) = value else {
            errors.add(prefix + key, "\(key) must be true or false")
            return nil
        }
        return bool
    }

    mutating func int(_ key: String, range: ClosedRange<Int>) -> Int? {
        known.insert(key)
        guard let value = object[key], value != .null else { return nil }
        guard case .number(let number) = value, number == number.rounded(), abs(number) < 1e15 else {
            errors.add(prefix + key, "\(key) must be a whole number")
            return nil
        }
        let int = Int(number)
        guard range.contains(int) else {
            errors.add(prefix + key, "\(key) must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return int
    }

    mutating func double(_ key: String, range: ClosedRange<Double>) -> Double? {
        known.insert(key)
        guard let value = object[key], value != .null else { return nil }
        guard case .number(let number) = value, number.isFinite else {
            errors.add(prefix + key, "\(key) must be a number")
            return nil
        }
        guard range.contains(number) else {
            errors.add(prefix + key, "\(key) must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return number
    }

    mutating func strings(_ key: String, required: Bool = false) -> [String]? {
        known.insert(key)
        guard let value = object[key], value != .null else {
            if required { errors.add(prefix + key, "\(key) is required") }
            return nil
        }
        guard case .array(let array) = value else {
            errors.add(prefix + key, "\(key) must be an array of strings")
            return nil
        }
        var strings: [String] = []
        for item in array {
            guard case .string(let string) = item, !string.unicodeScalars.contains("\0") else {
                errors.add(prefix + key, "\(key) must be an array of strings")
                return nil
            }
            strings.append(string)
        }
        return strings
    }

    mutating func object(_ key: String) -> [String: JSONValue]? {
        known.insert(key)
        guard let value = object[key], value != .null else { return nil }
        guard case .object(let fields) = value else {
            errors.add(prefix + key, "\(key) must be an object")
            return nil
        }
        return fields
    }

    /// An array of objects (each read strictly by the caller), such as an escalation policy's steps.
    mutating func objects(_ key: String, required: Bool = false) -> [[String: JSONValue]]? {
        known.insert(key)
        guard let value = object[key], value != .null else {
            if required { errors.add(prefix + key, "\(key) is required") }
            return nil
        }
        guard case .array(let array) = value else {
            errors.add(prefix + key, "\(key) must be an array of objects")
            return nil
        }
        var objects: [[String: JSONValue]] = []
        for item in array {
            guard case .object(let fields) = item else {
                errors.add(prefix + key, "\(key) must be an array of objects")
                return nil
            }
            objects.append(fields)
        }
        return objects
    }

    /// Takes in the errors of an object read inside this body (`JSONInput(object:prefix:)`).
    mutating func absorb(_ problems: FieldErrors) { errors.merge(problems) }

    /// Marks a field as required when it was left out.
    mutating func require(_ key: String) { errors.add(prefix + key, "\(key) is required") }

    /// Ends reading: throws the field errors, and refuses fields the endpoint does not know.
    func finish() throws {
        let errors = problems()
        if !errors.isEmpty { throw APIError.validation(errors) }
    }

    /// The field errors so far, with a refusal of every field that was not read.
    func problems() -> FieldErrors {
        var errors = self.errors
        for key in object.keys.sorted() where !known.contains(key) {
            errors.add(prefix + key, "Unknown field \(key)")
        }
        return errors
    }
}

extension String {
    init?(validatingUTF8Data data: Data) {
        guard let string = String(bytes: data, encoding: .utf8) else { return nil }
        self = string
    }
}

/// Any JSON value, decoded strictly: `true` is never a number and `1` is never a boolean.
enum JSONValue: Codable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let bool = try? container.decode(Bool.self) { self = .bool(bool) }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else if let string = try? container.decode(String.self) { self = .string(string) }
        else if let array = try? container.decode([JSONValue].self) { self = .array(array) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
