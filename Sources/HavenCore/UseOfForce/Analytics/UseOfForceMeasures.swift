import Foundation

/// The counts reduction analytics add up for a unit and month (REFERENCE §4, §15 C 24–25): what NHS Digital
/// publishes from MHSDS, so Haven's figures compare with national ones. Every field is a plain sum, so a month's
/// figures are kept in a rollup row that a new record adds to and a correction takes from and adds to again.
public struct UseOfForceMeasures: Sendable, Equatable, Codable {
    public var episodes = 0
    /// Physical restraint interventions (codes 01 and 07–13).
    public var restraints = 0
    public var restraintSeconds = 0
    /// Prone restraints (01), and those lasting 10 minutes or more (the Assuring Transformation split).
    public var prone = 0
    public var proneTenMinutes = 0
    public var seclusionSeconds = 0
    public var segregationSeconds = 0
    public var seclusions = 0
    public var segregations = 0
    public var mechanical = 0
    /// Chemical restraint (14–17), and rapid tranquillisation (14) among them.
    public var chemical = 0
    public var rapidTranquillisation = 0
    /// Interventions where a pain-based technique was used.
    public var painBased = 0
    /// Episodes whose outcome was serious injury, or death (s6(5)(n)).
    public var seriousInjuries = 0
    public var deaths = 0

    public init() {}

    /// What one episode adds.
    public init(_ episode: UseOfForceEpisode) {
        episodes = 1
        for intervention in episode.interventions {
            let seconds = max(0, intervention.durationSeconds)
            if intervention.type.isPhysicalRestraint { restraints += 1; restraintSeconds += seconds }
            switch intervention.type {
            case .prone:
                prone += 1
                if seconds >= UseOfForceRules.proneFlagSeconds { proneTenMinutes += 1 }
            case .seclusion: seclusions += 1; seclusionSeconds += seconds
            case .segregation: segregations += 1; segregationSeconds += seconds
            case .mechanical: mechanical += 1
            case .rapidTranquillisation: chemical += 1; rapidTranquillisation += 1
            case .injectionNonRapid, .oral, .chemicalOther: chemical += 1
            default: break
            }
            if intervention.painBased { painBased += 1 }
        }
        if episode.harm == .seriousInjury { seriousInjuries = 1 }
        if episode.harm == .death { deaths = 1 }
    }

    /// The stored columns, in one order for the rollup's insert, upsert and read.
    public static let columns = ["episodes", "restraints", "restraint_seconds", "prone", "prone_ten_minutes", "seclusion_seconds",
                                 "segregation_seconds", "seclusions", "segregations", "mechanical", "chemical",
                                 "rapid_tranquillisation", "pain_based", "serious_injuries", "deaths"]

    public var values: [Int] {
        [episodes, restraints, restraintSeconds, prone, proneTenMinutes, seclusionSeconds, segregationSeconds, seclusions, segregations,
         mechanical, chemical, rapidTranquillisation, painBased, seriousInjuries, deaths]
    }

    public init(values: [Int]) {
        precondition(values.count == Self.columns.count)
        (episodes, restraints, restraintSeconds, prone, proneTenMinutes, seclusionSeconds, segregationSeconds) =
            (values[0], values[1], values[2], values[3], values[4], values[5], values[6])
        (seclusions, segregations, mechanical, chemical, rapidTranquillisation, painBased, seriousInjuries, deaths) =
            (values[7], values[8], values[9], values[10], values[11], values[12], values[13], values[14])
    }

    public static func + (lhs: Self, rhs: Self) -> Self { Self(values: zip(lhs.values, rhs.values).map { $0 + $1 }) }
    public static prefix func - (value: Self) -> Self { Self(values: value.values.map { -$0 }) }
    public static func += (lhs: inout Self, rhs: Self) { lhs = lhs + rhs }

    public var isZero: Bool { values.allSatisfy { $0 == 0 } }
}

/// The rates and ratios derived from the sums, as pure functions so tests can check the arithmetic directly.
public enum UseOfForceRates {
    /// Count per 1,000 occupied bed days; nil when the bed days were not entered (a rate of nothing is not zero).
    public static func perThousandBedDays(_ count: Int, bedDays: Int?) -> Double? {
        guard let bedDays, bedDays > 0 else { return nil }
        return Double(count) * 1000 / Double(bedDays)
    }

    /// Disproportionality: the share of episodes with a value divided by the share of the unit's patients with it.
    /// Shares are of the people whose value is known on each side ("not known" and "declined" are left out of both
    /// totals), so a poorly completed record does not make every group look under-represented. nil when either
    /// side has nothing to divide by. 1 means in proportion; 2 means twice the value's share of the population.
    public static func disproportionality(count: Int, knownTotal: Int, population: Int, populationKnownTotal: Int) -> Double? {
        guard knownTotal > 0, populationKnownTotal > 0, population > 0 else { return nil }
        return (Double(count) / Double(knownTotal)) / (Double(population) / Double(populationKnownTotal))
    }

    /// The median of a histogram of whole minutes (minute → how many restraints), the mean of the two middle
    /// values when the count is even. nil for an empty histogram.
    public static func median(_ histogram: [Int: Int]) -> Double? {
        let total = histogram.values.reduce(0, +)
        guard total > 0 else { return nil }
        let sorted = histogram.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        func value(at rank: Int) -> Int {
            var seen = 0
            for (minutes, count) in sorted {
                seen += count
                if seen > rank { return minutes }
            }
            return sorted.last!.key
        }
        if total % 2 == 1 { return Double(value(at: total / 2)) }
        return Double(value(at: total / 2 - 1) + value(at: total / 2)) / 2
    }

    /// A restraint's length in whole minutes, to the nearest minute (what the histogram counts).
    public static func wholeMinutes(_ seconds: Int) -> Int { (max(0, seconds) + 30) / 60 }
}

/// A calendar month (YYYY-MM) in the organisation's time zone: what bed days, populations and statistics use.
public struct CalendarMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(_ text: String) {
        guard Validate.month(text) else { return nil }
        let parts = text.split(separator: "-")
        year = Int(parts[0])!; month = Int(parts[1])!
    }

    public init(year: Int, month: Int) {
        let index = year * 12 + (month - 1)
        self.year = index / 12; self.month = index % 12 + 1
    }

    public init(_ date: Date, in timeZone: TimeZone) {
        let day = CalendarDay(date, in: timeZone)
        self.init(year: day.year, month: day.month)
    }

    public var index: Int { year * 12 + month - 1 }
    public func adding(months: Int) -> CalendarMonth { CalendarMonth(year: 0, month: index + months + 1) }
    /// Every month from this one to `last`, inclusive.
    public func through(_ last: CalendarMonth) -> [CalendarMonth] {
        last < self ? [] : (0...(last.index - index)).map { adding(months: $0) }
    }

    public var description: String { zeroPadded(year, 4) + "-" + zeroPadded(month, 2) }
    /// Its first and last days (YYYY-MM-DD), for filters that take days.
    public var firstDay: String { description + "-01" }
    public var lastDay: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let first = calendar.date(from: DateComponents(year: year, month: month, day: 1))!
        return description + "-" + zeroPadded(calendar.range(of: .day, in: .month, for: first)!.count, 2)
    }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.index < rhs.index }
}
