import HavenCore
import Testing

@Suite("RIDDOR decision helper")
struct RiddorTests {
    func facts(_ person: Riddor.InjuredPerson = .worker, work: Bool = true, death: Bool = false, specified: Bool = false, days: Int = 0,
               hospital: Bool = false, physical: Bool = true, premises: Bool = false) -> Riddor.Facts {
        Riddor.Facts(accidentDate: CalendarDay("2026-11-02")!, injuredPerson: person, workRelated: work, death: death, specifiedInjury: specified,
                     incapacitationDays: days, takenToHospital: hospital, physicalInjury: physical, onHospitalPremises: premises)
    }

    @Test("Deaths and specified injuries: report within 10 days")
    func urgent() {
        let death = Riddor.assess(facts(death: true, physical: false))
        #expect(death.reportable && death.category == .death && death.reportBy == CalendarDay("2026-11-12"))
        let fracture = Riddor.assess(facts(specified: true))
        #expect(fracture.category == .specifiedInjury && fracture.reportBy == CalendarDay("2026-11-12"))
    }

    @Test("Over seven days of incapacity (the day of the incident not counted): report within 15 days; 4 to 7 days: record only")
    func incapacity() {
        let eight = Riddor.assess(facts(days: 8))
        #expect(eight.reportable && eight.category == .overSevenDay && eight.reportBy == CalendarDay("2026-11-17"))
        let seven = Riddor.assess(facts(days: 7))
        #expect(!seven.reportable && seven.recordOnly && seven.reportBy == nil)
        let four = Riddor.assess(facts(days: 4))
        #expect(four.recordOnly)
        let three = Riddor.assess(facts(days: 3))
        #expect(!three.reportable && !three.recordOnly)
    }

    @Test("People not at work: reportable when taken to hospital for treatment, or a specified injury on hospital premises")
    func nonWorkers() {
        #expect(Riddor.assess(facts(.nonWorker, hospital: true)).category == .nonWorkerHospital)
        #expect(Riddor.assess(facts(.nonWorker, specified: true, premises: true)).category == .nonWorkerHospital)
        #expect(!Riddor.assess(facts(.nonWorker, specified: true)).reportable)
        #expect(!Riddor.assess(facts(.nonWorker, days: 30)).reportable, "absence of a patient is not a RIDDOR category")
    }

    @Test("Not work-related, or no physical injury (threats, verbal abuse): not reportable, with the reason said")
    func notReportable() {
        let dispute = Riddor.assess(facts(work: false, death: true))
        #expect(!dispute.reportable && dispute.reason.contains("personal dispute"))
        let threat = Riddor.assess(facts(days: 10, physical: false))
        #expect(!threat.reportable && threat.reason.contains("verbal abuse"))
    }

    @Test("Calendar days: real dates only, deadlines across month and year ends")
    func calendarDays() {
        #expect(CalendarDay("2026-02-30") == nil)
        #expect(CalendarDay("2026-2-3") == nil)
        #expect(CalendarDay("2024-02-29") != nil)
        #expect(CalendarDay("2026-12-25")!.adding(days: 10).description == "2027-01-04")
    }
}
