import Foundation
import HavenCore

/// The statistics as the API sends them. Figures that cannot be computed (a rate without bed days, a median of no
/// restraints, a ratio without a population) are left out rather than sent as 0, which would be a false figure.
struct UseOfForceStatisticsJSON: Encodable {
    struct Minutes: Encodable {
        var mean: Double?
        var median: Double?
        var maximum: Int?
    }

    struct Figures: Encodable {
        var unitId: String?
        var unitName: String?
        var month: String?
        var episodes, restraints, prone, proneTenMinutes, seclusions, segregations, mechanical, chemical, rapidTranquillisation: Int?
        var painBased, seriousInjuries, deaths: Int?
        var monthsWithoutBedDays: Int
        var occupiedBedDays: Int?
        var restraintsPer1000BedDays: Double?
        var restraintMinutes: Minutes
        var seclusionHours, segregationHours: Double?
        /// Different patients force was used on (a patient with many episodes counts once); not a sum of the months or units.
        var distinctPatients: Int?
        /// True when some episodes counted lost their patient identifier to retention: distinctPatients is then at least this.
        var distinctPatientsIncomplete: Bool
        /// Short records of negligible force (s6(2)–(3)), counted apart: never part of episodes or restraints.
        var negligibleForceUses: Int?

        /// `p` withholds small counts (left out), the counts that would give them away, and the figures worked out
        /// from them, for partnership representatives.
        init(_ figures: UseOfForceFigures, patients: PatientCount, unitId: String? = nil, unitName: String? = nil, month: String? = nil,
             _ p: PublishedCounts) {
            self.unitId = unitId; self.unitName = unitName; self.month = month
            distinctPatients = p.shown(.patients); distinctPatientsIncomplete = patients.incomplete
            negligibleForceUses = p.shown(.negligibleUses)
            episodes = p.shown(.episodes); restraints = p.shown(.restraints); prone = p.shown(.prone); proneTenMinutes = p.shown(.proneTenMinutes)
            seclusions = p.shown(.seclusions); segregations = p.shown(.segregations); mechanical = p.shown(.mechanical); chemical = p.shown(.chemical)
            rapidTranquillisation = p.shown(.rapidTranquillisation); painBased = p.shown(.painBased)
            seriousInjuries = p.shown(.seriousInjuries); deaths = p.shown(.deaths)
            monthsWithoutBedDays = figures.monthsWithoutBedDays
            occupiedBedDays = figures.occupiedBedDays
            restraintsPer1000BedDays = p.shown(figures.restraintsPerThousandBedDays.map(threeDecimals), from: .restraints, .ratedRestraints)
            restraintMinutes = Minutes(mean: p.shown(figures.meanRestraintMinutes.map(threeDecimals), from: .restraints),
                                       median: p.shown(figures.medianRestraintMinutes, from: .restraints),
                                       maximum: p.shown(figures.maximumRestraintMinutes, from: .restraints))
            seclusionHours = p.shown(threeDecimals(figures.seclusionHours), from: .seclusions)
            segregationHours = p.shown(threeDecimals(figures.segregationHours), from: .segregations)
        }
    }

    struct Value: Encodable {
        var value, label: String
        var known: Bool
        var episodes, restraints, prone, proneTenMinutes, chemical: Int?
        var restraintMinutesMean, restraintMinutesMedian: Double?
        var restraintMinutesMaximum: Int?
        var seclusionHours, segregationHours: Double?
        var patients: Int?
        var episodeShare, populationShare, episodeRatio, restraintRatio: Double?

        /// As the page does: a ratio is withheld when its count or the value's patients are withheld.
        init(_ figures: CharacteristicValueFigures, _ p: PublishedCounts) {
            let m = figures.measures
            value = figures.code; label = figures.label; known = figures.isKnown
            episodes = p.shown(.episodes); restraints = p.shown(.restraints); prone = p.shown(.prone)
            proneTenMinutes = p.shown(.proneTenMinutes); chemical = p.shown(.chemical)
            restraintMinutesMean = p.shown(figures.meanRestraintMinutes.map(threeDecimals), from: .restraints)
            restraintMinutesMedian = p.shown(figures.medianRestraintMinutes.map(threeDecimals), from: .restraints)
            restraintMinutesMaximum = p.shown(figures.maximumRestraintMinutes, from: .restraints)
            seclusionHours = p.shown(threeDecimals(Double(m.seclusionSeconds) / 3600), from: .seclusions)
            segregationHours = p.shown(threeDecimals(Double(m.segregationSeconds) / 3600), from: .segregations)
            patients = p.shown(.patients)
            episodeShare = p.shown(figures.episodeShare.map(threeDecimals), from: .episodes)
            populationShare = p.shown(figures.populationShare.map(threeDecimals), from: .patients)
            episodeRatio = p.shown(figures.episodeRatio.map(threeDecimals), from: .episodes, .patients)
            restraintRatio = p.shown(figures.restraintRatio.map(threeDecimals), from: .restraints, .patients)
        }
    }

    struct Characteristic: Encodable {
        var characteristic, label: String
        var values: [Value]
    }

    var from, to: String
    var unitId: String?
    var ratioMethod: String
    var totals: Figures
    var months: [Figures]
    var units: [Figures]
    var unitMonths: [Figures]
    var characteristics: [Characteristic]
    /// Present when small numbers are withheld from this reader (a partnership representative): a withheld figure is
    /// left out, as one that cannot be worked out is.
    var suppression: Suppression?

    struct Suppression: Encodable {
        var threshold: Int
        var explanation: String
    }

    static let ratioMethod = "Disproportionality ratio = (episodes with the value ÷ episodes whose value is known) ÷ "
        + "(patients with the value ÷ patients whose value is known), over the units and months asked for; the population is "
        + "the sum of the periods entered that overlap the months. Not known and declined take no share. 1 means in proportion."

    init(_ statistics: UseOfForceStatistics, query: UseOfForceStatisticsQuery, hiding n: SmallNumbers) {
        from = statistics.from.description; to = statistics.to.description; unitId = query.unitId
        ratioMethod = Self.ratioMethod
        suppression = n.threshold > 0 ? Suppression(threshold: n.threshold, explanation: n.explanation + " In this answer a withheld figure is left out.") : nil
        let patients = statistics.patients
        totals = Figures(statistics.totals, patients: patients.total, n.published(statistics.totals, patients: patients.total))
        let monthRows = statistics.months.map { (figures: $0.figures, patients: patients.month($0.month), month: $0.month) }
        months = zip(monthRows, n.published(monthRows.map { ($0.figures, $0.patients) })).map {
            Figures($0.figures, patients: $0.patients, month: $0.month.description, $1)
        }
        let counted = query.units.filter { query.unitIds?.contains($0.id) ?? true }
        let unitRows = counted.map { (unit: $0, figures: statistics.unit($0.id), patients: patients.unit($0.id)) }
        units = zip(unitRows, n.published(unitRows.map { ($0.figures, $0.patients) })).map {
            Figures($0.figures, patients: $0.patients, unitId: $0.unit.id, unitName: $0.unit.name, $1)
        }
        // Each unit's months add up to the unit's figures, and each month's units to the month's: both are protected,
        // in a fixed order so that every answer withholds the same cells (two different answers would give more away).
        let cells = counted.flatMap { unit in
            (statistics.byUnitMonth[unit.id] ?? [:]).sorted { $0.key < $1.key }.map {
                (unit: unit.id, month: $0.key, figures: $0.value, patients: patients.byUnitMonth[unit.id]?[$0.key] ?? PatientCount())
            }
        }
        let groups = Dictionary(grouping: cells.indices, by: { cells[$0].unit }).sorted { $0.key < $1.key }.map(\.value)
            + Dictionary(grouping: cells.indices, by: { cells[$0].month }).sorted { $0.key < $1.key }.map(\.value)
        unitMonths = zip(cells, n.published(cells.map { ($0.figures, $0.patients) }, groups: groups)).map {
            Figures($0.figures, patients: $0.patients, unitId: $0.unit, month: $0.month.description, $1)
        }
        characteristics = statistics.characteristics.map { characteristic in
            Characteristic(characteristic: characteristic.characteristic.rawValue, label: characteristic.characteristic.label,
                           values: zip(characteristic.values, n.published(characteristic)).map { Value($0, $1) })
        }
    }
}

/// Three decimal places: enough for a rate or a ratio, and the same figure on every run.
func threeDecimals(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

/// A unit's population for a period, as the API sends and takes it.
struct UseOfForcePopulationJSON: Encodable {
    var unitId, from, to: String
    var patients: [String: [String: Int]]
    var updatedAt: Date?

    init(_ population: UseOfForcePopulation) {
        unitId = population.unitId; from = population.from.description; to = population.to.description
        patients = Dictionary(uniqueKeysWithValues: population.patients.map { ($0.key.rawValue, $0.value) })
        updatedAt = population.updatedAt
    }
}
