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

    /// From each unit, month and patient with at least one episode there (`patient` empty: anonymised by retention).
    public init(_ rows: [(unit: String, month: CalendarMonth, patient: String)]) {
        struct Level { var patients: Set<String> = []; var incomplete = false }
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
        func count(_ level: Level) -> PatientCount { PatientCount(patients: level.patients.count, incomplete: level.incomplete) }
        self.total = count(total)
        byUnit = units.mapValues(count)
        byMonth = months.mapValues(count)
        byUnitMonth = cells.mapValues { $0.mapValues(count) }
    }

    public func unit(_ id: String) -> PatientCount { byUnit[id] ?? PatientCount() }
    public func month(_ month: CalendarMonth) -> PatientCount { byMonth[month] ?? PatientCount() }
}
