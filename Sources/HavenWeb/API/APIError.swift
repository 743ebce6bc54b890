import Foundation
import HavenCore
import Hummingbird

/// An error the API answers with `{"error": {"code", "message", "fields"}}` and a 4xx status.
public struct APIError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var fields: [String: String]
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: String, message: String, fields: [String: String] = [:], headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.headers = headers
    }

    static func validation(_ errors: FieldErrors) -> APIError {
        APIError(.badRequest, code: "validation_failed",
                 message: errors.items.first.map { "\($0.field): \($0.message)" } ?? "The request is not valid",
                 fields: errors.asDictionary)
    }

    static let unauthenticated = APIError(.unauthorized, code: "unauthenticated",
                                          message: "Sign in first: send a bearer token in the Authorization header",
                                          headers: [.wwwAuthenticate: "Bearer"])
    static let forbidden = APIError(.forbidden, code: "forbidden", message: "Your role does not allow this")
    static func notFound(_ what: String = "record") -> APIError {
        APIError(.notFound, code: "not_found", message: "No such \(what)")
    }

    func response() -> Response {
        struct Body: Encodable {
            struct Detail: Encodable {
                var code: String
                var message: String
                var fields: [String: String]?
            }
            var error: Detail
        }
        let body = Body(error: .init(code: code, message: message, fields: fields.isEmpty ? nil : fields))
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        let data = (try? JSONEncoder.api.encode(body)) ?? Data()
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension JSONEncoder {
    /// Sorted keys and ISO 8601 dates: stable output that matches the OpenAPI document. One encoder for every
    /// response (JSONEncoder is Sendable and keeps no state between calls); nothing may change its settings.
    static let api: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.iso8601)
        }
        return encoder
    }()
}

/// Encodes a value as a JSON response.
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    jsonResponse(body: ByteBuffer(bytes: try JSONEncoder.api.encode(value)), status: status)
}

/// A JSON response whose body is already written (by `JSONObjectWriter` or a hand-written writer).
func jsonResponse(body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
             body: .init(byteBuffer: body))
}
