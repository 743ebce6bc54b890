/// The roles of DESIGN.md. A user may hold several.
public enum Role: String, CaseIterable, Codable, Sendable, Comparable {
    case staff
    case manager
    case safetyLead = "safety-lead"
    case restrictivePracticeLead = "restrictive-practice-lead"
    case trainer
    case hrCaseHandler = "hr-case-handler"
    case partnershipRep = "partnership-rep"
    case executive
    case admin

    public var displayName: String {
        switch self {
        case .staff: "Staff member"
        case .manager: "Ward or team manager"
        case .safetyLead: "Security and safety lead"
        case .restrictivePracticeLead: "Restrictive practice lead"
        case .trainer: "Trainer"
        case .hrCaseHandler: "HR case handler"
        case .partnershipRep: "Partnership (staff-side) representative"
        case .executive: "Board or executive"
        case .admin: "Administrator"
        }
    }

    /// Roles that can see many people's sensitive records or change the organisation;
    /// the organisation may require a second factor for them.
    public var isPrivileged: Bool {
        switch self {
        case .staff, .trainer, .partnershipRep: false
        case .manager, .safetyLead, .restrictivePracticeLead, .hrCaseHandler, .executive, .admin: true
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Parses a role name, listing the valid ones when it is unknown.
    public static func parse(_ text: String) throws(ValidationError) -> Role {
        guard let role = Role(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw ValidationError(field: "role", message:
                "Unknown role '\(text)'. Valid roles: \(allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return role
    }
}

import Foundation
