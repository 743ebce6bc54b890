import Foundation
import HavenCore
import HavenServices

/// The checks on an integration's details, shared by the pages and the API, with errors named after the API's fields.
enum IntegrationInput {
    struct Fields {
        var name: String?
        var kind: String?
        var outboundURL: String?
        var certified: Bool?
        var certificate: String?
        var policeURN: String?
        var level1Response: Bool?
        var responseAgreement: String?
    }

    /// Applies `fields` to `existing` (a new integration when nil) and checks the result. The address an escalation
    /// step calls must pass the same address policy as a webhook endpoint (no private addresses unless allowed).
    static func apply(_ fields: Fields, to existing: LoneWorkingIntegration?, organisationId: String, policy: WebhookAddressPolicy,
                      now: Date) async throws -> LoneWorkingIntegration {
        var errors = FieldErrors()
        var integration = existing ?? LoneWorkingIntegration(id: "", organisationId: organisationId, name: "", active: true, createdAt: now,
                                                             revokedAt: nil, lastUsedAt: nil)
        func text(_ value: String?) -> String? { value?.trimmingCharacters(in: .whitespacesAndNewlines) }
        integration.name = text(fields.name) ?? integration.name
        if let kind = fields.kind {
            if let parsed = IntegrationKind(rawValue: kind) { integration.kind = parsed }
            else { errors.add("kind", "kind must be one of \(IntegrationKind.allCases.map(\.rawValue).joined(separator: ", "))") }
        }
        integration.outboundURL = text(fields.outboundURL) ?? integration.outboundURL
        integration.bs8484Certified = fields.certified ?? integration.bs8484Certified
        integration.certificateReference = text(fields.certificate) ?? integration.certificateReference
        integration.policeURN = text(fields.policeURN) ?? integration.policeURN
        integration.level1Response = fields.level1Response ?? integration.level1Response
        integration.responseAgreement = text(fields.responseAgreement) ?? integration.responseAgreement
        LoneWorkingIntegration.validate(integration, into: &errors)
        if errors["outboundUrl"] == nil && !integration.outboundURL.isEmpty, let problem = await policy.problem(with: integration.outboundURL) {
            errors.add("outboundUrl", problem)
        }
        try errors.throwIfAny()
        return integration
    }

    /// The API body of a new or changed integration.
    static func fields(_ input: inout JSONInput, isNew: Bool) -> Fields {
        Fields(name: input.string("name", required: isNew), kind: input.string("kind"), outboundURL: input.string("outboundUrl"),
               certified: input.bool("bs8484Certified"), certificate: input.string("certificateReference"), policeURN: input.string("policeUrn"),
               level1Response: input.bool("level1Response"), responseAgreement: input.string("responseAgreement"))
    }

    /// The form's fields: every one is sent, and an unticked box means no.
    static func fields(_ form: FormInput) -> Fields {
        Fields(name: form["name"] ?? "", kind: form["kind"] ?? IntegrationKind.devicePlatform.rawValue, outboundURL: form["outboundUrl"] ?? "",
               certified: form["bs8484Certified"] == "1", certificate: form["certificateReference"] ?? "", policeURN: form["policeUrn"] ?? "",
               level1Response: form["level1Response"] == "1", responseAgreement: form["responseAgreement"] ?? "")
    }
}

/// An integration as the API shows it; `token` and `secret` only in the answer that created it.
struct IntegrationJSON: Encodable {
    var id: String
    var name: String
    var kind: String
    var outboundUrl: String
    var bs8484Certified: Bool
    var certificateReference: String
    var policeUrn: String
    var level1Response: Bool
    var responseAgreement: String
    var active: Bool
    var createdAt: Date
    var revokedAt: Date?
    var lastUsedAt: Date?
    var token: String?
    var secret: String?

    init(_ integration: LoneWorkingIntegration, token: String? = nil, secret: String? = nil) {
        id = integration.id
        name = integration.name
        kind = integration.kind.rawValue
        outboundUrl = integration.outboundURL
        bs8484Certified = integration.bs8484Certified
        certificateReference = integration.certificateReference
        policeUrn = integration.policeURN
        level1Response = integration.level1Response
        responseAgreement = integration.responseAgreement
        active = integration.active
        createdAt = integration.createdAt
        revokedAt = integration.revokedAt
        lastUsedAt = integration.lastUsedAt
        self.token = token
        self.secret = secret
    }
}
