import Foundation

/// What an integration is: it decides whether an escalation step may call it.
public enum IntegrationKind: String, CaseIterable, Codable, Sendable {
    /// A device supplier's platform: it posts alarm events from pendants and apps.
    case devicePlatform = "device-platform"
    /// An alarm receiving centre (ARC): it posts alarm events, and its controllers can be called by an escalation step.
    case alarmReceivingCentre = "alarm-receiving-centre"

    public var displayName: String {
        switch self {
        case .devicePlatform: "Device supplier's platform"
        case .alarmReceivingCentre: "Alarm receiving centre"
        }
    }
}

/// A system allowed to post alarm events: a device supplier's platform or an alarm receiving centre (ARC). For an
/// ARC it also keeps what REFERENCE §15 E 35 asks to record: its BS 8484 certification, the police Unique Reference
/// Number (URN) that gets its calls a Level 1 (immediate) police response, and the response agreement; and the
/// address an escalation step calls (`outboundURL`), signed with the same secret the ARC signs its events with.
public struct LoneWorkingIntegration: Codable, Sendable, Equatable {
    public var id: String
    public var organisationId: String
    public var name: String
    public var kind: IntegrationKind
    /// Where an escalation step posts its call; empty when the integration is never called.
    public var outboundURL: String
    public var bs8484Certified: Bool
    public var certificateReference: String
    /// The police URN issued for this service; empty when it has none.
    public var policeURN: String
    /// Whether the police have agreed a Level 1 response to this ARC's calls (NPCC policy: needs a URN and certification).
    public var level1Response: Bool
    /// What the ARC does when called (who it rings, in what order, when it calls the police), as agreed with it.
    public var responseAgreement: String
    public var active: Bool
    public var createdAt: Date
    public var revokedAt: Date?
    public var lastUsedAt: Date?

    public init(id: String, organisationId: String, name: String, kind: IntegrationKind = .devicePlatform, outboundURL: String = "",
                bs8484Certified: Bool = false, certificateReference: String = "", policeURN: String = "", level1Response: Bool = false,
                responseAgreement: String = "", active: Bool, createdAt: Date, revokedAt: Date?, lastUsedAt: Date?) {
        self.id = id
        self.organisationId = organisationId
        self.name = name
        self.kind = kind
        self.outboundURL = outboundURL
        self.bs8484Certified = bs8484Certified
        self.certificateReference = certificateReference
        self.policeURN = policeURN
        self.level1Response = level1Response
        self.responseAgreement = responseAgreement
        self.active = active
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
    }

    /// Whether an escalation step can call it now.
    public var callable: Bool { whyNotCallable == nil }

    /// Why an escalation step cannot call it now, in words for the person writing the policy; nil when it can.
    public var whyNotCallable: String? {
        if !active { return "That integration has been revoked" }
        if kind != .alarmReceivingCentre { return "That integration is not an alarm receiving centre" }
        if outboundURL.isEmpty { return "That alarm receiving centre has no address to call: add one on its page" }
        return nil
    }

    public static let maximumAgreementLength = 4_000

    /// The integration's own checks; the caller checks the outbound address against the webhook address policy.
    /// Field names are the API's.
    public static func validate(_ integration: LoneWorkingIntegration, into errors: inout FieldErrors) {
        if integration.name.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("name", "Enter a name") }
        else if integration.name.count > 200 { errors.add("name", "Name must be 200 characters or fewer") }
        if integration.outboundURL.count > 2_000 { errors.add("outboundUrl", "The address must be 2000 characters or fewer") }
        else if !integration.outboundURL.isEmpty && integration.kind != .alarmReceivingCentre {
            errors.add("outboundUrl", "Only an alarm receiving centre is called by escalation steps: leave this empty or change the kind")
        }
        if integration.bs8484Certified && integration.certificateReference.isEmpty {
            errors.add("certificateReference", "Enter the BS 8484 certificate reference")
        }
        if integration.certificateReference.count > 200 { errors.add("certificateReference", "The certificate reference must be 200 characters or fewer") }
        if integration.policeURN.count > 100 { errors.add("policeUrn", "The URN must be 100 characters or fewer") }
        if integration.level1Response {
            if integration.kind != .alarmReceivingCentre {
                errors.add("level1Response", "Only an alarm receiving centre gets a Level 1 police response")
            } else if integration.policeURN.isEmpty {
                errors.add("policeUrn", "A Level 1 police response needs the police URN")
            } else if !integration.bs8484Certified {
                errors.add("bs8484Certified", "A Level 1 police response needs a service certified to BS 8484")
            }
        }
        if integration.responseAgreement.count > maximumAgreementLength {
            errors.add("responseAgreement", "The response agreement must be \(maximumAgreementLength) characters or fewer")
        }
    }
}
