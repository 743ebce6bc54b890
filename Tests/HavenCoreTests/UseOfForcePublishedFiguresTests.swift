import Foundation
import HavenCore
import Testing

@Suite("Use of force: small-number suppression and distinct patients")
struct UseOfForcePublishedFiguresTests {
    @Test("Counts from 1 to the threshold are *, 0 and larger counts are shown, and derived figures follow their count")
    func suppression() {
        let rule = SmallNumbers.standard
        #expect(rule.threshold == 7)
        #expect(rule.count(0) == "0" && rule.count(1) == "*" && rule.count(7) == "*" && rule.count(8) == "8")
        #expect(rule.derived("12.5", from: 3) == "*" && rule.derived("12.5", from: 9) == "12.5" && rule.derived("0", from: 0) == "0")
        #expect(SmallNumbers(threshold: 3).count(4) == "4" && SmallNumbers(threshold: 3).count(3) == "*")
        #expect(SmallNumbers.nothingHidden.count(1) == "1")
        #expect(SmallNumbers(threshold: 0).problems()["suppressionThreshold"] != nil)
        #expect(SmallNumbers(threshold: 21).problems()["suppressionThreshold"] != nil)
        #expect(SmallNumbers(threshold: 20).problems().isEmpty && SmallNumbers(threshold: 1).problems().isEmpty)
        #expect(UseOfForceSettings.defaults.suppressionThreshold == 7)
        var settings = UseOfForceSettings.defaults
        settings.suppressionThreshold = 0
        #expect(settings.problems()["suppressionThreshold"] != nil, "the settings check the threshold")
    }

    @Test("A patient is counted once per level however many episodes, units or months; an anonymised episode makes the count a lower bound")
    func distinctPatients() {
        let may = CalendarMonth("2026-05")!, june = CalendarMonth("2026-06")!
        let patients = DistinctPatients([
            ("oak", may, "P1"), ("oak", may, "P2"), ("oak", june, "P1"),
            ("ash", june, "P1"), ("ash", june, "P3"), ("ash", may, ""),
        ])
        #expect(patients.total == PatientCount(patients: 3, incomplete: true))
        #expect(patients.unit("oak") == PatientCount(patients: 2, incomplete: false))
        #expect(patients.unit("ash") == PatientCount(patients: 2, incomplete: true))
        #expect(patients.month(may) == PatientCount(patients: 2, incomplete: true))
        #expect(patients.month(june) == PatientCount(patients: 2, incomplete: false), "P1 on two units in June is one patient")
        #expect(patients.byUnitMonth["oak"]?[june] == PatientCount(patients: 1, incomplete: false))
        #expect(patients.unit("elm") == PatientCount() && DistinctPatients([]).total == PatientCount())
    }

    @Test("The rollup's unit-months give the same counts at every level as the patient-months counted from scratch")
    func distinctPatientsFromCells() {
        let may = CalendarMonth("2026-05")!, june = CalendarMonth("2026-06")!
        let rows: [(unit: String, month: CalendarMonth, patient: String)] = [
            ("oak", may, "P1"), ("oak", may, "P2"), ("oak", june, "P1"), ("ash", june, "P1"), ("ash", june, "P3"), ("ash", may, ""),
        ]
        let cells: [(unit: String, month: CalendarMonth, patients: [String], anonymised: Bool)] = [
            ("oak", may, ["P1", "P2"], false), ("oak", june, ["P1"], false), ("ash", june, ["P1", "P3"], false), ("ash", may, [], true),
        ]
        #expect(DistinctPatients(cells: cells) == DistinctPatients(rows))
        #expect(DistinctPatients(cells: cells).byUnitMonth["ash"]?[may] == PatientCount(patients: 0, incomplete: true))
        #expect(DistinctPatients(cells: []) == DistinctPatients([]))
    }

    @Test("Negligible force is its own figure: a unit-month with only negligible uses adds no episode, restraint or missing bed days")
    func negligibleApart() {
        let may = CalendarMonth("2026-05")!
        let statistics = UseOfForceStatistics.assemble(from: may, to: may, unitMonths: [], minutes: [], bedDays: [], byValue: [:], population: [:],
                                                       negligible: [("oak", may, 3)])
        #expect(statistics.totals.negligibleUses == 3 && statistics.unit("oak").negligibleUses == 3)
        #expect(statistics.totals.measures.episodes == 0 && statistics.totals.measures.restraints == 0)
        #expect(statistics.totals.monthsWithoutBedDays == 0, "a month with only negligible force does not count as missing its bed days")
        #expect(statistics.months.first?.figures.negligibleUses == 3)
    }
}
