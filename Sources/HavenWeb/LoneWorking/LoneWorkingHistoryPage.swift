import Foundation
import HavenCore

/// The history page: a GET form (so every report has an address), then the totals, by team and by person.
struct HistoryPage: Sendable {
    struct Line: Sendable {
        var name: String
        var sessions: Int
        var overdue: Int
        var alarms: Int
        var falseAlarms: Int
        var acknowledged: Int
        var median: String
        var max: String
        var unacknowledged: Int
    }
    var errors: ErrorSummary
    var from: String
    var fromError: String?
    var to: String
    var toError: String?
    var units: [Choice]
    var unitError: String?
    var hasReport: Bool
    var total: Line?
    var byUnit: [Line]
    var byPerson: [Line]
    var hasSessions: Bool
    var devices: [Choice]
    var exportHref: String

    init(query: HistoryQuery, report: LoneWorkingReport?, devices: [AlarmEventKind: Int], units: [CareUnit], people: [User]) {
        errors = ErrorSummary(query.errors)
        from = query.from.description
        fromError = query.errors["from"]
        to = query.to.description
        toError = query.errors["to"]
        self.units = units.filter { query.scope.contains($0.id) }.map { Choice(value: $0.id, label: $0.name, selected: $0.id == query.unitId) }
        unitError = query.errors["unit"]
        hasReport = report != nil
        let unitNames = Dictionary(units.map { ($0.id, $0.name) }) { a, _ in a }
        let names = Dictionary(people.map { ($0.id, $0.name) }) { a, _ in a }
        func line(_ line: LoneWorkingReport.Line, _ name: String) -> Line {
            Line(name: name, sessions: line.sessions, overdue: line.overdue, alarms: line.alarms, falseAlarms: line.falseAlarms,
                 acknowledged: line.acknowledged, median: LoneWorkingReport.duration(line.medianSecondsToAcknowledge),
                 max: LoneWorkingReport.duration(line.maxSecondsToAcknowledge), unacknowledged: line.unacknowledged)
        }
        total = report.map { line($0.total, "All") }
        byUnit = report?.byUnit.map { line($0, unitNames[$0.key] ?? $0.key) } ?? []
        byPerson = report?.byPerson.map { line($0, names[$0.key] ?? $0.key) } ?? []
        hasSessions = (report?.total.sessions ?? 0) > 0
        self.devices = AlarmEventKind.allCases.map { Choice(value: String(devices[$0] ?? 0), label: $0.displayName, selected: false) }
        exportHref = LoneWorkingRoute.historyExport.path + "?" + query.parameters
    }
}

/// The report as the API gives it.
struct ReportJSON: Encodable {
    struct Line: Encodable {
        var id: String?
        var sessions: Int
        var overdue: Int
        var alarms: Int
        var falseAlarms: Int
        var acknowledged: Int
        var unacknowledged: Int
        var medianSecondsToAcknowledge: Int?
        var maxSecondsToAcknowledge: Int?

        init(_ line: LoneWorkingReport.Line) {
            id = line.key.isEmpty ? nil : line.key
            sessions = line.sessions
            overdue = line.overdue
            alarms = line.alarms
            falseAlarms = line.falseAlarms
            acknowledged = line.acknowledged
            unacknowledged = line.unacknowledged
            medianSecondsToAcknowledge = line.medianSecondsToAcknowledge
            maxSecondsToAcknowledge = line.maxSecondsToAcknowledge
        }
    }
    var from: String
    var to: String
    var unitId: String?
    var total: Line
    var byUnit: [Line]
    var byPerson: [Line]
    var deviceEvents: [String: Int]

    init(query: HistoryQuery, report: LoneWorkingReport, devices: [AlarmEventKind: Int]) {
        from = query.from.description
        to = query.to.description
        unitId = query.unitId
        total = Line(report.total)
        byUnit = report.byUnit.map(Line.init)
        byPerson = report.byPerson.map(Line.init)
        deviceEvents = Dictionary(uniqueKeysWithValues: AlarmEventKind.allCases.map { ($0.rawValue, devices[$0] ?? 0) })
    }
}
