import Foundation
import HavenCore
import Testing

@Suite("Working days: the review target")
struct WorkingDaysTests {
    /// The day-by-day count the review target was first written with, kept as the reference.
    func stepByStep(_ days: Int, _ date: Date, _ zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var result = date, remaining = days
        while remaining > 0 {
            result = calendar.date(byAdding: .day, value: 1, to: result)!
            let weekday = calendar.component(.weekday, from: result)
            if weekday != 1 && weekday != 7 { remaining -= 1 }
        }
        return result
    }

    func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    func localTime(_ date: Date, _ zone: TimeZone) -> [Int] {
        let parts = calendar(zone).dateComponents([.hour, .minute], from: date)
        return [parts.hour ?? -1, parts.minute ?? -1]
    }

    @Test("Five working days from a Friday evening in London is the next Friday; from Saturday it is Friday too")
    func examples() throws {
        let london = try #require(TimeZone(identifier: "Europe/London"))
        let friday = try #require(ISO8601DateFormatter().date(from: "2026-12-04T18:30:00Z"))
        #expect(WorkingDays.add(5, to: friday, timeZone: london) == friday + 7 * 86_400)
        #expect(WorkingDays.add(1, to: friday, timeZone: london) == friday + 3 * 86_400, "Friday + 1 is Monday")
        #expect(WorkingDays.add(5, to: friday + 86_400, timeZone: london) == friday + 7 * 86_400)
        #expect(WorkingDays.add(0, to: friday, timeZone: london) == friday)
    }

    @Test("The same day as counting one day at a time, over two years of starts, across DST, in three time zones")
    func sameAsStepByStep() throws {
        let start = try #require(ISO8601DateFormatter().date(from: "2026-01-01T00:15:00Z"))
        for identifier in ["Europe/London", "America/Los_Angeles", "Pacific/Auckland"] {
            let zone = try #require(TimeZone(identifier: identifier))
            for step in stride(from: 0, to: 730 * 24, by: 7) {  // every 7 hours for two years: every weekday and hour
                let date = start + TimeInterval(step * 3600)
                for days in [1, 3, 5, 10] {
                    let fast = WorkingDays.add(days, to: date, timeZone: zone), reference = stepByStep(days, date, zone)
                    // The same local day always. The same instant too, except after a start whose local time fell in
                    // a daylight-saving gap on a day between: stepping carried the shifted hour on (01:15 became 02:15
                    // for good), and adding the days at once keeps the start's local time, as a target should.
                    let sameDay = calendar(zone).isDate(fast, inSameDayAs: reference)
                    let sameTime = fast == reference || localTime(fast, zone) == localTime(date, zone)
                    if !sameDay || !sameTime { Issue.record("\(identifier) \(date) + \(days): \(fast) against \(reference)"); return }
                }
            }
        }
    }
}
