import Foundation

/// How many different patients force was used on (the Act's statistics and MHSDS count people as well as
/// restraints): a patient restrained ten times in a month counts once. Distinct counts do not add up (a patient on
/// two units, or in two months, is one patient of the whole), so each level is counted from the patient-months itself.
public struct PatientCount: Sendable, Equatable {
    public var patients = 0
    /// Some episodes counted lost their patient identifier to the retention purge, so `patients` counts only the
    /// others: at least this many.
    public var incomplete = false

    public init(patients: Int = 0, incomplete: Bool = false) { self.patients = patients; self.incomplete = incomplete }
}

public struct DistinctPatients: Sendable, Equatable {
    public var total = PatientCount()
    public var byUnit: [String: PatientCount] = [:]
    public var byMonth: [CalendarMonth: PatientCount] = [:]
    public var byUnitMonth: [String: [CalendarMonth: PatientCount]] = [:]

    public init() {}

    /// From each unit-month's different patients (`anonymised`: some of its episodes lost their identifier to
    /// retention), as the patient-month rollup gives them, each identifier at most once in a cell: a cell's count is its
    /// list's length, and only the unions (months, units, the range) are worked out here.
    public init(cells: [(unit: String, month: CalendarMonth, patients: [String], anonymised: Bool)]) {
        var total = Level(), units: [String: Level] = [:], months: [CalendarMonth: Level] = [:]
        for cell in cells {
            total.add(cell.patients, anonymised: cell.anonymised)
            units[cell.unit, default: Level()].add(cell.patients, anonymised: cell.anonymised)
            months[cell.month, default: Level()].add(cell.patients, anonymised: cell.anonymised)
            byUnitMonth[cell.unit, default: [:]][cell.month] = PatientCount(patients: cell.patients.count, incomplete: cell.anonymised)
        }
        self.total = total.count
        byUnit = units.mapValues(\.count)
        byMonth = months.mapValues(\.count)
    }

    private struct Level {
        var patients: Set<String> = []
        var incomplete = false
        mutating func add(_ identifiers: [String], anonymised: Bool) {
            patients.formUnion(identifiers)
            if anonymised { incomplete = true }
        }
        var count: PatientCount { PatientCount(patients: patients.count, incomplete: incomplete) }
    }

    /// From each unit, month and patient with at least one episode there (`patient` empty: anonymised by retention):
    /// the definition, counted from scratch (tests compare the rollup's figures with it).
    public init(_ rows: [(unit: String, month: CalendarMonth, patient: String)]) {
        var total = Level(), units: [String: Level] = [:], months: [CalendarMonth: Level] = [:], cells: [String: [CalendarMonth: Level]] = [:]
        func add(_ level: inout Level, _ patient: String) {
            if patient.isEmpty { level.incomplete = true } else { level.patients.insert(patient) }
        }
        for row in rows {
            add(&total, row.patient)
            add(&units[row.unit, default: Level()], row.patient)
            add(&months[row.month, default: Level()], row.patient)
            add(&cells[row.unit, default: [:]][row.month, default: Level()], row.patient)
        }
        self.total = total.count
        byUnit = units.mapValues(\.count)
        byMonth = months.mapValues(\.count)
        byUnitMonth = cells.mapValues { $0.mapValues(\.count) }
    }

    public func unit(_ id: String) -> PatientCount { byUnit[id] ?? PatientCount() }
    public func month(_ month: CalendarMonth) -> PatientCount { byMonth[month] ?? PatientCount() }
}
