import Foundation
@testable import HavenCore
import Testing

@Suite("Regulator deadlines: RIDDOR day 8 and over-seven-day, Cal/OSHA 24/72 hours")
struct RegulatorDeadlineTests {
    static let london = TimeZone(identifier: "Europe/London")!
    /// Monday 2 November 2026, 14:00 in London.
    static let incidentTime = Date(timeIntervalSince1970: 1_793_628_000)

    static func report(type: IncidentType = .physicalAssault, perpetrator: Perpetrator = .patientOrServiceUser, harm: Harm) -> IncidentReport {
        IncidentReport(id: "i1", organisationId: "o1", type: type, occurredAt: incidentTime, unitId: "u1", area: "Ward", perpetrator: perpetrator,
                       harm: harm, description: "x", reporterRole: .harmed, reporterId: "s1", status: .reported, reportedAt: incidentTime + 600)
    }

    static func day(_ n: Int) -> Date { incidentTime + TimeInterval(n) * 86400 }

    @Test("A time-off-work injury prompts for the absence on day 8, and over seven days it is due 15 days after the incident")
    func riddor() {
        var report = Self.report(harm: .timeOffWork)
        #expect(CalendarColumns(Self.incidentTime, timeZone: Self.london).localDate == "2026-11-02")
        #expect(RegulatorDeadline.of(report, rulePack: .england, timeZone: Self.london, now: Self.day(7)) == nil, "not before day 8")
        let prompt = RegulatorDeadline.of(report, rulePack: .england, timeZone: Self.london, now: Self.day(8))
        #expect(prompt?.kind == .recordAbsence && prompt?.overdue == false)
        report.detail.absenceDays = 5
        #expect(RegulatorDeadline.of(report, rulePack: .england, timeZone: Self.london, now: Self.day(8)) == nil, "5 days: record only")
        report.detail.absenceDays = 8
        let due = RegulatorDeadline.of(report, rulePack: .england, timeZone: Self.london, now: Self.day(9))
        #expect(due?.kind == .riddor && due?.title.contains("2026-11-17") == true && due?.overdue == false)
        #expect(RegulatorDeadline.of(report, rulePack: .england, timeZone: Self.london, now: Self.day(16))?.overdue == true)
        report.detail.regulatorReference = "HSE-123"
        #expect(RegulatorDeadline.of(report, rulePack: .england, timeZone: Self.london, now: Self.day(16)) == nil, "reported: nothing owed")
        #expect(RegulatorDeadline.of(Self.report(type: .verbalAbuse, harm: .none), rulePack: .england, timeZone: Self.london, now: Self.day(9)) == nil)
    }

    @Test("Cal/OSHA: force by a patient without injury is 72 hours, with injury or a weapon 24 hours, verbal abuse nothing")
    func calOSHA() {
        let noInjury = RegulatorDeadline.of(Self.report(harm: .none), rulePack: .california, timeZone: Self.london, now: Self.day(1))
        #expect(noInjury?.kind == .calOSHA72 && noInjury?.dueAt == Self.incidentTime + 600 + 72 * 3600 && noInjury?.overdue == false)
        let injured = RegulatorDeadline.of(Self.report(harm: .minor), rulePack: .california, timeZone: Self.london, now: Self.day(2))
        #expect(injured?.kind == .calOSHA24 && injured?.overdue == true)
        var threat = Self.report(type: .threat, perpetrator: .memberOfThePublic, harm: .none)
        #expect(RegulatorDeadline.of(threat, rulePack: .california, timeZone: Self.london, now: Self.day(1)) == nil)
        threat.detail.characteristics = [.weapon]
        #expect(RegulatorDeadline.of(threat, rulePack: .california, timeZone: Self.london, now: Self.day(1))?.kind == .calOSHA24)
        #expect(RegulatorDeadline.of(Self.report(type: .verbalAbuse, harm: .none), rulePack: .california, timeZone: Self.london, now: Self.day(1)) == nil)
        #expect(RegulatorDeadline.of(Self.report(harm: .minor), rulePack: .jointCommission, timeZone: Self.london, now: Self.day(1)) == nil)
    }
}
