import Foundation

/// The rule pack decides which national rules apply: reporting deadlines, report formats, wording.
public enum RulePack: String, CaseIterable, Codable, Sendable {
    case england
    case california
    case jointCommission = "joint-commission"

    public var displayName: String {
        switch self {
        case .england: "England (HSE, RIDDOR, NHS standards)"
        case .california: "California (SB 553, Title 8 §3342)"
        case .jointCommission: "US hospitals (Joint Commission)"
        }
    }
}

/// The kinds of unit the sources distinguish; risk, staffing and reporting differ between them.
public enum UnitKind: String, CaseIterable, Codable, Sendable {
    case inpatientWard = "inpatient-ward"
    case mentalHealthWard = "mental-health-ward"
    case emergencyDepartment = "emergency-department"
    case communityTeam = "community-team"
    case careHome = "care-home"
    case domiciliaryCare = "domiciliary-care"
    case primaryCare = "primary-care"
    case other

    public var displayName: String {
        switch self {
        case .inpatientWard: "Inpatient ward"
        case .mentalHealthWard: "Mental health ward"
        case .emergencyDepartment: "Emergency department"
        case .communityTeam: "Community team"
        case .careHome: "Care home"
        case .domiciliaryCare: "Domiciliary care"
        case .primaryCare: "Primary care"
        case .other: "Other"
        }
    }
}

public struct Organisation: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var timeZone: String
    public var rulePack: RulePack
    /// Whether people may report without signing in (an organisation decision, see issue 3).
    public var allowsUnsignedReports: Bool
    /// Whether privileged roles must use a TOTP second factor.
    public var requiresTwoFactorForPrivileged: Bool
    /// Working days within which a new incident report should be reviewed (issue 3: default 5).
    public var reviewTargetDays = 5
    /// Hours within which a welfare check is offered after an incident (default 24).
    public var welfareCheckHours = 24

    public init(id: String, name: String, timeZone: String, rulePack: RulePack,
                allowsUnsignedReports: Bool = false, requiresTwoFactorForPrivileged: Bool = false) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.rulePack = rulePack
        self.allowsUnsignedReports = allowsUnsignedReports
        self.requiresTwoFactorForPrivileged = requiresTwoFactorForPrivileged
    }
}

public struct Site: Codable, Sendable, Equatable {
    public var id: String
    public var organisationId: String
    public var name: String
    public var address: String

    public init(id: String, organisationId: String, name: String, address: String) {
        self.id = id
        self.organisationId = organisationId
        self.name = name
        self.address = address
    }
}

/// A ward, team or home: named CareUnit because Foundation already has a `Unit`.
public struct CareUnit: Codable, Sendable, Equatable {
    public var id: String
    public var organisationId: String
    public var siteId: String
    public var code: String
    public var name: String
    public var kind: UnitKind
    public var beds: Int?
    public var staffWTE: Double?

    public init(id: String, organisationId: String, siteId: String, code: String, name: String,
                kind: UnitKind, beds: Int?, staffWTE: Double?) {
        self.id = id
        self.organisationId = organisationId
        self.siteId = siteId
        self.code = code
        self.name = name
        self.kind = kind
        self.beds = beds
        self.staffWTE = staffWTE
    }
}

/// Monthly activity per unit: the denominators for incident and restraint rates
/// (per 1,000 occupied bed days, per 100 WTE).
public struct UnitActivity: Codable, Sendable, Equatable {
    public var unitId: String
    /// First day of the month, `YYYY-MM`.
    public var month: String
    public var occupiedBedDays: Int?
    public var staffWTE: Double?

    public init(unitId: String, month: String, occupiedBedDays: Int?, staffWTE: Double?) {
        self.unitId = unitId
        self.month = month
        self.occupiedBedDays = occupiedBedDays
        self.staffWTE = staffWTE
    }
}
