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
        var episodes, restraints, prone, proneTenMinutes, seclusions, segregations, mechanical, chemical, rapidTranquillisation: Int
        var painBased, seriousInjuries, deaths, monthsWithoutBedDays: Int
        var occupiedBedDays: Int?
        var restraintsPer1000BedDays: Double?
        var restraintMinutes: Minutes
        var seclusionHours, segregationHours: Double
        /// Different patients force was used on (a patient with many episodes counts once); not a sum of the months or units.
        var distinctPatients: Int
        /// True when some episodes counted lost their patient identifier to retention: distinctPatients is then at least this.
        var distinctPatientsIncomplete: Bool
        /// Short records of negligible force (s6(2)–(3)), counted apart: never part of episodes or restraints.
        var negligibleForceUses: Int

        init(_ figures: UseOfForceFigures, patients: PatientCount, unitId: String? = nil, unitName: String? = nil, month: String? = nil) {
            let m = figures.measures
            self.unitId = unitId; self.unitName = unitName; self.month = month
            distinctPatients = patients.patients; distinctPatientsIncomplete = patients.incomplete
            negligibleForceUses = figures.negligibleUses
            episodes = m.episodes; restraints = m.restraints; prone = m.prone; proneTenMinutes = m.proneTenMinutes
            seclusions = m.seclusions; segregations = m.segregations; mechanical = m.mechanical; chemical = m.chemical
            rapidTranquillisation = m.rapidTranquillisation; painBased = m.painBased; seriousInjuries = m.seriousInjuries; deaths = m.deaths
            monthsWithoutBedDays = figures.monthsWithoutBedDays
            occupiedBedDays = figures.occupiedBedDays
            restraintsPer1000BedDays = figures.restraintsPerThousandBedDays.map(threeDecimals)
            restraintMinutes = Minutes(mean: figures.meanRestraintMinutes.map(threeDecimals), median: figures.medianRestraintMinutes,
                                       maximum: figures.maximumRestraintMinutes)
            seclusionHours = threeDecimals(figures.seclusionHours); segregationHours = threeDecimals(figures.segregationHours)
        }
    }

    struct Value: Encodable {
        var value, label: String
        var known: Bool
        var episodes, restraints, prone, proneTenMinutes, chemical: Int
        var restraintMinutesMean: Double?
        var seclusionHours, segregationHours: Double
        var patients: Int?
        var episodeShare, populationShare, episodeRatio, restraintRatio: Double?

        init(_ figures: CharacteristicValueFigures) {
            let m = figures.measures
            value = figures.code; label = figures.label; known = figures.isKnown
            episodes = m.episodes; restraints = m.restraints; prone = m.prone; proneTenMinutes = m.proneTenMinutes; chemical = m.chemical
            restraintMinutesMean = m.restraints > 0 ? threeDecimals(Double(m.restraintSeconds) / 60 / Double(m.restraints)) : nil
            seclusionHours = threeDecimals(Double(m.seclusionSeconds) / 3600); segregationHours = threeDecimals(Double(m.segregationSeconds) / 3600)
            patients = figures.patients
            episodeShare = figures.episodeShare.map(threeDecimals); populationShare = figures.populationShare.map(threeDecimals)
            episodeRatio = figures.episodeRatio.map(threeDecimals); restraintRatio = figures.restraintRatio.map(threeDecimals)
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

    static let ratioMethod = "Disproportionality ratio = (episodes with the value ÷ episodes whose value is known) ÷ "
        + "(patients with the value ÷ patients whose value is known), over the units and months asked for; the population is "
        + "the sum of the periods entered that overlap the months. Not known and declined take no share. 1 means in proportion."

    init(_ statistics: UseOfForceStatistics, query: UseOfForceStatisticsQuery) {
        from = statistics.from.description; to = statistics.to.description; unitId = query.unitId
        ratioMethod = Self.ratioMethod
        let patients = statistics.patients
        totals = Figures(statistics.totals, patients: patients.total)
        months = statistics.months.map { Figures($0.figures, patients: patients.month($0.month), month: $0.month.description) }
        let counted = query.units.filter { query.unitIds?.contains($0.id) ?? true }
        units = counted.map { Figures(statistics.unit($0.id), patients: patients.unit($0.id), unitId: $0.id, unitName: $0.name) }
        unitMonths = counted.flatMap { unit in
            (statistics.byUnitMonth[unit.id] ?? [:]).sorted { $0.key < $1.key }.map {
                Figures($0.value, patients: patients.byUnitMonth[unit.id]?[$0.key] ?? PatientCount(), unitId: unit.id, month: $0.key.description)
            }
        }
        characteristics = statistics.characteristics.map {
            Characteristic(characteristic: $0.characteristic.rawValue, label: $0.characteristic.label, values: $0.values.map(Value.init))
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
