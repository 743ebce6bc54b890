import Foundation

/// After force, the people involved talk it through: staff soon after, and the patient, whose own account of what
/// happened is part of the record (REFERENCE §3, §15 C 20).
public enum DebriefKind: String, Sendable, Codable, CaseIterable {
    case staff, patient

    public var label: String { self == .staff ? "Staff debrief" : "Patient debrief" }
}

/// How soon each debrief is due after the episode ends. The defaults follow the good-practice pattern in
/// REFERENCE §3 (ihub): an immediate staff debrief within 3 hours, and the formal debrief within 7 days, which is
/// where the patient (with family, where they wish) gives their own account.
public struct UseOfForceSettings: Sendable, Equatable, Codable {
    public var staffDebriefHours: Int
    public var patientDebriefHours: Int
    /// What the organisation counts as negligible force (nothing, until it says).
    public var negligible: NegligibleForcePolicy
    /// Counts from 1 to this are shown as "*" in published figures and the anonymised export.
    public var suppressionThreshold: Int
    /// Days from opening by which an s9 investigation should conclude: the organisation's target, not a legal deadline
    /// (REFERENCE.md confirms none). 60 by default, the two months NHS investigations have commonly worked to.
    public var investigationTargetDays: Int

    public static let defaults = UseOfForceSettings(staffDebriefHours: 3, patientDebriefHours: 7 * 24)
    public static let allowedHours = 1...(30 * 24)
    public static let defaultInvestigationTargetDays = 60
    public static let allowedInvestigationDays = 1...365

    public init(staffDebriefHours: Int, patientDebriefHours: Int, negligible: NegligibleForcePolicy = .none,
                suppressionThreshold: Int = SmallNumbers.standard.threshold, investigationTargetDays: Int = defaultInvestigationTargetDays) {
        self.staffDebriefHours = staffDebriefHours; self.patientDebriefHours = patientDebriefHours; self.negligible = negligible
        self.suppressionThreshold = suppressionThreshold; self.investigationTargetDays = investigationTargetDays
    }

    public var smallNumbers: SmallNumbers { SmallNumbers(threshold: suppressionThreshold) }

    public func problems() -> FieldErrors {
        var errors = FieldErrors()
        for (field, hours) in [("staffDebriefHours", staffDebriefHours), ("patientDebriefHours", patientDebriefHours)]
        where !Self.allowedHours.contains(hours) {
            errors.add(field, "Enter a number of hours from \(Self.allowedHours.lowerBound) to \(Self.allowedHours.upperBound)")
        }
        errors.merge(negligible.problems())
        errors.merge(smallNumbers.problems())
        if !Self.allowedInvestigationDays.contains(investigationTargetDays) {
            errors.add("investigationTargetDays", "Enter a number of days from \(Self.allowedInvestigationDays.lowerBound) to \(Self.allowedInvestigationDays.upperBound)")
        }
        return errors
    }

    public func hours(for kind: DebriefKind) -> Int { kind == .staff ? staffDebriefHours : patientDebriefHours }
}

/// One debrief of an episode: due when the episode is saved, held later.
public struct Debrief: Sendable, Equatable, Codable {
    public var id: String
    public var episodeId: String
    public var unitId: String
    public var kind: DebriefKind
    public var dueAt: Date
    public var heldAt: Date?
    public var recordedBy: String?
    public var attendees: String?
    public var notes: String?
    /// The patient's own account, in their words (patient debriefs).
    public var patientAccount: String?
    /// The patient was offered a debrief and declined it: that is an outcome too.
    public var patientDeclined: Bool

    public init(id: String, episodeId: String, unitId: String, kind: DebriefKind, dueAt: Date, heldAt: Date? = nil,
                recordedBy: String? = nil, attendees: String? = nil, notes: String? = nil, patientAccount: String? = nil,
                patientDeclined: Bool = false) {
        self.id = id; self.episodeId = episodeId; self.unitId = unitId; self.kind = kind; self.dueAt = dueAt; self.heldAt = heldAt
        self.recordedBy = recordedBy; self.attendees = attendees; self.notes = notes; self.patientAccount = patientAccount
        self.patientDeclined = patientDeclined
    }

    public func isOverdue(now: Date) -> Bool { heldAt == nil && now > dueAt }

    /// The debriefs a newly saved episode is owed, due from the end of its last intervention.
    public static func owed(by episode: UseOfForceEpisode, settings: UseOfForceSettings, makeId: () -> String) -> [Debrief] {
        let ended = episode.interventions.map(\.endedAt).max() ?? episode.recordedAt
        return DebriefKind.allCases.map { kind in
            Debrief(id: makeId(), episodeId: episode.id, unitId: episode.unitId, kind: kind,
                    dueAt: ended + TimeInterval(settings.hours(for: kind) * 3600))
        }
    }

    /// What was said when it was held, checked: not in the future, not before the episode began; a staff
    /// debrief needs its notes, a patient debrief the patient's own account unless they declined.
    public static func outcome(kind: DebriefKind, heldAt: Date?, attendees: String?, notes: String?, patientAccount: String?,
                               patientDeclined: Bool, episodeStart: Date, now: Date) throws(FieldErrors)
        -> (heldAt: Date, attendees: String?, notes: String?, patientAccount: String?)
    {
        var errors = FieldErrors()
        if let heldAt {
            if heldAt > now + 300 { errors.add("heldAt", "The debrief cannot be in the future") }
            if heldAt < episodeStart { errors.add("heldAt", "The debrief cannot be before the use of force began") }
        } else {
            errors.add("heldAt", "Enter when the debrief was held")
        }
        let who = Validate.text(attendees, field: "attendees", label: "Who took part", required: false, max: 1000, into: &errors)
        let said = Validate.text(notes, field: "notes", label: "What was discussed and learned", required: kind == .staff, max: 4000, into: &errors)
        let account = Validate.text(patientAccount, field: "patientAccount", label: "The patient's own account",
                                    required: kind == .patient && !patientDeclined, max: 4000, into: &errors)
        if kind == .staff && patientDeclined { errors.add("patientDeclined", "Only a patient debrief can be declined by the patient") }
        try errors.throwIfAny()
        return (heldAt!, who.isEmpty ? nil : who, said.isEmpty ? nil : said, account.isEmpty ? nil : account)
    }
}
