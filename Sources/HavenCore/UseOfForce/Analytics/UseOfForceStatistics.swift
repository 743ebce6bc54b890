import Foundation

/// Sums with a histogram of restraint lengths in whole minutes: the mean, median and maximum minutes of restraint,
/// worked out the same way for a unit's figures and for a characteristic value's.
public protocol RestraintLengths {
    var measures: UseOfForceMeasures { get }
    /// Restraint lengths in whole minutes → how many restraints.
    var minutes: [Int: Int] { get }
}

extension RestraintLengths {
    public var meanRestraintMinutes: Double? {
        measures.restraints > 0 ? Double(measures.restraintSeconds) / 60 / Double(measures.restraints) : nil
    }
    public var medianRestraintMinutes: Double? { UseOfForceRates.median(minutes) }
    public var maximumRestraintMinutes: Int? { minutes.filter { $0.value > 0 }.keys.max() }
}

/// The sums of a unit, a month or a whole range, and what is derived from them.
public struct UseOfForceFigures: Sendable, Equatable, RestraintLengths {
    public var measures = UseOfForceMeasures()
    /// Occupied bed days entered for the months counted; nil when none were.
    public var occupiedBedDays: Int?
    /// Restraints in the months that have bed days: a rate divides only what its bed days cover, so a month whose
    /// bed days were never entered does not inflate it.
    public var restraintsInMonthsWithBedDays = 0
    /// Unit-months with episodes or bed days but no bed days entered.
    public var monthsWithoutBedDays = 0
    /// Restraint lengths in whole minutes → how many restraints.
    public var minutes: [Int: Int] = [:]
    /// Uses of force the organisation's policy counts as negligible (short records, s6(2)–(3)): a figure of their
    /// own, never part of the episodes or restraints above.
    public var negligibleUses = 0

    public init() {}

    public var restraintsPerThousandBedDays: Double? {
        UseOfForceRates.perThousandBedDays(restraintsInMonthsWithBedDays, bedDays: occupiedBedDays)
    }
    public var seclusionHours: Double { Double(measures.seclusionSeconds) / 3600 }
    public var segregationHours: Double { Double(measures.segregationSeconds) / 3600 }

    public static func + (lhs: Self, rhs: Self) -> Self {
        var sum = lhs
        sum.measures += rhs.measures
        if let days = rhs.occupiedBedDays { sum.occupiedBedDays = (sum.occupiedBedDays ?? 0) + days }
        sum.restraintsInMonthsWithBedDays += rhs.restraintsInMonthsWithBedDays
        sum.monthsWithoutBedDays += rhs.monthsWithoutBedDays
        sum.minutes.merge(rhs.minutes, uniquingKeysWith: +)
        sum.negligibleUses += rhs.negligibleUses
        return sum
    }
}

/// One characteristic value's share of the force used and of the unit's patients.
public struct CharacteristicValueFigures: Sendable, Equatable, RestraintLengths {
    public var code: String
    public var label: String
    public var measures: UseOfForceMeasures
    /// Patients with this value in the population entered for the units and months (nil when none was entered).
    public var patients: Int?
    /// Share of episodes (of those whose value is known) and of the population (of those whose value is known).
    public var episodeShare: Double?
    public var populationShare: Double?
    /// episodeShare ÷ populationShare, and the same for physical restraints.
    public var episodeRatio: Double?
    public var restraintRatio: Double?
    /// not-known and declined are counted but take no share and no ratio.
    public var isKnown: Bool
    /// The lengths of this value's physical restraints in whole minutes → how many restraints, for the median and
    /// maximum (the mean comes from the sums).
    public var minutes: [Int: Int] = [:]

}

public struct CharacteristicFigures: Sendable, Equatable {
    public var characteristic: ProtectedCharacteristic
    public var values: [CharacteristicValueFigures]
}

/// The reduction analytics of a range of months for the units a reader may see (REFERENCE §4, §15 C 24–25).
public struct UseOfForceStatistics: Sendable, Equatable {
    public var from: CalendarMonth
    public var to: CalendarMonth
    public var totals: UseOfForceFigures
    /// unit id → month → figures (only unit-months with episodes or bed days).
    public var byUnitMonth: [String: [CalendarMonth: UseOfForceFigures]]
    public var characteristics: [CharacteristicFigures]
    /// Different patients force was used on, for the whole range, each unit, each month and each unit-month.
    public var patients = DistinctPatients()

    public func unit(_ id: String) -> UseOfForceFigures { (byUnitMonth[id] ?? [:]).values.reduce(UseOfForceFigures(), +) }

    /// Every month of the range with the figures of the units counted (zero where nothing happened).
    public var months: [(month: CalendarMonth, figures: UseOfForceFigures)] {
        from.through(to).map { month in
            (month, byUnitMonth.values.compactMap { $0[month] }.reduce(UseOfForceFigures(), +))
        }
    }

    /// Puts the rollup's rows together. `unitMonths` are the totals rows, `minutes` the histogram, `bedDays` the
    /// unit activity, `byValue` the characteristic rows summed over the range, `population` the patients entered,
    /// `negligible` the short records of negligible force per unit and month, `patients` the distinct patients,
    /// `valueMinutes` each characteristic value's histogram of restraint minutes over the range.
    public static func assemble(from: CalendarMonth, to: CalendarMonth, unitMonths: [(unit: String, month: CalendarMonth, measures: UseOfForceMeasures)],
                                minutes: [(unit: String, month: CalendarMonth, minutes: Int, restraints: Int)],
                                bedDays: [(unit: String, month: CalendarMonth, days: Int)],
                                byValue: [ProtectedCharacteristic: [String: UseOfForceMeasures]],
                                population: [ProtectedCharacteristic: [String: Int]],
                                negligible: [(unit: String, month: CalendarMonth, uses: Int)] = [],
                                patients: DistinctPatients = DistinctPatients(),
                                valueMinutes: [ProtectedCharacteristic: [String: [Int: Int]]] = [:]) -> UseOfForceStatistics {
        var cells: [String: [CalendarMonth: UseOfForceFigures]] = [:]
        for row in unitMonths { cells[row.unit, default: [:]][row.month, default: .init()].measures += row.measures }
        for row in minutes where row.restraints != 0 { cells[row.unit, default: [:]][row.month, default: .init()].minutes[row.minutes, default: 0] += row.restraints }
        for row in bedDays where row.days > 0 { cells[row.unit, default: [:]][row.month, default: .init()].occupiedBedDays = row.days }
        for row in negligible where row.uses > 0 { cells[row.unit, default: [:]][row.month, default: .init()].negligibleUses += row.uses }
        for (unit, months) in cells {
            for (month, var figures) in months {
                // A unit-month with only negligible force has no restraint to rate, so it is not a month missing its bed days.
                let onlyNegligible = figures.measures.isZero && figures.minutes.isEmpty && figures.occupiedBedDays == nil
                if onlyNegligible { continue }
                if figures.occupiedBedDays == nil { figures.monthsWithoutBedDays = 1 } else { figures.restraintsInMonthsWithBedDays = figures.measures.restraints }
                cells[unit]![month] = figures
            }
        }
        let totals = cells.values.flatMap(\.values).reduce(UseOfForceFigures(), +)
        let characteristics = ProtectedCharacteristic.allCases.map { characteristic in
            breakdown(characteristic, byValue[characteristic] ?? [:], population: population[characteristic],
                      minutes: valueMinutes[characteristic] ?? [:])
        }
        return UseOfForceStatistics(from: from, to: to, totals: totals, byUnitMonth: cells, characteristics: characteristics, patients: patients)
    }

    static func breakdown(_ characteristic: ProtectedCharacteristic, _ rows: [String: UseOfForceMeasures],
                          population: [String: Int]?, minutes: [String: [Int: Int]]) -> CharacteristicFigures {
        let known = characteristic.choices.map(\.code)
        let knownEpisodes = known.reduce(0) { $0 + (rows[$1]?.episodes ?? 0) }
        let knownRestraints = known.reduce(0) { $0 + (rows[$1]?.restraints ?? 0) }
        let knownPatients = population.map { counts in known.reduce(0) { $0 + (counts[$1] ?? 0) } } ?? 0
        let codes = known + [ProtectedCharacteristic.notKnown, ProtectedCharacteristic.declined]
        let values = codes.map { code -> CharacteristicValueFigures in
            let measures = rows[code] ?? UseOfForceMeasures()
            let isKnown = known.contains(code)
            let patients = population?[code] ?? (population == nil ? nil : 0)
            return CharacteristicValueFigures(
                code: code, label: characteristic.label(of: code), measures: measures, patients: patients,
                episodeShare: isKnown && knownEpisodes > 0 ? Double(measures.episodes) / Double(knownEpisodes) : nil,
                populationShare: isKnown && knownPatients > 0 ? Double(patients ?? 0) / Double(knownPatients) : nil,
                episodeRatio: isKnown ? UseOfForceRates.disproportionality(count: measures.episodes, knownTotal: knownEpisodes,
                                                                          population: patients ?? 0, populationKnownTotal: knownPatients) : nil,
                restraintRatio: isKnown ? UseOfForceRates.disproportionality(count: measures.restraints, knownTotal: knownRestraints,
                                                                            population: patients ?? 0, populationKnownTotal: knownPatients) : nil,
                isKnown: isKnown, minutes: minutes[code] ?? [:])
        }
        return CharacteristicFigures(characteristic: characteristic, values: values)
    }
}

/// The patients a unit served in a period (a range of months), counted by characteristic value: the denominator of
/// disproportionality. Entered by the unit (from its patient administration system); not derived from the episodes,
/// because the people force was used on are exactly who the comparison must not be drawn from.
public struct UseOfForcePopulation: Sendable, Equatable {
    public var unitId: String
    public var from: CalendarMonth
    public var to: CalendarMonth
    public var patients: [ProtectedCharacteristic: [String: Int]]
    public var updatedAt: Date?

    public init(unitId: String, from: CalendarMonth, to: CalendarMonth, patients: [ProtectedCharacteristic: [String: Int]], updatedAt: Date? = nil) {
        self.unitId = unitId; self.from = from; self.to = to; self.patients = patients; self.updatedAt = updatedAt
    }

    /// The longest period one entry may cover: a year is the usual reporting period; ten allow a look back.
    public static let maximumMonths = 120

    /// Checks the counts: known characteristics and values, whole numbers from 0 to 1,000,000, each error naming
    /// `patients.<characteristic>.<value>`.
    public static func parse(_ raw: [String: [String: Int]], into errors: inout FieldErrors) -> [ProtectedCharacteristic: [String: Int]] {
        var result: [ProtectedCharacteristic: [String: Int]] = [:]
        for key in raw.keys.sorted() {
            guard let characteristic = ProtectedCharacteristic(rawValue: key) else {
                errors.add("patients.\(key)", "\(key) is not a characteristic; use one of " + ProtectedCharacteristic.allCases.map(\.rawValue).joined(separator: ", "))
                continue
            }
            for (value, count) in raw[key]!.sorted(by: { $0.key < $1.key }) {
                guard characteristic.validCodes.contains(value) else {
                    errors.add("patients.\(key).\(value)", "\(value) is not one of " + characteristic.validCodes.joined(separator: ", "))
                    continue
                }
                guard (0...1_000_000).contains(count) else {
                    errors.add("patients.\(key).\(value)", "The number of patients must be a whole number from 0 to 1,000,000")
                    continue
                }
                result[characteristic, default: [:]][value] = count
            }
        }
        return result
    }
}
