import Foundation
import HavenCore
import Testing

@Suite("Lone working: the history report's arithmetic")
struct LoneWorkingReportTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func facts(_ id: String, worker: String, unit: String, overdue: TimeInterval? = nil, alarm: TimeInterval? = nil, acknowledged: TimeInterval? = nil,
               outcome: SessionOutcome? = nil) -> SessionFacts {
        SessionFacts(id: id, workerId: worker, unitId: unit, startedAt: Self.t0, state: .resolved, outcome: outcome,
                     alarmAt: alarm.map { Self.t0 + $0 }, overdueAt: overdue.map { Self.t0 + $0 }, acknowledgedAt: acknowledged.map { Self.t0 + $0 })
    }

    @Test("Median and longest time from the first alert to acknowledgement, by person and by unit; false alarms and unanswered alerts counted")
    func report() {
        let report = LoneWorkingReport([
            facts("a", worker: "sam", unit: "oak", overdue: 100, acknowledged: 160),                         // 60 s
            facts("b", worker: "sam", unit: "oak", alarm: 0, acknowledged: 30, outcome: .falseAlarm),       // 30 s
            facts("c", worker: "kim", unit: "ash", overdue: 500, alarm: 400, acknowledged: 700),            // from the alarm, the earlier: 300 s
            facts("d", worker: "kim", unit: "ash", overdue: 50),                                            // nobody acknowledged
            facts("e", worker: "kim", unit: "ash"),                                                         // a quiet visit
        ])
        #expect(report.total.sessions == 5 && report.total.overdue == 3 && report.total.alarms == 2 && report.total.falseAlarms == 1)
        #expect(report.total.acknowledged == 3 && report.total.unacknowledged == 1)
        #expect(report.total.medianSecondsToAcknowledge == 60 && report.total.maxSecondsToAcknowledge == 300)
        #expect(report.byPerson.map(\.key) == ["kim", "sam"], "the most alerts first")
        let sam = report.byPerson[1]
        #expect(sam.sessions == 2 && sam.medianSecondsToAcknowledge == 45, "the mean of the two middle values")
        #expect(report.byUnit.first { $0.key == "ash" }?.maxSecondsToAcknowledge == 300)
        #expect(LoneWorkingReport([]).total.medianSecondsToAcknowledge == nil)
    }

    @Test("Durations in words")
    func durations() {
        #expect(LoneWorkingReport.duration(52) == "52 s")
        #expect(LoneWorkingReport.duration(245) == "4 min 05 s")
        #expect(LoneWorkingReport.duration(3720) == "1 h 02 min")
        #expect(LoneWorkingReport.duration(nil) == "–")
        #expect(LoneWorkingReport.median([5, 1, 3]) == 3)
    }
}
