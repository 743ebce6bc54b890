import Foundation
import HavenCore

/// The API's shapes for the organisation and its parts (documented in the OpenAPI document).
struct OrganisationJSON: Encodable {
    var id: String
    var name: String
    var timeZone: String
    var rulePack: String
    var allowsUnsignedReports: Bool
    var requiresTwoFactorForPrivileged: Bool
    var reviewTargetDays: Int
    var welfareCheckHours: Int

    init(_ organisation: Organisation) {
        id = organisation.id
        name = organisation.name
        timeZone = organisation.timeZone
        rulePack = organisation.rulePack.rawValue
        allowsUnsignedReports = organisation.allowsUnsignedReports
        requiresTwoFactorForPrivileged = organisation.requiresTwoFactorForPrivileged
        reviewTargetDays = organisation.reviewTargetDays
        welfareCheckHours = organisation.welfareCheckHours
    }
}

struct SiteJSON: Encodable {
    var id: String
    var name: String
    var address: String

    init(_ site: Site) {
        id = site.id
        name = site.name
        address = site.address
    }
}

struct UnitJSON: Encodable {
    var id: String
    var siteId: String
    var code: String
    var name: String
    var kind: String
    var beds: Int?
    var staffWTE: Double?

    init(_ unit: CareUnit) {
        id = unit.id
        siteId = unit.siteId
        code = unit.code
        name = unit.name
        kind = unit.kind.rawValue
        beds = unit.beds
        staffWTE = unit.staffWTE
    }

}

struct ActivityJSON: Encodable {
    var unitId: String
    var month: String
    var occupiedBedDays: Int?
    var staffWTE: Double?

    init(_ activity: UnitActivity) {
        unitId = activity.unitId
        month = activity.month
        occupiedBedDays = activity.occupiedBedDays
        staffWTE = activity.staffWTE
    }

}

struct UserJSON: Encodable {
    var id: String
    var email: String
    var name: String
    var jobTitle: String
    var roles: [String]
    var unitIds: [String]
    var active: Bool
    var twoFactorEnabled: Bool

    init(_ user: User) {
        id = user.id
        email = user.email
        name = user.name
        jobTitle = user.jobTitle
        roles = user.roles.sorted().map(\.rawValue)
        unitIds = user.unitIds.sorted()
        active = user.active
        twoFactorEnabled = user.twoFactorEnabled
    }
}
