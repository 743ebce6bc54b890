import HavenCore
import Testing

@Suite("Permissions")
struct PermissionsTests {
    func actor(_ roles: Role..., units: Set<String> = []) -> Actor {
        Actor(userId: "u", organisationId: "o", roles: Set(roles), unitIds: units)
    }

    @Test("Only administrators manage the organisation, users, webhooks and the audit trail")
    func administration() {
        for role in Role.allCases {
            let expected = role == .admin
            for action in [Action.manageOrganisation, .manageUsers, .manageWebhooks, .viewAuditTrail, .issuePasswordReset] {
                #expect(Access.allows(actor(role), action) == expected, "\(role) \(action)")
            }
        }
    }

    @Test("Everyone signed in sees home, notifications, units and their own account; no roles sees nothing")
    func everyone() {
        for role in Role.allCases {
            for action in [Action.viewHome, .viewNotifications, .viewOrganisation, .manageOwnAccount] {
                #expect(Access.allows(actor(role), action))
            }
        }
        #expect(!Access.allows(actor(), .viewHome))
    }

    @Test("A manager records activity and sees people only for the units they manage")
    func managerScope() {
        let manager = actor(.manager, units: ["oak", "ash"])
        #expect(Access.allows(manager, .recordActivity, unitId: "oak"))
        #expect(!Access.allows(manager, .recordActivity, unitId: "ed"))
        #expect(Access.scope(of: manager, for: .viewUsers) == .units(["oak", "ash"]))
        #expect(!Access.allows(actor(.manager), .recordActivity), "a manager of no units records nothing")
        #expect(Access.scope(of: actor(.safetyLead), for: .viewUsers) == .all)
        #expect(Access.scope(of: actor(.hrCaseHandler), for: .viewUsers) == .all)
        #expect(Access.scope(of: actor(.staff), for: .viewUsers) == .none)
        #expect(Access.scope(of: actor(.partnershipRep), for: .viewUsers) == .none, "partnership reps see only anonymised views")
    }

    @Test("Unknown roles are refused with the valid ones listed")
    func roleParsing() throws {
        #expect(try Role.parse(" Safety-Lead ") == .safetyLead)
        do {
            _ = try Role.parse("boss")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("boss"))
            for role in Role.allCases { #expect(error.message.contains(role.rawValue)) }
        }
    }
}
