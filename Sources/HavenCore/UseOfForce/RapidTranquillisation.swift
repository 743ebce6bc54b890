import Foundation

/// Physical health checks after rapid tranquillisation (MHSDS code 14). NICE NG10 asks for pulse, blood pressure,
/// respiratory rate, temperature, hydration and consciousness at least hourly until there are no concerns, and every
/// 15 minutes while the person is sedated or at higher risk; REFERENCE §15 C 21 marks the exact schedule unconfirmed,
/// so Haven schedules the cautious one: every 15 minutes for the first hour, then hourly for three more hours.
public enum RapidTranquillisation {
    public static let schedule: [TimeInterval] = [15, 30, 45, 60, 120, 180, 240].map { $0 * 60 }

    /// The observations owed after an episode: one schedule from the first rapid tranquillisation's start.
    public static func owed(by episode: UseOfForceEpisode) -> [Date] {
        guard let given = episode.interventions.filter({ $0.type == .rapidTranquillisation }).map(\.startedAt).min() else { return [] }
        return schedule.map { given + $0 }
    }

    /// Consciousness on the AVPU scale.
    public enum Consciousness: String, Sendable, Codable, CaseIterable {
        case alert, voice, pain, unresponsive
        public var label: String {
            switch self {
            case .alert: "Alert"
            case .voice: "Responds to voice"
            case .pain: "Responds to pain only"
            case .unresponsive: "Unresponsive"
            }
        }
    }
}

/// One set of observations, due at a time and taken (or not possible, with the reason) later.
public struct RapidTranquillisationObservation: Sendable, Equatable, Codable {
    public var episodeId: String
    public var seq: Int
    public var dueAt: Date
    public var takenAt: Date?
    public var takenBy: String?
    public var pulse: Int?
    public var systolic: Int?
    public var diastolic: Int?
    public var respiratoryRate: Int?
    public var temperature: Double?
    public var oxygenSaturation: Int?
    public var consciousness: RapidTranquillisation.Consciousness?
    /// Why the observations could not be taken (refused, asleep and not to be woken); then no values are needed.
    public var notTakenReason: String?
    public var notes: String?

    public init(episodeId: String, seq: Int, dueAt: Date) { self.episodeId = episodeId; self.seq = seq; self.dueAt = dueAt }

    /// The ranges a value must be in to be believable; outside them it is almost certainly a typing mistake.
    public static let ranges: [String: ClosedRange<Double>] = [
        "pulse": 20...250, "systolic": 50...260, "diastolic": 20...160, "respiratoryRate": 4...60,
        "temperature": 30...43, "oxygenSaturation": 50...100,
    ]

    /// Checks what was entered: either every value, or the reason none could be taken.
    public mutating func record(takenAt: Date?, by user: String, values: [String: Double], consciousness: String?, notTakenReason: String?,
                                notes: String?, now: Date, givenAt: Date) throws(FieldErrors) {
        var errors = FieldErrors()
        if let takenAt {
            if takenAt > now + 300 { errors.add("takenAt", "The time taken cannot be in the future") }
            if takenAt < givenAt { errors.add("takenAt", "The time taken cannot be before the rapid tranquillisation") }
        } else { errors.add("takenAt", "Enter when the observations were taken") }
        let reason = Validate.text(notTakenReason, field: "notTakenReason", label: "Why they could not be taken", required: false, max: 500, into: &errors)
        let note = Validate.text(notes, field: "notes", label: "Notes", required: false, max: 2000, into: &errors)
        var level: RapidTranquillisation.Consciousness?
        if reason.isEmpty {
            for (field, range) in Self.ranges.sorted(by: { $0.key < $1.key }) {
                guard let value = values[field] else { errors.add(field, "Enter the \(Self.label(field)), or say why the observations could not be taken"); continue }
                if !range.contains(value) { errors.add(field, "The \(Self.label(field)) must be between \(Self.format(range.lowerBound)) and \(Self.format(range.upperBound))") }
            }
            level = consciousness.flatMap(RapidTranquillisation.Consciousness.init(rawValue:))
            if level == nil { errors.add("consciousness", "Choose the level of consciousness: alert, voice, pain or unresponsive") }
        }
        try errors.throwIfAny()
        self.takenAt = takenAt; self.takenBy = user; self.notTakenReason = reason.isEmpty ? nil : reason; self.notes = note.isEmpty ? nil : note
        if reason.isEmpty {
            pulse = values["pulse"].map { Int($0) }; systolic = values["systolic"].map { Int($0) }; diastolic = values["diastolic"].map { Int($0) }
            respiratoryRate = values["respiratoryRate"].map { Int($0) }; temperature = values["temperature"]
            oxygenSaturation = values["oxygenSaturation"].map { Int($0) }; self.consciousness = level
        }
    }

    /// Signs that need a doctor now, in words for the person who took them.
    public var concerns: [String] {
        var found: [String] = []
        if let consciousness, consciousness == .pain || consciousness == .unresponsive { found.append("responds to pain only or not at all") }
        if let respiratoryRate, respiratoryRate < 10 { found.append("respiratory rate below 10") }
        if let oxygenSaturation, oxygenSaturation < 90 { found.append("oxygen saturation below 90%") }
        if let systolic, systolic < 90 { found.append("systolic blood pressure below 90") }
        if let pulse, pulse < 50 || pulse > 130 { found.append("pulse below 50 or above 130") }
        if let temperature, temperature >= 38.5 { found.append("temperature 38.5 °C or more") }
        return found
    }

    public func isOverdue(now: Date) -> Bool { takenAt == nil && now > dueAt + 5 * 60 }

    static func label(_ field: String) -> String {
        ["pulse": "pulse", "systolic": "systolic blood pressure", "diastolic": "diastolic blood pressure", "respiratoryRate": "respiratory rate",
         "temperature": "temperature", "oxygenSaturation": "oxygen saturation"][field] ?? field
    }
    static func format(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }
}
