import Foundation

/// s6(2)–(3): force the organisation's policy counts as negligible need not be recorded in full. Haven still keeps
/// a short record of each such use, counted apart, so the policy's effect can be seen. The statutory definition is
/// unconfirmed (REFERENCE §2.3), so the organisation sets it: which physical holds, for how long at most. Prone,
/// pain-based techniques and any injury are never negligible.
public struct NegligibleForcePolicy: Sendable, Equatable, Codable {
    /// MHSDS codes that may count as negligible; empty means nothing does (every use is recorded in full).
    public var types: [String]
    public var maximumSeconds: Int
    /// The organisation's own words for what counts, shown on the short form.
    public var definition: String

    public static let none = NegligibleForcePolicy(types: [], maximumSeconds: 0, definition: "")
    public static let longestSeconds = 600
    /// Only brief physical holds can be negligible: never prone, mechanical, chemical, seclusion or segregation.
    public static let eligible: [RestrictiveInterventionType] = [.standing, .restrictiveEscort, .seated, .side, .kneeling, .supine]

    public init(types: [String], maximumSeconds: Int, definition: String) {
        self.types = types; self.maximumSeconds = maximumSeconds; self.definition = definition
    }

    public func problems() -> FieldErrors {
        var errors = FieldErrors()
        let allowed = Self.eligible.map(\.code)
        for code in types where !allowed.contains(code) {
            errors.add("negligibleTypes", "\(code) cannot count as negligible; only brief physical holds can: \(allowed.joined(separator: ", "))")
        }
        if !(0...Self.longestSeconds).contains(maximumSeconds) {
            errors.add("negligibleMaximumSeconds", "Enter 0 to \(Self.longestSeconds) seconds")
        }
        if !types.isEmpty && maximumSeconds == 0 { errors.add("negligibleMaximumSeconds", "Say how long a negligible hold may last") }
        _ = Validate.text(definition, field: "negligibleDefinition", label: "The definition", required: !types.isEmpty, max: 2000, into: &errors)
        return errors
    }
}

/// A short record of a use the policy counts as negligible.
public struct NegligibleForceUse: Sendable, Equatable, Codable {
    public var id: String
    public var unitId: String
    public var patientLocalId: String
    public var type: String
    public var startedAt: Date
    public var durationSeconds: Int
    public var description: String
    public var recordedBy: String
    public var recordedAt: Date

    public init(id: String, unitId: String, patientLocalId: String, type: String, startedAt: Date, durationSeconds: Int,
                description: String, recordedBy: String, recordedAt: Date) {
        self.id = id; self.unitId = unitId; self.patientLocalId = patientLocalId; self.type = type; self.startedAt = startedAt
        self.durationSeconds = durationSeconds; self.description = description; self.recordedBy = recordedBy; self.recordedAt = recordedAt
    }

    /// Checks a short record against the policy; anything outside it must be recorded in full, and the error says so.
    public static func checked(id: String, recordedBy: String, unitId: String?, patientLocalId: String?, type: String?, startedAt: Date?,
                               endedAt: Date?, description: String?, painOrInjury: Bool, policy: NegligibleForcePolicy, now: Date) throws(FieldErrors)
        -> NegligibleForceUse
    {
        var errors = FieldErrors()
        let fullRecord = "record it in full instead"
        let unit = (unitId ?? "").trimmingCharacters(in: .whitespaces)
        if unit.isEmpty { errors.add("unitId", "Choose the unit") }
        let patient = Validate.text(patientLocalId, field: "patientLocalId", label: "The patient's local identifier", required: true, max: 64, into: &errors)
        let said = Validate.text(description, field: "description", label: "What was done", required: true, max: 1000, into: &errors)
        let code = (type ?? "").trimmingCharacters(in: .whitespaces)
        if policy.types.isEmpty { errors.add("type", "Your organisation's policy counts no use of force as negligible: \(fullRecord)") }
        else if !policy.types.contains(code) {
            errors.add("type", "Only \(policy.types.joined(separator: ", ")) can count as negligible under your policy: \(fullRecord)")
        }
        if startedAt == nil { errors.add("startedAt", "Enter when it started") }
        if endedAt == nil { errors.add("endedAt", "Enter when it ended") }
        var seconds = 0
        if let startedAt, let endedAt {
            seconds = Int(endedAt.timeIntervalSince(startedAt))
            if startedAt > now { errors.add("startedAt", "The start cannot be in the future") }
            if endedAt < startedAt { errors.add("endedAt", "The end must be after the start") }
            else if endedAt > now { errors.add("endedAt", "The end cannot be in the future") }
            else if seconds > policy.maximumSeconds {
                errors.add("endedAt", "It lasted longer than your policy's \(policy.maximumSeconds) seconds: \(fullRecord)")
            }
        }
        if painOrInjury { errors.add("painOrInjury", "A pain-based technique or an injury is never negligible: \(fullRecord)") }
        try errors.throwIfAny()
        return NegligibleForceUse(id: id, unitId: unit, patientLocalId: patient, type: code, startedAt: startedAt!, durationSeconds: seconds,
                                  description: said, recordedBy: recordedBy, recordedAt: now)
    }
}
