import Foundation
import HavenCore
import HavenData
import HavenServices
import HTTPTypes
import Hummingbird

/// `POST /api/v1/integrations/alarm-events`: events from lone-worker devices and alarm receiving centres.
///
/// Two checks, both needed: the integration's bearer token (stored hashed) says who is calling, and
/// `X-Haven-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with the integration's secret (the outbound
/// webhooks' convention) proves the body was not altered or replayed under a stolen token alone. A failed check is
/// 401 and is logged (and audited when the token is known). No user signs in, so the route has no permission action;
/// the integration's organisation scopes everything it touches.
struct AlarmEventsAPI {
    let web: WebContext
    var store: LoneWorkingStore { web.environment.loneWorking.store }
    static let path = "/api/v1/integrations/alarm-events"
    static let signatureHeader = HTTPField.Name("X-Haven-Signature")!

    func register(_ routes: Routes) {
        routes.addPublic(.post, Self.path, api: true) { request, context in
            var request = request
            let address = context.remoteAddress
            guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer "),
                  let (integration, secret) = try await store.integration(forToken: String(header.dropFirst("bearer ".count))
                      .trimmingCharacters(in: .whitespaces)) else {
                try await reject(nil, "Unknown, revoked or missing integration token", address: address, context: context)
                throw APIError(.unauthorized, code: "unauthenticated", message: "Send the integration's bearer token in the Authorization header",
                               headers: [.wwwAuthenticate: "Bearer"])
            }
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            let expected = DeliveryWorker.signature(bytes: Data(buffer: body), secret: secret)
            guard let sent = request.headers[Self.signatureHeader]?.trimmingCharacters(in: .whitespaces),
                  CSRFMiddleware.constantTimeEqual(sent.lowercased(), expected) else {
                let reason = request.headers[Self.signatureHeader] == nil ? "No X-Haven-Signature header" : "X-Haven-Signature does not match the body"
                try await reject(integration, reason, address: address, context: context)
                throw APIError(.unauthorized, code: "bad_signature",
                               message: "\(reason): send sha256= and the hex HMAC-SHA256 of the exact body, keyed with the integration's secret")
            }
            var input = try await JSONInput(request, context: context)
            let (event, reference) = try Self.event(&input)
            guard let device = try await store.activeDevice(reference: reference, organisationId: integration.organisationId) else {
                throw APIError(HTTPResponse.Status(code: 422), code: "unknown_device",
                               message: "deviceId: no active device with this id is registered",
                               fields: ["deviceId": "No active device with this id is registered; add it to the device register first"])
            }
            let origin = Origin(organisationId: integration.organisationId, actorId: nil, requestId: context.id, address: address)
            let (stored, repeated) = try await web.environment.loneWorking.receive(event, device: device, integration: integration, origin: origin)
            // A retried call gets the first answer, with 200 rather than 201: nothing new was created.
            return try jsonResponse(AlarmEventJSON(stored, device: device), status: repeated ? .ok : .created)
        }
    }

    /// The event's fields, read strictly; each problem names its field.
    static func event(_ input: inout JSONInput) throws -> (LoneWorking.DeviceEvent, String) {
        var errors = FieldErrors()
        let kindText = input.string("event", required: true)
        let kind = kindText.flatMap(AlarmEventKind.init(rawValue:))
        if kindText != nil && kind == nil {
            errors.add("event", "event must be one of \(AlarmEventKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let reference = input.string("deviceId", required: true)?.trimmingCharacters(in: .whitespaces) ?? ""
        if input.has("deviceId") && reference.isEmpty && input.errors["deviceId"] == nil { errors.add("deviceId", "deviceId must not be empty") }
        let externalId = input.string("eventId")
        if let externalId, externalId.isEmpty || externalId.count > 200 { errors.add("eventId", "eventId must be 1 to 200 characters") }
        var occurredAt: Date?
        if let text = input.string("occurredAt") {
            occurredAt = LoneWorkingInput.date(text)
            if occurredAt == nil { errors.add("occurredAt", "occurredAt must be an ISO 8601 date and time, like 2026-11-27T21:30:00Z") }
        }
        let latitude = input.double("latitude", range: -90...90), longitude = input.double("longitude", range: -180...180)
        if (latitude == nil) != (longitude == nil) && input.errors["latitude"] == nil && input.errors["longitude"] == nil {
            errors.add(latitude == nil ? "latitude" : "longitude", "Send latitude and longitude together")
        }
        let audio = input.bool("audioAvailable") ?? false
        let detail = Validate.text(input.string("detail"), field: "detail", label: "Detail", required: false, max: 500, into: &errors)
        errors.merge(input.errors)
        // Unknown fields are named together with the others, so one answer lists every problem.
        do { try input.finish() } catch let error as APIError { for (field, message) in error.fields.sorted(by: { $0.key < $1.key }) { errors.add(field, message) } }
        if !errors.isEmpty { throw APIError.validation(errors) }
        return (LoneWorking.DeviceEvent(kind: kind ?? .panic, externalId: externalId, occurredAt: occurredAt, latitude: latitude, longitude: longitude,
                                        audioAvailable: audio, detail: detail), reference)
    }

    func reject(_ integration: LoneWorkingIntegration?, _ reason: String, address: String, context: HavenRequestContext) async throws {
        web.environment.logger.warning("Alarm event refused from \(address): \(reason)\(integration.map { " (integration \($0.id))" } ?? "")")
        try await store.recordRejection(integration: integration, reason: reason, address: address, requestId: context.id)
    }
}

/// An alarm event as the API shows it.
struct AlarmEventJSON: Encodable {
    var id: String
    var event: String
    var eventId: String?
    var deviceId: String
    var userId: String
    var sessionId: String?
    var result: String
    var occurredAt: Date
    var receivedAt: Date

    init(_ event: AlarmEvent, device: LoneWorkingDevice) {
        id = event.id
        self.event = event.kind.rawValue
        eventId = event.externalId
        deviceId = device.reference
        userId = event.userId
        sessionId = event.sessionId
        result = event.result.rawValue
        occurredAt = event.occurredAt
        receivedAt = event.receivedAt
    }
}
