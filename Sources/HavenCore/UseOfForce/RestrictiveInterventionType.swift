import Foundation

/// The MHSDS RestrictiveIntType codes (REFERENCE §4). Codes 02 and 03 are retired and refused.
/// The physical restraint codes carry the position, so "position for physical restraint" is the code itself,
/// with a described position only for 13 (other).
public enum RestrictiveInterventionType: String, Sendable, Codable, CaseIterable {
    case prone = "01"
    case mechanical = "04"
    case seclusion = "05"
    case segregation = "06"
    case standing = "07"
    case restrictiveEscort = "08"
    case supine = "09"
    case side = "10"
    case seated = "11"
    case kneeling = "12"
    case physicalOther = "13"
    case rapidTranquillisation = "14"
    case injectionNonRapid = "15"
    case oral = "16"
    case chemicalOther = "17"

    public var code: String { rawValue }

    public var label: String {
        switch self {
        case .prone: "Physical restraint – Prone"
        case .mechanical: "Mechanical restraint"
        case .seclusion: "Seclusion"
        case .segregation: "Segregation"
        case .standing: "Physical restraint – Standing"
        case .restrictiveEscort: "Physical restraint – Restrictive escort"
        case .supine: "Physical restraint – Supine"
        case .side: "Physical restraint – Side"
        case .seated: "Physical restraint – Seated"
        case .kneeling: "Physical restraint – Kneeling"
        case .physicalOther: "Physical restraint – Other (not listed)"
        case .rapidTranquillisation: "Chemical restraint – Injection (Rapid Tranquillisation)"
        case .injectionNonRapid: "Chemical restraint – Injection (Non Rapid Tranquillisation)"
        case .oral: "Chemical restraint – Oral"
        case .chemicalOther: "Chemical restraint – Other (not listed)"
        }
    }

    public var isPhysicalRestraint: Bool {
        switch self {
        case .prone, .standing, .restrictiveEscort, .supine, .side, .seated, .kneeling, .physicalOther: true
        default: false
        }
    }

    /// "01, 04, 05, …" for an error that lists the valid codes.
    public static var validCodes: String { allCases.map(\.code).joined(separator: ", ") }
}
