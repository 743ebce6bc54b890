import Foundation
import HavenCore
import HavenData

/// Realistic demo incidents for an organisation (`haven demo --incidents N`): wards and the emergency department
/// report far more than community teams, verbal abuse is most common, then physical assault and threats; most
/// perpetrators are patients and most harm is none or minor; evenings are busiest; three years of history with
/// older reports mostly closed. Proportions follow the shape of NHS staff-survey and incident data, not exact figures.
public struct DemoIncidents: Sendable {
    public struct Unit: Sendable {
        public var id: String
        public var code: String
        public var kind: UnitKind
        /// Demo users who may have reported here (they work on this unit).
        public var reporterIds: [String]

        public init(id: String, code: String, kind: UnitKind, reporterIds: [String]) {
            self.id = id
            self.code = code
            self.kind = kind
            self.reporterIds = reporterIds
        }
    }

    /// How far back the history goes.
    public static let historyDays = 3 * 365

    private let organisationId: String
    private let units: Weighted<Unit>
    private let now: Date
    private var random: SeededRandom

    public init(organisationId: String, units: [Unit], now: Date, seed: UInt64) {
        precondition(!units.isEmpty, "an organisation with no units has nowhere for incidents to happen")
        self.organisationId = organisationId
        self.units = Weighted(units.map { ($0, Self.weight(of: $0)) })
        self.now = now
        self.random = SeededRandom(seed: seed)
    }

    /// The next `count` reports.
    public mutating func next(_ count: Int) -> [IncidentReport] {
        var reports: [IncidentReport] = []
        reports.reserveCapacity(count)
        for _ in 0..<count { reports.append(make()) }
        return reports
    }

    private mutating func make() -> IncidentReport {
        let unit = units.pick(&random)
        let type = Self.types.pick(&random)
        let perpetrator = Self.perpetrators(unit.kind).pick(&random)
        let harm = (type == .physicalAssault ? Self.harmAfterAssault : Self.harmOtherwise).pick(&random)
        let occurredAt = occurrence()
        let reportedAt = min(now, occurredAt.addingTimeInterval(reportingDelay()))
        let ageDays = now.timeIntervalSince(occurredAt) / 86_400
        let status = Self.statuses(ageDays: ageDays).pick(&random)
        var reporterId: String?
        if !unit.reporterIds.isEmpty, Int.random(in: 0..<100, using: &random) < 25 { reporterId = unit.reporterIds.randomElement(using: &random) }
        var report = IncidentReport(
            id: uuid(), organisationId: organisationId, type: type, occurredAt: occurredAt, unitId: unit.id,
            area: Self.choose(DemoIncidentFragments.areas(unit.kind), &random), perpetrator: perpetrator, harm: harm,
            description: description(type: type, perpetrator: perpetrator, harm: harm, kind: unit.kind),
            reporterRole: Self.reporterRoles.pick(&random), reporterId: reporterId, status: status, reportedAt: reportedAt)
        if status == .closed {
            report.outcome = Self.choose(DemoIncidentFragments.closingOutcomes, &random)
            report.closedAt = min(now, reportedAt.addingTimeInterval(Double(Int.random(in: 1...30, using: &random)) * 86_400))
        }
        return report
    }

    /// A day in the last three years, an hour with the evening peak, any minute; never in the future.
    private mutating func occurrence() -> Date {
        let today = (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        let day = Double(Int.random(in: 0..<Self.historyDays, using: &random))
        let seconds = Double(Self.hours.pick(&random) * 3600 + Int.random(in: 0..<3600, using: &random))
        var at = Date(timeIntervalSince1970: today - day * 86_400 + seconds)
        if at > now { at.addTimeInterval(-86_400) }
        return at
    }

    /// Most reports are made within a couple of hours; some the next day, a few a week later.
    private mutating func reportingDelay() -> TimeInterval {
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<70: Double(Int.random(in: 5...120, using: &random)) * 60
        case 70..<95: Double(Int.random(in: 2...24, using: &random)) * 3600
        default: Double(Int.random(in: 1...7, using: &random)) * 86_400
        }
    }

    private mutating func description(type: IncidentType, perpetrator: Perpetrator, harm: Harm, kind: UnitKind) -> String {
        let subject = Self.choose(DemoIncidentFragments.subject(perpetrator, kind), &random)
        let act = Self.choose(DemoIncidentFragments.acts(type), &random)
        let trigger = Self.choose(DemoIncidentFragments.triggers, &random)
        var text = subject + " " + act + (trigger.isEmpty ? "" : " " + trigger) + ". "
        text += Self.choose(DemoIncidentFragments.responses, &random) + " " + Self.choose(DemoIncidentFragments.outcomes(harm), &random)
        let followUp = Self.choose(DemoIncidentFragments.followUps, &random)
        return followUp.isEmpty ? text : text + " " + followUp
    }

    private mutating func uuid() -> String { random.uuid() }

    private static func choose(_ options: [String], _ random: inout SeededRandom) -> String {
        options[Int.random(in: 0..<options.count, using: &random)]
    }
}

// MARK: - Proportions

extension DemoIncidents {
    /// Inpatient wards and the emergency department report far more than community teams.
    static func weight(of unit: Unit) -> Int {
        switch unit.kind {
        case .mentalHealthWard: 30
        case .emergencyDepartment: 30
        case .inpatientWard: 14
        case .careHome: 12
        case .domiciliaryCare, .communityTeam: 7
        case .primaryCare, .other: 4
        }
    }

    static let types = Weighted<IncidentType>([
        (.verbalAbuse, 42), (.physicalAssault, 20), (.threat, 12), (.attemptedAssault, 8), (.damageToProperty, 6),
        (.sexualHarassmentOrAssault, 4), (.hateAbuse, 4), (.onlineOrWrittenAbuse, 2), (.other, 2),
    ])

    static func perpetrators(_ kind: UnitKind) -> Weighted<Perpetrator> {
        switch kind {
        case .emergencyDepartment: perpetratorsInED
        case .communityTeam, .domiciliaryCare: perpetratorsInCommunity
        default: perpetratorsOnWards
        }
    }
    static let perpetratorsOnWards = Weighted<Perpetrator>([
        (.patientOrServiceUser, 84), (.relativeOrVisitor, 8), (.memberOfThePublic, 2), (.colleague, 4), (.manager, 1), (.personalAcquaintance, 1)])
    static let perpetratorsInED = Weighted<Perpetrator>([
        (.patientOrServiceUser, 60), (.relativeOrVisitor, 20), (.memberOfThePublic, 15), (.colleague, 3), (.manager, 1), (.personalAcquaintance, 1)])
    static let perpetratorsInCommunity = Weighted<Perpetrator>([
        (.patientOrServiceUser, 70), (.relativeOrVisitor, 18), (.memberOfThePublic, 6), (.colleague, 3), (.manager, 1), (.personalAcquaintance, 2)])

    static let harmAfterAssault = Weighted<Harm>([(.none, 25), (.minor, 40), (.firstAid, 20), (.medicalTreatment, 10), (.timeOffWork, 5)])
    static let harmOtherwise = Weighted<Harm>([(.none, 80), (.minor, 16), (.firstAid, 3), (.medicalTreatment, 1)])

    static let reporterRoles = Weighted<ReporterRole>([(.harmed, 65), (.witness, 25), (.onBehalf, 10)])

    /// Hour of day (UTC, close to UK time): quiet nights, busier days, the peak in the early evening.
    static let hours = Weighted<Int>([3, 2, 2, 1, 1, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 6, 7, 9, 10, 10, 9, 8, 6, 4].enumerated().map { ($0.offset, $0.element) })

    /// Older reports are mostly closed; this week's are mostly waiting for review.
    static func statuses(ageDays: Double) -> Weighted<IncidentStatus> {
        switch ageDays {
        case 120...: statusesOld
        case 30..<120: statusesRecent
        case 7..<30: statusesThisMonth
        default: statusesThisWeek
        }
    }
    static let statusesOld = Weighted<IncidentStatus>([(.closed, 92), (.actions, 4), (.investigating, 2), (.underReview, 1), (.reported, 1)])
    static let statusesRecent = Weighted<IncidentStatus>([(.closed, 60), (.actions, 15), (.investigating, 12), (.underReview, 8), (.reported, 5)])
    static let statusesThisMonth = Weighted<IncidentStatus>([(.closed, 20), (.actions, 15), (.investigating, 25), (.underReview, 25), (.reported, 15)])
    static let statusesThisWeek = Weighted<IncidentStatus>([(.closed, 3), (.underReview, 30), (.reported, 67)])
}

/// A choice among options in given proportions.
struct Weighted<Value: Sendable>: Sendable {
    private let values: [Value]
    /// Running totals of the weights.
    private let bounds: [Int]

    init(_ options: [(Value, Int)]) {
        values = options.map(\.0)
        var total = 0
        bounds = options.map { total += $0.1; return total }
    }

    func pick(_ random: inout SeededRandom) -> Value {
        let draw = Int.random(in: 0..<bounds.last!, using: &random)
        var index = 0
        while bounds[index] <= draw { index += 1 }
        return values[index]
    }
}

extension SeededRandom {
    /// A version 4 UUID from the seeded source, so a seed gives the same ids every time.
    mutating func uuid() -> String {
        let high = next(), low = next()
        var bytes = (0..<8).map { UInt8(truncatingIfNeeded: high >> (8 * $0)) } + (0..<8).map { UInt8(truncatingIfNeeded: low >> (8 * $0)) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let uuid = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        return uuid.uuidString.lowercased()
    }
}

/// SplitMix64: small, fast and the same on every platform, so `--seed` gives the same incidents everywhere.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
