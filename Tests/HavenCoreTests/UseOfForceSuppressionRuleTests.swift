import HavenCore
import Testing

@Suite("Use of force: who has small numbers withheld")
struct UseOfForceSuppressionRuleTests {
    let oak = "unit-oak", elm = "unit-elm"

    func actor(_ roles: Set<Role>, units: Set<String> = []) -> Actor {
        Actor(userId: "u", organisationId: "o", roles: roles, unitIds: units)
    }

    @Test("Withheld for a representative alone; not for leads, the board or a manager's own units")
    func rule() {
        #expect(UseOfForceAccess.withholdsSmallNumbers(from: actor([.partnershipRep]), unitIds: nil))
        #expect(UseOfForceAccess.withholdsSmallNumbers(from: actor([.partnershipRep]), unitIds: [oak]))
        for role in [Role.restrictivePracticeLead, .safetyLead, .executive] {
            #expect(!UseOfForceAccess.withholdsSmallNumbers(from: actor([role, .partnershipRep]), unitIds: nil), "\(role)")
        }
        let manager = actor([.manager, .partnershipRep], units: [oak])
        #expect(!UseOfForceAccess.withholdsSmallNumbers(from: manager, unitIds: [oak]))
        #expect(UseOfForceAccess.withholdsSmallNumbers(from: manager, unitIds: [oak, elm]))
        #expect(UseOfForceAccess.withholdsSmallNumbers(from: manager, unitIds: nil))
        #expect(!UseOfForceAccess.withholdsSmallNumbers(from: actor([.manager], units: [oak]), unitIds: [oak]))
    }
}
