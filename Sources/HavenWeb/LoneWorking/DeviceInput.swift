import Foundation
import HavenCore
import HavenServices

/// The checks on a device in the register, shared by the pages and the API, with errors named after the API's fields.
enum DeviceInput {
    struct Fields {
        var reference: String?
        var userId: String?
        var unitId: String?
        var supplier: String?
        var certified: Bool?
        var certificate: String?
        var active: Bool?
    }

    /// Applies `fields` to `device` (a new one when nil) and checks the result: the person must be an active member of
    /// the organisation, and the unit (the team that answers the device when its user is not on a visit) one of its
    /// units, by default the person's only unit.
    static func apply(_ fields: Fields, to existing: LoneWorkingDevice?, organisationId: String, environment: HavenEnvironment, now: Date)
        async throws -> LoneWorkingDevice {
        var errors = FieldErrors()
        let reference = Validate.text(fields.reference ?? existing?.reference, field: "deviceId", label: "Device id", required: true, max: 100, into: &errors)
        let supplier = Validate.text(fields.supplier ?? existing?.supplier, field: "supplier", label: "Supplier", required: false, max: 200, into: &errors)
        let certificate = Validate.text(fields.certificate ?? existing?.certificateReference, field: "certificateReference",
                                        label: "Certificate reference", required: false, max: 200, into: &errors)
        let certified = fields.certified ?? existing?.bs8484Certified ?? false
        if errors.isEmpty { LoneWorkingDevice.validate(reference: reference, supplier: supplier, certified: certified, certificate: certificate, into: &errors) }
        var user: User?
        if let userId = fields.userId ?? existing?.userId, !userId.isEmpty {
            user = try await environment.users.find(id: userId, organisationId: organisationId)?.user
            if user?.active != true { errors.add("userId", "Choose an active person from the list"); user = nil }
        } else {
            errors.add("userId", "Choose who carries the device")
        }
        var unitId = fields.unitId ?? (fields.userId == nil ? existing?.unitId : nil)
        if unitId?.isEmpty ?? true { unitId = user.flatMap { $0.unitIds.count == 1 ? $0.unitIds.first : nil } }
        if let chosen = unitId {
            if try await environment.organisations.unit(id: chosen, organisationId: organisationId) == nil { errors.add("unitId", "Choose a unit from the list") }
        } else if user != nil {
            errors.add("unitId", "Choose the team whose monitors answer this device when its user is not on a visit")
        }
        try errors.throwIfAny()
        let active = fields.active ?? existing?.active ?? true
        var device = existing ?? LoneWorkingDevice(id: Identifier.make(), organisationId: organisationId, reference: reference, userId: "", unitId: "",
                                                   supplier: "", bs8484Certified: false, certificateReference: "", issuedAt: now)
        device.reference = reference
        device.userId = user?.id ?? ""
        device.unitId = unitId ?? ""
        device.supplier = supplier
        device.bs8484Certified = certified
        device.certificateReference = certificate
        if active != device.active || existing == nil { device.retiredAt = active ? nil : now }
        device.active = active
        return device
    }

    /// The API body of a new or changed device.
    static func fields(_ input: inout JSONInput, isNew: Bool) -> Fields {
        Fields(reference: input.string("deviceId", required: isNew), userId: input.string("userId", required: isNew), unitId: input.string("unitId"),
               supplier: input.string("supplier"), certified: input.bool("bs8484Certified"), certificate: input.string("certificateReference"),
               active: isNew ? nil : input.bool("active"))
    }
}

/// A device as the API shows it.
struct DeviceJSON: Encodable {
    var id: String
    var deviceId: String
    var userId: String
    var unitId: String
    var supplier: String
    var bs8484Certified: Bool
    var certificateReference: String
    var active: Bool
    var issuedAt: Date
    var retiredAt: Date?

    init(_ device: LoneWorkingDevice) {
        id = device.id
        deviceId = device.reference
        userId = device.userId
        unitId = device.unitId
        supplier = device.supplier
        bs8484Certified = device.bs8484Certified
        certificateReference = device.certificateReference
        active = device.active
        issuedAt = device.issuedAt
        retiredAt = device.retiredAt
    }
}
