import Foundation
import HavenCore
import Testing

@Suite("Incident taxonomy and calendar columns")
struct IncidentTests {
    @Test("Who did it maps to the US workplace-violence types 1 to 4")
    func usTypes() {
        #expect(Perpetrator.memberOfThePublic.usWorkplaceViolenceType == 1)
        #expect(Perpetrator.patientOrServiceUser.usWorkplaceViolenceType == 2)
        #expect(Perpetrator.relativeOrVisitor.usWorkplaceViolenceType == 2)
        #expect(Perpetrator.colleague.usWorkplaceViolenceType == 3)
        #expect(Perpetrator.manager.usWorkplaceViolenceType == 3)
        #expect(Perpetrator.personalAcquaintance.usWorkplaceViolenceType == 4)
    }

    @Test("Calendar columns are taken in the organisation's time zone, with ISO weeks and weekdays")
    func calendarColumns() throws {
        // 2026-12-31 23:30 UTC is already 2027-01-01 in New Zealand, and still 31 December in London.
        let date = try #require(try? Date("2026-12-31T23:30:00Z", strategy: .iso8601))
        let london = CalendarColumns(date, timeZone: TimeZone(identifier: "Europe/London")!)
        #expect(london.localDate == "2026-12-31" && london.month == "2026-12" && london.hour == 23)
        #expect(london.weekday == 4, "a Thursday")
        #expect(london.isoWeek == "2026-W53")
        let auckland = CalendarColumns(date, timeZone: TimeZone(identifier: "Pacific/Auckland")!)
        #expect(auckland.localDate == "2027-01-01" && auckland.month == "2027-01" && auckland.weekday == 5)
    }
}
