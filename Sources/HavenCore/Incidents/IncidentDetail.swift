import Foundation

/// Everything about an incident beyond the six first answers (REFERENCE §15 A 3, 4 and 8, and the SB 553 log):
/// added later by the reporter or the handler, all optional. Stored as one JSON document with the report, since
/// nothing filters on it row by row and its parts change together.
public struct IncidentDetail: Codable, Sendable, Equatable {
    /// What was going on (the SB 553 log's "circumstances").
    public var circumstances: [Circumstance] = []
    /// What kind of violence it was (the log's "characteristics").
    public var characteristics: [Characteristic] = []
    /// What may have led to it (predisposing factors).
    public var contributingFactors: [ContributingFactor] = []
    public var injuries: String = ""
    public var bodyParts: [BodyPart] = []
    /// A weapon or object used, described.
    public var weapon: String = ""
    public var witnesses: String = ""
    /// The patient or service user involved, by the organisation's own local identifier (never a name).
    public var patientIdentifier: String = ""
    /// What was done at the time to protect people (the log's "consequences" beyond injury).
    public var actionsTaken: String = ""
    public var police = Police()
    public var sanctions: [Sanction] = []
    /// The person completing the log entry (SB 553): name, job title and date.
    public var completedByName: String = ""
    public var completedByJobTitle: String = ""
    /// YYYY-MM-DD
    public var completedOn: String = ""
    /// Working days the injured person could not do their normal work after the day of the incident (RIDDOR).
    public var absenceDays: Int?
    /// The HSE (or Cal/OSHA) reference once the incident was reported to the regulator, and when.
    public var regulatorReference: String = ""
    /// YYYY-MM-DD
    public var regulatorReportedOn: String = ""

    public init() {}

    /// Reads what is there and leaves the rest at its default, so documents saved before a field existed still load.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        circumstances = try c.decodeIfPresent([Circumstance].self, forKey: .circumstances) ?? []
        characteristics = try c.decodeIfPresent([Characteristic].self, forKey: .characteristics) ?? []
        contributingFactors = try c.decodeIfPresent([ContributingFactor].self, forKey: .contributingFactors) ?? []
        injuries = try c.decodeIfPresent(String.self, forKey: .injuries) ?? ""
        bodyParts = try c.decodeIfPresent([BodyPart].self, forKey: .bodyParts) ?? []
        weapon = try c.decodeIfPresent(String.self, forKey: .weapon) ?? ""
        witnesses = try c.decodeIfPresent(String.self, forKey: .witnesses) ?? ""
        patientIdentifier = try c.decodeIfPresent(String.self, forKey: .patientIdentifier) ?? ""
        actionsTaken = try c.decodeIfPresent(String.self, forKey: .actionsTaken) ?? ""
        police = try c.decodeIfPresent(Police.self, forKey: .police) ?? Police()
        sanctions = try c.decodeIfPresent([Sanction].self, forKey: .sanctions) ?? []
        completedByName = try c.decodeIfPresent(String.self, forKey: .completedByName) ?? ""
        completedByJobTitle = try c.decodeIfPresent(String.self, forKey: .completedByJobTitle) ?? ""
        completedOn = try c.decodeIfPresent(String.self, forKey: .completedOn) ?? ""
        absenceDays = try c.decodeIfPresent(Int.self, forKey: .absenceDays)
        regulatorReference = try c.decodeIfPresent(String.self, forKey: .regulatorReference) ?? ""
        regulatorReportedOn = try c.decodeIfPresent(String.self, forKey: .regulatorReportedOn) ?? ""
    }

    public struct Police: Codable, Sendable, Equatable {
        public var attended: Bool = false
        public var crimeReference: String = ""
        public var outcome: String = ""

        public init(attended: Bool = false, crimeReference: String = "", outcome: String = "") {
            self.attended = attended
            self.crimeReference = crimeReference
            self.outcome = outcome
        }
    }

    /// A measure taken against a patient or visitor who was violent, reviewed on a date.
    public struct Sanction: Codable, Sendable, Equatable {
        public var kind: SanctionKind
        public var note: String
        /// YYYY-MM-DD
        public var reviewOn: String

        public init(kind: SanctionKind, note: String, reviewOn: String) {
            self.kind = kind
            self.note = note
            self.reviewOn = reviewOn
        }
    }

    /// The longest free text accepted in one detail field.
    public static let maximumText = 5_000

    /// Checks the free text, the dates and the numbers; the field names are those of the JSON document.
    public func problems() -> FieldErrors {
        var errors = FieldErrors()
        for (field, label, value) in [("injuries", "Injuries", injuries), ("weapon", "Weapon", weapon), ("witnesses", "Witnesses", witnesses),
                                      ("patientIdentifier", "Patient identifier", patientIdentifier), ("actionsTaken", "Actions taken", actionsTaken),
                                      ("police.crimeReference", "Crime reference", police.crimeReference), ("police.outcome", "Police outcome", police.outcome),
                                      ("completedByName", "Completed by", completedByName), ("completedByJobTitle", "Job title", completedByJobTitle),
                                      ("regulatorReference", "Regulator reference", regulatorReference)] {
            _ = Validate.text(value, field: field, label: label, required: false, max: Self.maximumText, into: &errors)
        }
        if patientIdentifier.count > 100 { errors.add("patientIdentifier", "Patient identifier must be 100 characters or fewer") }
        for (field, value) in [("completedOn", completedOn), ("regulatorReportedOn", regulatorReportedOn)] where !value.isEmpty && CalendarDay(value) == nil {
            errors.add(field, "\(field) must be a real date as YYYY-MM-DD")
        }
        if let days = absenceDays, days < 0 { errors.add("absenceDays", "Absence days cannot be negative") }
        if let days = absenceDays, days > 3_660 { errors.add("absenceDays", "Absence days must be 3660 or fewer") }
        for (index, sanction) in sanctions.enumerated() {
            _ = Validate.text(sanction.note, field: "sanctions[\(index)].note", label: "Sanction note", required: false, max: Self.maximumText, into: &errors)
            if !sanction.reviewOn.isEmpty && CalendarDay(sanction.reviewOn) == nil {
                errors.add("sanctions[\(index)].reviewOn", "The review date must be a real date as YYYY-MM-DD")
            }
        }
        if sanctions.count > 20 { errors.add("sanctions", "At most 20 sanctions") }
        return errors
    }
}

public enum Circumstance: String, CaseIterable, Codable, Sendable {
    case usualDuties = "usual-duties"
    case loneWorking = "lone-working"
    case lowStaffing = "low-staffing"
    case poorLighting = "poor-lighting"
    case unfamiliarLocation = "unfamiliar-location"
    case personalCare = "personal-care"
    case restrictiveIntervention = "restrictive-intervention"
    case handover = "handover"

    public var displayName: String {
        switch self {
        case .usualDuties: "Usual duties"
        case .loneWorking: "Working alone"
        case .lowStaffing: "Low staffing"
        case .poorLighting: "Poor lighting"
        case .unfamiliarLocation: "Unfamiliar place"
        case .personalCare: "Giving personal care"
        case .restrictiveIntervention: "During restraint, seclusion or another restrictive intervention"
        case .handover: "At handover or a shift change"
        }
    }
}

public enum Characteristic: String, CaseIterable, Codable, Sendable {
    case physicalAttack = "physical-attack"
    case weapon
    case threat
    case sexual
    case verbal
    case spitting
    case propertyDamage = "property-damage"

    public var displayName: String {
        switch self {
        case .physicalAttack: "Physical attack"
        case .weapon: "A weapon or object used"
        case .threat: "Threat"
        case .sexual: "Sexual"
        case .verbal: "Verbal"
        case .spitting: "Spitting"
        case .propertyDamage: "Damage to property"
        }
    }
}

public enum ContributingFactor: String, CaseIterable, Codable, Sendable {
    case intoxication
    case waitingTime = "waiting-time"
    case historyOfViolence = "history-of-violence"
    case mentalHealthCrisis = "mental-health-crisis"
    case painOrIllness = "pain-or-illness"
    case communication
    case refusedRequest = "refused-request"
    case environment

    public var displayName: String {
        switch self {
        case .intoxication: "Alcohol or drugs"
        case .waitingTime: "Waiting time"
        case .historyOfViolence: "A history of violence"
        case .mentalHealthCrisis: "Mental health crisis"
        case .painOrIllness: "Pain, delirium or illness"
        case .communication: "Difficulty communicating"
        case .refusedRequest: "A request was refused"
        case .environment: "Noise, crowding or the environment"
        }
    }
}

public enum BodyPart: String, CaseIterable, Codable, Sendable {
    case head, face, neck, back, chest, abdomen, arm, hand, leg, foot
    public var displayName: String { rawValue.capitalized }
}

public enum SanctionKind: String, CaseIterable, Codable, Sendable {
    case warning
    case behaviourAgreement = "behaviour-agreement"
    case other

    public var displayName: String {
        switch self {
        case .warning: "Warning letter"
        case .behaviourAgreement: "Behaviour agreement"
        case .other: "Another measure"
        }
    }
}
