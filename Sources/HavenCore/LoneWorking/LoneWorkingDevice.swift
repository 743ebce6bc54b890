import Foundation

/// A lone-worker device issued to a person (a BS 8484 pendant, an app on a work phone): the register REFERENCE §15 E 35
/// asks for, with the supplier and whether the service is certified to BS 8484 (which decides police Level 1 response).
public struct LoneWorkingDevice: Codable, Sendable, Equatable {
    public var id: String
    public var organisationId: String
    /// The device id or serial number the supplier's platform sends with each event.
    public var reference: String
    public var userId: String
    /// The team whose monitors answer this device's alarms when its user is not on a visit.
    public var unitId: String
    public var supplier: String
    public var bs8484Certified: Bool
    public var certificateReference: String
    public var active: Bool
    public var issuedAt: Date
    public var retiredAt: Date?

    public init(id: String, organisationId: String, reference: String, userId: String, unitId: String, supplier: String,
                bs8484Certified: Bool, certificateReference: String, active: Bool = true, issuedAt: Date, retiredAt: Date? = nil) {
        self.id = id
        self.organisationId = organisationId
        self.reference = reference
        self.userId = userId
        self.unitId = unitId
        self.supplier = supplier
        self.bs8484Certified = bs8484Certified
        self.certificateReference = certificateReference
        self.active = active
        self.issuedAt = issuedAt
        self.retiredAt = retiredAt
    }

    /// The register's own checks (the store checks that the person and unit exist). A certified service must name its
    /// certificate, so an auditor can look it up.
    public static func validate(reference: String, supplier: String, certified: Bool, certificate: String, into errors: inout FieldErrors) {
        if reference.isEmpty { errors.add("deviceId", "Enter the device id or serial number") }
        else if reference.count > 100 { errors.add("deviceId", "The device id must be 100 characters or fewer") }
        if supplier.count > 200 { errors.add("supplier", "The supplier must be 200 characters or fewer") }
        if certified && certificate.isEmpty { errors.add("certificateReference", "Enter the BS 8484 certificate reference") }
        if certificate.count > 200 { errors.add("certificateReference", "The certificate reference must be 200 characters or fewer") }
    }
}

/// What a device or ARC reports (issue 4: panic, fall, no movement, test activation).
public enum AlarmEventKind: String, CaseIterable, Codable, Sendable {
    case panic
    case fall
    case noMovement = "no-movement"
    case testActivation = "test-activation"

    public var displayName: String {
        switch self {
        case .panic: "Device panic alarm"
        case .fall: "Fall detected"
        case .noMovement: "No movement detected"
        case .testActivation: "Test activation"
        }
    }

    /// A test proves the device and the ARC's link work; it must never call anyone out.
    public var escalates: Bool { self != .testActivation }
}

/// What an inbound event did.
public enum AlarmEventResult: String, CaseIterable, Codable, Sendable {
    /// Recorded only (a test activation).
    case testRecorded = "test-recorded"
    /// Raised the alarm on the user's open visit.
    case alarmRaised = "alarm-raised"
    /// The visit's alarm was already standing: added to its log, nothing sent twice.
    case joinedAlarm = "joined-alarm"
    /// The user was on no visit: an alarm session was opened for them.
    case sessionOpened = "session-opened"
}

/// One event received from a device or ARC.
public struct AlarmEvent: Codable, Sendable, Equatable {
    public var id: String
    public var organisationId: String
    public var integrationId: String
    public var deviceId: String
    public var userId: String
    public var kind: AlarmEventKind
    /// The sender's own id for the event, so a retried call is recognised and not acted on twice.
    public var externalId: String?
    public var occurredAt: Date
    public var receivedAt: Date
    public var latitude: Double?
    public var longitude: Double?
    public var audioAvailable: Bool
    public var detail: String
    public var sessionId: String?
    public var result: AlarmEventResult

    public init(id: String, organisationId: String, integrationId: String, deviceId: String, userId: String, kind: AlarmEventKind,
                externalId: String?, occurredAt: Date, receivedAt: Date, latitude: Double?, longitude: Double?, audioAvailable: Bool,
                detail: String, sessionId: String?, result: AlarmEventResult) {
        self.id = id
        self.organisationId = organisationId
        self.integrationId = integrationId
        self.deviceId = deviceId
        self.userId = userId
        self.kind = kind
        self.externalId = externalId
        self.occurredAt = occurredAt
        self.receivedAt = receivedAt
        self.latitude = latitude
        self.longitude = longitude
        self.audioAvailable = audioAvailable
        self.detail = detail
        self.sessionId = sessionId
        self.result = result
    }
}
