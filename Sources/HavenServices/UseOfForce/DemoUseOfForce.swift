import Foundation
import HavenCore
import HavenData

/// Realistic generated use-of-force episodes (`haven demo --use-of-force N`), in the shape of NHS Digital's MHSDS
/// restrictive intervention statistics rather than exact figures: physical restraint most often (standing and
/// restrictive escort ahead of supine and seated, prone a small share), chemical restraint next, seclusion and
/// segregation less often and much longer; most restraints a few minutes; evenings busiest; a patient pool per unit
/// in which a few patients have many episodes; Black patients more often restrained than their share of patients,
/// as national figures show, so the disproportionality ratios have something to find. Three years of history.
public struct DemoUseOfForce: Sendable {
    public struct Unit: Sendable {
        public var id: String
        public var code: String
        public var recorderIds: [String]
        public init(id: String, code: String, recorderIds: [String]) { self.id = id; self.code = code; self.recorderIds = recorderIds }
    }

    struct Patient: Sendable {
        var localId: String
        var name: String
        var nhsNumber: String?
        var characteristics: [String: String]
        var learningDisabilityOrAutism: String
        var detained: Bool
        var section: String?
        /// How likely force is to be used on this patient, relative to others.
        var weight: Int
    }

    public static let historyDays = 3 * 365
    /// Patients each unit has served over the history.
    static let patientsPerUnit = 600

    private let organisationId: String
    private let units: Weighted<Unit>
    private var patients: [String: Weighted<Patient>] = [:]
    private let now: Date
    private var random: SeededRandom

    public init(organisationId: String, units: [Unit], now: Date, seed: UInt64) {
        precondition(!units.isEmpty, "no unit to generate use of force on")
        self.organisationId = organisationId
        self.units = Weighted(units.enumerated().map { ($0.element, $0.offset == 0 ? 3 : 1) })
        self.now = now
        random = SeededRandom(seed: seed)
        for unit in units {
            patients[unit.id] = Weighted((0..<Self.patientsPerUnit).map { index in
                let patient = makePatient(unit: unit, index: index)
                return (patient, patient.weight)
            })
        }
    }

    /// The next `count` episodes, each checked by the same rules as a recorded one.
    public mutating func next(_ count: Int, recordedAt: Date) throws -> [UseOfForceEpisode] {
        var episodes: [UseOfForceEpisode] = []
        episodes.reserveCapacity(count)
        for _ in 0..<count {
            let unit = units.pick(&random)
            let draft = makeDraft(unit: unit, patient: patients[unit.id]!.pick(&random))
            var episode = try draft.validated(id: random.uuid(), organisationId: organisationId,
                                              recordedBy: unit.recorderIds.randomElement(using: &random) ?? "", now: now)
            episode.recordedAt = min(now, episode.startedAt.addingTimeInterval(Double(episode.durationSeconds) + 1800))
            episodes.append(episode)
        }
        return episodes
    }

    private mutating func makeDraft(unit: Unit, patient: Patient) -> UseOfForceDraft {
        var d = UseOfForceDraft()
        let start = occurrence()
        d.unitId = unit.id
        d.reason = Self.choose(Self.reasons, &random)
        d.place = Self.choose(Self.places, &random)
        var at = start
        let count = Self.interventionCounts.pick(&random)
        var types: [RestrictiveInterventionType] = []
        for _ in 0..<count {
            var type = Self.types.pick(&random)
            if types.contains(type) { type = .standing }
            if types.contains(type) { continue }
            types.append(type)
            let seconds = duration(type)
            d.interventions.append(.init(type: type.code, startedAt: at, endedAt: min(now, at + seconds),
                                         position: type == .physicalOther ? "Held against a wall" : nil,
                                         plannedInCarePlan: Int.random(in: 0..<100, using: &random) < 20,
                                         painBased: type.isPhysicalRestraint && Int.random(in: 0..<1000, using: &random) < 8))
            at = min(now - 1, at + seconds + Double(Int.random(in: 0...120, using: &random)))
        }
        if types.contains(.prone) { d.proneJustification = Self.choose(Self.proneReasons, &random) }
        d.description = Self.choose(Self.descriptions, &random)
        d.staff = (0..<Int.random(in: 1...4, using: &random)).map { _ in
            StaffInvolved(name: Self.choose(Self.staffNames, &random), jobTitle: Self.choose(Self.jobTitles, &random))
        }
        d.nonStaffInvolved = Int.random(in: 0..<100, using: &random) < 3
        if d.nonStaffInvolved == true {
            // No random draw here, so the rest of a seeded history stays as it was.
            d.nonStaffReason = "Police attended because a weapon was reported"
            d.policeBodyCameras = PoliceBodyCameras.onThroughout.rawValue
            d.policeForce = "Metropolitan Police Service"
        }
        d.outcome = Self.choose(Self.outcomes, &random)
        d.harm = Self.harms.pick(&random).rawValue
        d.effortsToAvoid = Self.choose(Self.efforts, &random)
        d.carePlanContactsNotified = Self.notified.pick(&random).rawValue
        d.patientLocalId = patient.localId; d.patientName = patient.name
        if let nhs = patient.nhsNumber { d.nhsNumber = nhs } else { d.nhsNumberNotKnown = true }
        d.mentalDisorder = Self.choose(Self.disorders, &random)
        d.characteristicsStatus = patient.characteristics.isEmpty ? "not-known" : "recorded"
        d.characteristics = patient.characteristics
        d.learningDisabilityOrAutism = patient.learningDisabilityOrAutism
        d.detained = patient.detained; d.detentionSection = patient.section
        d.confirmLongRestraint = true
        return d
    }

    private mutating func makePatient(unit: Unit, index: Int) -> Patient {
        let ethnicity = Self.ethnicities.pick(&random)
        var characteristics: [String: String] = [:]
        if Int.random(in: 0..<100, using: &random) >= 8 {
            characteristics = ["ethnicity": ethnicity, "sex": Self.sexes.pick(&random), "ageBand": Self.ageBands.pick(&random),
                               "religion": Self.religions.pick(&random), "disability": Int.random(in: 0..<100, using: &random) < 30 ? "yes" : "no"]
        }
        // A few patients have many episodes; Black patients are restrained more often than their share of patients.
        var weight = [1, 1, 1, 1, 2, 2, 3, 5, 10, 30][Int.random(in: 0..<10, using: &random)]
        if ["M", "N", "P"].contains(ethnicity) { weight *= 3 }
        let detained = Int.random(in: 0..<100, using: &random) < 88
        return Patient(localId: "\(unit.code)-\(zeroPadded(index + 1, 5))", name: Self.choose(Self.patientNames, &random) + " " + Self.choose(Self.surnames, &random),
                       nhsNumber: Int.random(in: 0..<100, using: &random) < 95 ? nhsNumber() : nil, characteristics: characteristics,
                       learningDisabilityOrAutism: Self.learningDisability.pick(&random), detained: detained,
                       section: detained ? Self.sections.pick(&random) : nil, weight: weight)
    }

    /// A patient population per unit for a period, in the proportions the patient pool was drawn from.
    public static func population(total: Int) -> [ProtectedCharacteristic: [String: Int]] {
        func share(_ options: [(String, Int)]) -> [String: Int] {
            let sum = options.reduce(0) { $0 + $1.1 }
            return Dictionary(uniqueKeysWithValues: options.map { ($0.0, Int((Double(total) * Double($0.1) / Double(sum)).rounded())) })
        }
        return [.ethnicity: share(ethnicityShares), .sex: share(sexShares), .ageBand: share(ageBandShares), .religion: share(religionShares)]
    }

    private mutating func duration(_ type: RestrictiveInterventionType) -> TimeInterval {
        let minutes: Int
        switch type {
        case .seclusion: minutes = Int.random(in: 60...(36 * 60), using: &random)
        case .segregation: minutes = Int.random(in: (24 * 60)...(10 * 24 * 60), using: &random)
        case .mechanical: minutes = Int.random(in: 5...45, using: &random)
        case .rapidTranquillisation, .injectionNonRapid, .oral, .chemicalOther: minutes = Int.random(in: 1...5, using: &random)
        case .prone: minutes = Self.proneMinutes.pick(&random)
        default: minutes = Self.restraintMinutes.pick(&random)
        }
        return Double(minutes * 60 + Int.random(in: 0..<60, using: &random))
    }

    private mutating func occurrence() -> Date {
        let today = (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        let day = Double(Int.random(in: 0..<Self.historyDays, using: &random))
        var at = Date(timeIntervalSince1970: today - day * 86_400 + Double(Self.hours.pick(&random) * 3600 + Int.random(in: 0..<3600, using: &random)))
        if at > now - 3600 { at.addTimeInterval(-86_400) }
        return at
    }

    private mutating func nhsNumber() -> String {
        while true {
            let nine = (0..<9).map { _ in Int.random(in: 0...9, using: &random) }
            if let check = NHSNumber.checkDigit(nine) { return (nine + [check]).map(String.init).joined() }
        }
    }

    private static func choose(_ options: [String], _ random: inout SeededRandom) -> String {
        options[Int.random(in: 0..<options.count, using: &random)]
    }
}
