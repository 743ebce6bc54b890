import Foundation
import HavenCore
import Testing

@Suite("Use of force: the s6(5) record and its alerts")
struct UseOfForceTests {
    let now = Date(timeIntervalSince1970: 1_798_761_600)

    func draft() -> UseOfForceDraft {
        var d = UseOfForceDraft()
        d.unitId = "oak"
        d.reason = "Assaulting another patient"
        d.place = "Oak ward lounge"
        d.interventions = [.init(type: "09", startedAt: now - 900, endedAt: now - 600, plannedInCarePlan: true)]
        d.description = "Two-person supine hold"
        d.staff = [StaffInvolved(name: "Sam Lee", jobTitle: "Nurse")]
        d.nonStaffInvolved = false
        d.outcome = "Calm within five minutes"
        d.harm = "none"
        d.effortsToAvoid = "Verbal de-escalation, offered PRN"
        d.carePlanContactsNotified = "yes"
        d.patientLocalId = "P-1"
        d.patientName = "Alex Doe"
        d.nhsNumber = "943 476 5919"
        d.mentalDisorder = "Schizophrenia"
        d.characteristics = ["ethnicity": "N", "sex": "male", "ageBand": "18-24"]
        d.learningDisabilityOrAutism = "no"
        d.detained = true
        d.detentionSection = "3"
        return d
    }

    func errors(_ d: UseOfForceDraft) -> FieldErrors {
        do { _ = try d.validated(id: "e", organisationId: "o", recordedBy: "u", now: now); return FieldErrors() }
        catch { return error }
    }

    @Test("NHS numbers: a correct check digit passes, a wrong one fails, and nine digits whose check would be 10 never pass")
    func nhsNumbers() {
        #expect(NHSNumber.normalised("943 476 5919") == "9434765919")
        #expect(NHSNumber.isValid("4010232137"))
        #expect(!NHSNumber.isValid("9434765918"))
        #expect(!NHSNumber.isValid("943476591"))
        #expect(!NHSNumber.isValid("94347659AB"))
        // 1,0,0,0,0,0,0,0,1 → 10 + 2 = 12, 12 mod 11 = 1, 11 - 1 = 10: no check digit exists.
        #expect(NHSNumber.checkDigit([1, 0, 0, 0, 0, 0, 0, 0, 1]) == nil)
        for last in 0...9 { #expect(!NHSNumber.isValid("100000001\(last)")) }
        // A remainder of 0 gives 11, written as 0.
        #expect(NHSNumber.checkDigit([0, 0, 0, 0, 0, 0, 0, 0, 0]) == 0)
    }

    @Test("A complete record is accepted, with its duration computed")
    func complete() throws {
        let episode = try draft().validated(id: "e", organisationId: "o", recordedBy: "u", now: now)
        #expect(episode.durationSeconds == 300)
        #expect(episode.interventions[0].durationSeconds == 300)
        #expect(episode.patient.nhsNumber == "9434765919")
        #expect(episode.startedAt == now - 900)
    }

    @Test("Each missing statutory item is named by its letter", arguments: [
        ("reason", "s6(5)(a)"), ("place", "s6(5)(b)"), ("interventions", "s6(5)(c)"), ("patientName", "s6(5)(e)"),
        ("description", "s6(5)(f)"), ("nhsNumber", "s6(5)(g)"), ("staff", "s6(5)(h)"), ("mentalDisorder", "s6(5)(j)"),
        ("characteristics", "s6(5)(k)"), ("learningDisabilityOrAutism", "s6(5)(l)"), ("outcome", "s6(5)(m)"),
        ("harm", "s6(5)(n)"), ("effortsToAvoid", "s6(5)(o)"), ("carePlanContactsNotified", "s6(5)(p)"),
    ])
    func missingItem(field: String, item: String) {
        var d = draft()
        switch field {
        case "reason": d.reason = " "
        case "place": d.place = nil
        case "interventions": d.interventions = []
        case "patientName": d.patientName = ""
        case "description": d.description = nil
        case "nhsNumber": d.nhsNumber = nil
        case "staff": d.staff = []
        case "mentalDisorder": d.mentalDisorder = nil
        case "characteristics": d.characteristics = [:]
        case "learningDisabilityOrAutism": d.learningDisabilityOrAutism = "maybe"
        case "outcome": d.outcome = ""
        case "harm": d.harm = nil
        case "effortsToAvoid": d.effortsToAvoid = nil
        default: d.carePlanContactsNotified = nil
        }
        let found = errors(d)
        #expect(found.items.count == 1)
        #expect(found[field]?.hasPrefix(item) == true, "\(found.items)")
    }

    @Test("Care plan (d), non-staff (i) and an intervention's times name their items")
    func otherItems() {
        var d = draft()
        d.interventions[0].plannedInCarePlan = nil
        d.nonStaffInvolved = true
        d.interventions[0].endedAt = now - 1000
        let found = errors(d)
        #expect(found["interventions[0].plannedInCarePlan"]?.hasPrefix("s6(5)(d)") == true)
        #expect(found["nonStaffReason"]?.hasPrefix("s6(5)(i)") == true)
        #expect(found["interventions[0].endedAt"]?.hasPrefix("s6(5)(b)") == true)
    }

    @Test("Not known and declined are accepted only where the Act allows them")
    func notKnown() throws {
        var d = draft()
        d.patientName = nil; d.patientNameNotKnown = true
        d.nhsNumber = nil; d.nhsNumberNotKnown = true
        d.mentalDisorder = nil; d.mentalDisorderNotKnown = true
        d.characteristics = [:]; d.characteristicsStatus = "declined"
        d.learningDisabilityOrAutism = "not-known"
        let episode = try d.validated(id: "e", organisationId: "o", recordedBy: "u", now: now)
        #expect(episode.patient.name == nil && episode.patient.nhsNumber == nil && episode.patient.characteristicsDeclined)
        #expect(episode.patient.characteristics == .all(ProtectedCharacteristic.declined))
        d.harm = "not-known"
        #expect(errors(d)["harm"]?.hasPrefix("s6(5)(n)") == true)
    }

    @Test("Bad input: wrong check digit, unknown or retired code, code 13 without a position, future start, restraint over 24 hours")
    func badInput() {
        var d = draft()
        d.nhsNumber = "9434765918"
        d.interventions = [.init(type: "02", startedAt: now - 60, endedAt: now, plannedInCarePlan: false),
                           .init(type: "13", startedAt: now - 60, endedAt: now, plannedInCarePlan: false),
                           .init(type: "05", startedAt: now + 60, endedAt: now + 120, plannedInCarePlan: false),
                           .init(type: "07", startedAt: now - 90_000, endedAt: now, plannedInCarePlan: false)]
        let found = errors(d)
        #expect(found["nhsNumber"]?.hasPrefix("s6(5)(g)") == true)
        #expect(found["interventions[0].type"]?.contains("01, 04, 05") == true)
        #expect(found["interventions[1].position"] != nil)
        #expect(found["interventions[2].startedAt"] != nil)
        #expect(found["interventions[3].endedAt"]?.contains("24 hours") == true)
    }

    @Test("Prone restraint is flagged, and flagged again at 10 minutes or more")
    func prone() throws {
        var d = draft()
        d.interventions = [.init(type: "01", startedAt: now - 599, endedAt: now, plannedInCarePlan: false)]
        #expect(errors(d)["proneJustification"] != nil, "prone needs its justification")
        d.proneJustification = "Fell forward during the hold; turned onto side at 21:40"
        var alerts = UseOfForceRules.alerts(for: try d.validated(id: "e", organisationId: "o", recordedBy: "u", now: now))
        #expect(alerts.map(\.kind) == [.proneRestraint])
        d.interventions[0].startedAt = now - 600
        alerts = UseOfForceRules.alerts(for: try d.validated(id: "e", organisationId: "o", recordedBy: "u", now: now))
        #expect(alerts.map(\.kind) == [.proneRestraint, .proneTenMinutes])
    }

    @Test("Pain-based technique and seclusion of a patient not detained raise alerts; supine on a detained patient does not")
    func otherAlerts() throws {
        var d = draft()
        #expect(UseOfForceRules.alerts(for: try d.validated(id: "e", organisationId: "o", recordedBy: "u", now: now)).isEmpty)
        d.detained = false; d.detentionSection = nil
        d.interventions = [.init(type: "05", startedAt: now - 60, endedAt: now, plannedInCarePlan: false),
                           .init(type: "12", startedAt: now - 60, endedAt: now, plannedInCarePlan: false, painBased: true)]
        let alerts = UseOfForceRules.alerts(for: try d.validated(id: "e", organisationId: "o", recordedBy: "u", now: now))
        #expect(alerts.map(\.kind) == [.seclusionNotDetained, .painBasedTechnique])
        #expect(alerts[1].intervention == 1)
    }
}

@Suite("Use of force: characteristics, confirmations and corrections")
struct UseOfForceRecordTests {
    let now = Date(timeIntervalSince1970: 1_798_761_600)
    func errors(_ d: UseOfForceDraft) -> FieldErrors {
        do { _ = try d.validated(id: "e", organisationId: "o", recordedBy: "u", now: now); return FieldErrors() }
        catch { return error }
    }

    @Test("Characteristics are fixed codes: an unknown one or a bad value is refused, naming the valid ones")
    func characteristics() throws {
        var d = UseOfForceTests().draft()
        d.characteristics = ["ethnicity": "Q", "shoeSize": "9"]
        let found = errors(d)
        #expect(found["characteristics.ethnicity"]?.contains("A, B, C") == true, "\(found.items)")
        #expect(found["characteristics.shoeSize"]?.contains("ageBand") == true)
        d.characteristics = ["ethnicity": "M", "religion": "declined"]
        let episode = try d.validated(id: "e", organisationId: "o", recordedBy: "u", now: now)
        #expect(episode.patient.characteristics[.ethnicity] == "M" && episode.patient.characteristics[.religion] == "declined")
        #expect(episode.patient.characteristics[.sex] == ProtectedCharacteristic.notKnown)
        #expect(EthnicCategory.m.group == "Black or Black British")
        d.characteristicsStatus = "not-known"
        #expect(errors(d)["characteristics"]?.hasPrefix("s6(5)(k)") == true, "values given but said to be not known")
    }

    @Test("A physical restraint over 24 hours passes only when confirmed, and the confirmation is kept")
    func longRestraint() throws {
        var d = UseOfForceTests().draft()
        d.interventions = [.init(type: "09", startedAt: now - 90_000, endedAt: now, plannedInCarePlan: false)]
        #expect(errors(d)["interventions[0].endedAt"]?.contains("confirm") == true)
        d.confirmLongRestraint = true
        #expect(try d.validated(id: "e", organisationId: "o", recordedBy: "u", now: now).longRestraintConfirmed)
        d.interventions[0].endedAt = now + 10
        #expect(errors(d)["interventions[0].endedAt"]?.contains("future") == true, "confirming never lets a future time through")
    }

    @Test("A saved record turns back into the draft it came from, and a correction names only the items it changed")
    func corrections() throws {
        var d = UseOfForceTests().draft()
        d.incidentId = "inc-1"
        let episode = try d.validated(id: "e", organisationId: "o", recordedBy: "u", now: now)
        #expect(try UseOfForceDraft(episode).validated(id: "e", organisationId: "o", recordedBy: "u", now: now) == episode)
        var changed = UseOfForceDraft(episode)
        changed.nhsNumber = "4010232137"; changed.outcome = "Settled after an hour"
        let corrected = try changed.validated(id: "e", organisationId: "o", recordedBy: "u", now: now)
        #expect(UseOfForceChanges.items(from: episode, to: corrected) == ["outcome", "nhsNumber"])
        #expect(UseOfForceChanges.items(from: episode, to: episode).isEmpty)
    }
}

@Suite("Use of force: rapid tranquillisation and debrief schedules")
struct UseOfForceScheduleTests {
    @Test("Only code 14 owes observations, every 15 minutes for an hour and then hourly, from the injection")
    func observations() throws {
        var draft = UseOfForceTests().draft()
        let now = UseOfForceTests().now
        #expect(RapidTranquillisation.owed(by: try draft.validated(id: "e", organisationId: "o", recordedBy: "u", now: now)).isEmpty)
        draft.interventions.append(.init(type: "14", startedAt: now - 700, endedAt: now - 640, plannedInCarePlan: true))
        let owed = RapidTranquillisation.owed(by: try draft.validated(id: "e", organisationId: "o", recordedBy: "u", now: now))
        #expect(owed.map { Int($0.timeIntervalSince(now - 700) / 60) } == [15, 30, 45, 60, 120, 180, 240])
    }

    @Test("Debriefs are due from the end of the last intervention, by the organisation's hours")
    func debriefs() throws {
        let episode = try UseOfForceTests().draft().validated(id: "e", organisationId: "o", recordedBy: "u", now: UseOfForceTests().now)
        let owed = Debrief.owed(by: episode, settings: .defaults, makeId: { "d" })
        #expect(owed.map(\.kind) == [.staff, .patient])
        #expect(owed.map(\.dueAt) == [UseOfForceTests().now - 600 + 3 * 3600, UseOfForceTests().now - 600 + 168 * 3600])
        #expect(UseOfForceSettings(staffDebriefHours: 0, patientDebriefHours: 24).problems()["staffDebriefHours"] != nil)
    }
}

@Suite("Use of force: who may record and see episodes")
struct UseOfForceAccessTests {
    @Test("Staff and managers record for their units; managers see their units; leads see everything; staff see none of others'")
    func access() {
        let staff = Actor(userId: "s", organisationId: "o", roles: [.staff], unitIds: ["oak"])
        let manager = Actor(userId: "m", organisationId: "o", roles: [.manager], unitIds: ["oak"])
        let lead = Actor(userId: "l", organisationId: "o", roles: [.restrictivePracticeLead], unitIds: [])
        let safety = Actor(userId: "y", organisationId: "o", roles: [.safetyLead], unitIds: [])
        let trainer = Actor(userId: "t", organisationId: "o", roles: [.trainer], unitIds: ["oak"])
        #expect(Access.allows(staff, .recordUseOfForce, unitId: "oak"))
        #expect(!Access.allows(staff, .recordUseOfForce, unitId: "elm"))
        #expect(!Access.allows(staff, .viewUseOfForce))
        #expect(Access.allows(manager, .viewUseOfForce, unitId: "oak"))
        #expect(!Access.allows(manager, .viewUseOfForce, unitId: "elm"))
        #expect(Access.allows(lead, .recordUseOfForce, unitId: "elm") && Access.allows(lead, .viewUseOfForce, unitId: "elm"))
        #expect(Access.allows(safety, .viewUseOfForce, unitId: "elm") && !Access.allows(safety, .recordUseOfForce))
        #expect(!Access.allows(trainer, .recordUseOfForce) && !Access.allows(trainer, .viewUseOfForce))
        // Names and NHS numbers: the unit's managers and the leads, not the recorder once saved.
        #expect(!UseOfForceAccess.canSeeIdentity(unitId: "oak", staff) && UseOfForceAccess.canSeeIdentity(unitId: "oak", manager))
        #expect(UseOfForceAccess.canView(unitId: "oak", recordedBy: "s", staff) && !UseOfForceAccess.canView(unitId: "oak", recordedBy: "x", staff))
        #expect(UseOfForceAccess.canCorrect(unitId: "oak", recordedBy: "x", manager) && !UseOfForceAccess.canCorrect(unitId: "oak", recordedBy: "x", staff))
        #expect(!UseOfForceAccess.canCorrect(unitId: "elm", recordedBy: "s", staff), "not for a unit they no longer record for")
        #expect(UseOfForceAccess.canReview(unitId: "elm", lead) && !UseOfForceAccess.canReview(unitId: "oak", manager))
        #expect(Access.scope(of: staff, for: .accessUseOfForce) == .units(["oak"]) && Access.scope(of: safety, for: .accessUseOfForce) == .all)
        #expect(!Access.allows(trainer, .accessUseOfForce))
    }

    @Test("The support-plan warning starts at three interventions, names the count, and says 'or more' at the counting cap")
    func supportPlanWarningCount() {
        #expect(UseOfForceRules.supportPlanWarning(interventionsInWindow: 2, hasCurrentPlan: false) == nil)
        #expect(UseOfForceRules.supportPlanWarning(interventionsInWindow: 5, hasCurrentPlan: true) == nil)
        #expect(UseOfForceRules.supportPlanWarning(interventionsInWindow: 3, hasCurrentPlan: false)?.contains("had 3 restrictive") == true)
        let capped = UseOfForceRules.supportPlanWarning(interventionsInWindow: UseOfForceRules.repeatedInterventionsCountedUpTo, hasCurrentPlan: false)
        #expect(capped?.contains("had \(UseOfForceRules.repeatedInterventionsCountedUpTo) or more restrictive") == true)
    }
}
