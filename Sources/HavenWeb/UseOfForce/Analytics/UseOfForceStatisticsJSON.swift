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

        /// `n` withholds small counts (left out) and the figures worked out from them, for partnership representatives.
        init(_ figures: UseOfForceFigures, patients: PatientCount, unitId: String? = nil, unitName: String? = nil, month: String? = nil,
             _ n: SmallNumbers) {
            let m = figures.measures
            self.unitId = unitId; self.unitName = unitName; self.month = month
            distinctPatients = n.shown(patients.patients); distinctPatientsIncomplete = patients.incomplete
            negligibleForceUses = n.shown(figures.negligibleUses)
            episodes = n.shown(m.episodes); restraints = n.shown(m.restraints); prone = n.shown(m.prone); proneTenMinutes = n.shown(m.proneTenMinutes)
            seclusions = n.shown(m.seclusions); segregations = n.shown(m.segregations); mechanical = n.shown(m.mechanical); chemical = n.shown(m.chemical)
            rapidTranquillisation = n.shown(m.rapidTranquillisation); painBased = n.shown(m.painBased)
            seriousInjuries = n.shown(m.seriousInjuries); deaths = n.shown(m.deaths)
            monthsWithoutBedDays = figures.monthsWithoutBedDays
            occupiedBedDays = figures.occupiedBedDays
            restraintsPer1000BedDays = n.shown(figures.restraintsPerThousandBedDays.map(threeDecimals), from: m.restraints)
            restraintMinutes = Minutes(mean: n.shown(figures.meanRestraintMinutes.map(threeDecimals), from: m.restraints),
                                       median: n.shown(figures.medianRestraintMinutes, from: m.restraints),
                                       maximum: n.shown(figures.maximumRestraintMinutes, from: m.restraints))
            seclusionHours = n.shown(threeDecimals(figures.seclusionHours), from: m.seclusions)
            segregationHours = n.shown(threeDecimals(figures.segregationHours), from: m.segregations)
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

        /// As the page does: a ratio is withheld when its count or the value's patients are few.
        init(_ figures: CharacteristicValueFigures, _ n: SmallNumbers) {
            let m = figures.measures
            let patientsHidden = n.hides(figures.patients ?? 0)
            func derived(_ value: Double?, from basis: Int) -> Double? { n.shown(value.map(threeDecimals), from: basis) }
            value = figures.code; label = figures.label; known = figures.isKnown
            episodes = n.shown(m.episodes); restraints = n.shown(m.restraints); prone = n.shown(m.prone)
            proneTenMinutes = n.shown(m.proneTenMinutes); chemical = n.shown(m.chemical)
            restraintMinutesMean = derived(figures.meanRestraintMinutes, from: m.restraints)
            restraintMinutesMedian = derived(figures.medianRestraintMinutes, from: m.restraints)
            restraintMinutesMaximum = n.shown(figures.maximumRestraintMinutes, from: m.restraints)
            seclusionHours = derived(Double(m.seclusionSeconds) / 3600, from: m.seclusions)
            segregationHours = derived(Double(m.segregationSeconds) / 3600, from: m.segregations)
            patients = figures.patients.flatMap(n.shown)
            episodeShare = derived(figures.episodeShare, from: m.episodes)
            populationShare = patientsHidden ? nil : figures.populationShare.map(threeDecimals)
            episodeRatio = patientsHidden ? nil : derived(figures.episodeRatio, from: m.episodes)
            restraintRatio = patientsHidden ? nil : derived(figures.restraintRatio, from: m.restraints)
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
        totals = Figures(statistics.totals, patients: patients.total, n)
        months = statistics.months.map { Figures($0.figures, patients: patients.month($0.month), month: $0.month.description, n) }
        let counted = query.units.filter { query.unitIds?.contains($0.id) ?? true }
        units = counted.map { Figures(statistics.unit($0.id), patients: patients.unit($0.id), unitId: $0.id, unitName: $0.name, n) }
        unitMonths = counted.flatMap { unit in
            (statistics.byUnitMonth[unit.id] ?? [:]).sorted { $0.key < $1.key }.map {
                Figures($0.value, patients: patients.byUnitMonth[unit.id]?[$0.key] ?? PatientCount(), unitId: unit.id, month: $0.key.description, n)
            }
        }
        characteristics = statistics.characteristics.map {
            Characteristic(characteristic: $0.characteristic.rawValue, label: $0.characteristic.label, values: $0.values.map { Value($0, n) })
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
