import Foundation
import HavenCore
import Testing

@Suite("Lone working: rules")
struct LoneWorkingRulesTests {
    let now = Date(timeIntervalSince1970: 1_798_761_600)

    func session(state: SessionState = .active, end: TimeInterval = 3600, duress: Bool = false) -> LoneWorkSession {
        LoneWorkSession(id: "s", organisationId: "o", workerId: "w", unitId: "oak", location: "12 High St", visitKind: .homeVisit,
                        buddyId: "b", policyId: nil, policy: .builtIn(organisationId: "o"), startedAt: now, expectedEndAt: now + end,
                        state: state, escalationStep: duress ? 1 : 0, alarmAt: duress ? now : nil, duress: duress, endedAt: duress ? now : nil)
    }

    @Test("A policy needs steps; a wait must not be negative; a role step names its role")
    func policyValidation() {
        var errors = FieldErrors()
        EscalationPolicy.validate(name: "Community", graceSeconds: 300, steps: [], into: &errors)
        #expect(errors["steps"] != nil)
        errors = FieldErrors()
        EscalationPolicy.validate(name: "Community", graceSeconds: 300,
                                  steps: [EscalationStep(who: .buddy, channels: [.inApp], waitSeconds: -1),
                                          EscalationStep(who: .role, channels: [.inApp], waitSeconds: 60)], into: &errors)
        #expect(errors["steps[0].waitSeconds"] != nil)
        #expect(errors["steps[1].role"] != nil)
        errors = FieldErrors()
        EscalationPolicy.validate(name: "Community", graceSeconds: -5, steps: [EscalationStep(who: .buddy, channels: [.inApp], waitSeconds: 0)], into: &errors)
        #expect(errors["graceSeconds"] != nil)
        errors = FieldErrors()
        EscalationPolicy.validate(name: "Community", graceSeconds: 0, steps: [EscalationStep(who: .lineManager, channels: [.email], waitSeconds: 0)], into: &errors)
        #expect(errors.isEmpty)
    }

    @Test("A duress PIN has at least 4 digits and differs from the PIN")
    func pins() {
        var errors = FieldErrors()
        LoneWorkingRules.checkPins(pin: "1234", duressPin: "123", into: &errors)
        #expect(errors["duressPin"] != nil)
        errors = FieldErrors()
        LoneWorkingRules.checkPins(pin: "1234", duressPin: "1234", into: &errors)
        #expect(errors["duressPin"] == "Duress PIN must be different from your PIN")
        errors = FieldErrors()
        LoneWorkingRules.checkPins(pin: "12a4", duressPin: "9876", into: &errors)
        #expect(errors["pin"] != nil)
        errors = FieldErrors()
        LoneWorkingRules.checkPins(pin: "1234", duressPin: "9876", into: &errors)
        #expect(errors.isEmpty)
    }

    @Test("The expected end is in the future and within 24 hours")
    func expectedEnd() {
        var errors = FieldErrors()
        LoneWorkingRules.checkExpectedEnd(now - 1, now: now, field: "expectedEndAt", into: &errors)
        #expect(errors["expectedEndAt"] != nil)
        errors = FieldErrors()
        LoneWorkingRules.checkExpectedEnd(now + 24 * 3600 + 1, now: now, field: "expectedEndAt", into: &errors)
        #expect(errors["expectedEndAt"] != nil)
        errors = FieldErrors()
        LoneWorkingRules.checkExpectedEnd(now + 24 * 3600, now: now, field: "expectedEndAt", into: &errors)
        #expect(errors.isEmpty)
    }

    @Test("The board says ok, due soon, overdue, escalating step N or alarm, in words")
    func boardStatus() {
        #expect(session().boardStatus(at: now) == .ok)
        #expect(session().boardStatus(at: now + 3000) == .dueSoon)
        #expect(session().boardStatus(at: now + 3700) == .overdue)
        var escalating = session(state: .overdue)
        escalating.escalationStep = 2
        #expect(escalating.boardStatus(at: now).label == "Escalating step 2")
        escalating.escalationStep = 4
        #expect(escalating.boardStatus(at: now).label.contains("call the police"))
        #expect(session(state: .alarm).boardStatus(at: now).label.contains("ALARM"))
    }

    @Test("The worker sees a duress end exactly as a normal end")
    func duressMasking() {
        var normal = session(state: .ended)
        normal.endedAt = now
        let duress = session(state: .alarm, duress: true)
        #expect(duress.asSeenByWorker == normal)
    }

    @Test("Everyone works alone; managers monitor their units; safety leads and admins monitor all and write policies")
    func permissions() {
        func actor(_ role: Role, units: Set<String> = []) -> Actor { Actor(userId: "m", organisationId: "o", roles: [role], unitIds: units) }
        for role in Role.allCases { #expect(Access.allows(actor(role), .workAlone)) }
        #expect(Access.scope(of: actor(.manager, units: ["oak"]), for: .monitorLoneWorkers) == .units(["oak"]))
        #expect(Access.scope(of: actor(.safetyLead), for: .monitorLoneWorkers) == .all)
        #expect(Access.scope(of: actor(.admin), for: .monitorLoneWorkers) == .all)
        #expect(!Access.allows(actor(.staff), .monitorLoneWorkers))
        #expect(!Access.allows(actor(.executive), .monitorLoneWorkers))
        for role in Role.allCases {
            #expect(Access.allows(actor(role), .manageEscalationPolicies) == (role == .admin || role == .safetyLead))
        }
        let s = session()
        #expect(LoneWorkingAccess.canAcknowledge(s, actor(.manager, units: ["oak"])))
        #expect(!LoneWorkingAccess.canAcknowledge(s, actor(.manager, units: ["ash"])))
        #expect(LoneWorkingAccess.canAcknowledge(s, Actor(userId: "b", organisationId: "o", roles: [.staff], unitIds: [])), "the buddy")
        #expect(!LoneWorkingAccess.canAcknowledge(s, Actor(userId: "x", organisationId: "o", roles: [.staff], unitIds: ["oak"])))
        #expect(!LoneWorkingAccess.isWorker(s, actor(.admin)))
    }
}
