import Foundation
import HavenCore
import HavenData

/// A demonstration organisation: two sites, units of several kinds, a user in every role and some activity figures.
public enum DemoSeed {
    public static let emailDomain = "demo.haven.example"

    public static func email(for role: Role) -> String { "\(role.rawValue)@\(emailDomain)" }

    public struct Result: Sendable {
        public var organisation: Organisation
        /// Role → e-mail address, all with the same password.
        public var accounts: [(role: Role, email: String)]
        public var password: String
        public var created: Bool
    }

    /// Seeds the demo organisation unless the database already has one; idempotent.
    public static func run(_ environment: HavenEnvironment, password: String) async throws -> Result {
        let accounts = Role.allCases.map { ($0, email(for: $0)) }
        if let existing = try await environment.organisations.primaryOrganisation() {
            return Result(organisation: existing, accounts: accounts, password: password, created: false)
        }
        let organisation = Organisation(id: Identifier.make(), name: "Riverside Health and Care NHS Trust", timeZone: "Europe/London",
                                        rulePack: .england, allowsUnsignedReports: true, requiresTwoFactorForPrivileged: false)
        try await environment.organisations.create(organisation)
        let origin = Origin(organisationId: organisation.id, actorId: nil, requestId: "demo-seed")
        let general = Site(id: Identifier.make(), organisationId: organisation.id, name: "Riverside General Hospital", address: "1 River Road, Northtown")
        let community = Site(id: Identifier.make(), organisationId: organisation.id, name: "Northtown Community Hub", address: "14 Market Street, Northtown")
        try await environment.organisations.save(general, origin: origin)
        try await environment.organisations.save(community, origin: origin)
        let units: [(String, String, UnitKind, Site, Int?, Double)] = [
            ("OAK", "Oak Ward (acute mental health)", .mentalHealthWard, general, 18, 32.5),
            ("ASH", "Ash Ward (older adults)", .inpatientWard, general, 24, 38.0),
            ("ED", "Emergency Department", .emergencyDepartment, general, nil, 95.0),
            ("CMHT-N", "North Community Mental Health Team", .communityTeam, community, nil, 21.6),
            ("WILLOW", "Willow House care home", .careHome, community, 40, 45.0),
            ("HOME-N", "North Home Care", .domiciliaryCare, community, nil, 27.0),
        ]
        var unitIds: [String: String] = [:]
        for (code, name, kind, site, beds, wte) in units {
            let unit = CareUnit(id: Identifier.make(), organisationId: organisation.id, siteId: site.id, code: code, name: name,
                                kind: kind, beds: beds, staffWTE: wte)
            try await environment.organisations.save(unit, origin: origin)
            unitIds[code] = unit.id
            // Three months of activity so rates have denominators from the start.
            if let beds {
                for month in ["2026-08", "2026-09", "2026-10"] {
                    let activity = UnitActivity(unitId: unit.id, month: month, occupiedBedDays: beds * 30 * 9 / 10, staffWTE: wte)
                    try await environment.organisations.record(activity, origin: origin)
                }
            }
        }
        let people: [(Role, String, String, [String])] = [
            (.staff, "Sam Okafor", "Staff nurse", ["OAK"]),
            (.manager, "Priya Shah", "Ward manager", ["OAK", "ASH"]),
            (.safetyLead, "Tom Hughes", "Head of security and health and safety", []),
            (.restrictivePracticeLead, "Dr Helen Price", "Restrictive practice lead", []),
            (.trainer, "Gareth Jones", "Violence reduction trainer", []),
            (.hrCaseHandler, "Alison Reid", "HR case manager", []),
            (.partnershipRep, "Marcus Bell", "Staff-side partnership representative", []),
            (.executive, "Janet Clarke", "Director of nursing", []),
            (.admin, "Ravi Patel", "Haven administrator", []),
        ]
        let hash = try await environment.accounts.hash(password: password)
        for (role, name, title, codes) in people {
            let user = User(id: Identifier.make(), organisationId: organisation.id, email: email(for: role), name: name, jobTitle: title,
                            roles: [role], unitIds: Set(codes.compactMap { unitIds[$0] }))
            try await environment.users.create(user, passwordHash: hash, origin: origin)
        }
        return Result(organisation: organisation, accounts: accounts, password: password, created: true)
    }
}
