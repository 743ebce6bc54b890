import Foundation

/// Where an s9 investigation stands. It moves open → investigating → concluded; a concluded investigation can be
/// reopened (back to investigating) when something new comes to light; one opened for a record whose harm was entered
/// in error is closed as not needed, with the reason, and never deleted.
public enum InvestigationStatus: String, Sendable, Codable, CaseIterable {
    case open, investigating, concluded
    case notNeeded = "not-needed"

    public var label: String {
        switch self {
        case .open: "Open: no one is investigating yet"
        case .investigating: "Being investigated"
        case .concluded: "Concluded"
        case .notNeeded: "Not needed: recorded in error"
        }
    }

    /// The statuses it may move to next.
    public var next: [InvestigationStatus] {
        switch self {
        case .open: [.investigating, .notNeeded]
        case .investigating: [.concluded, .notNeeded]
        case .concluded: [.investigating]
        case .notNeeded: [.open]
        }
    }
}

/// One step of the organisation's checklist of what an investigation of a death or serious injury usually involves.
/// These are the kinds of step an NHS patient-safety lead expects, offered as a checklist to tick, not as legal
/// duties or deadlines: REFERENCE.md confirms only that s9 asks the responsible person to have regard to published
/// guidance, so what applies and by when is the organisation's to say in its own words (`guidance`).
public struct InvestigationStep: Sendable, Equatable {
    public var code: String
    public var label: String

    public static let checklist: [InvestigationStep] = [
        .init(code: "statutory-guidance", label: "The Use of Force Act statutory guidance (December 2021) read for this investigation"),
        .init(code: "psirf", label: "Reported under our patient safety incident response framework (PSIRF)"),
        .init(code: "family", label: "The family or carers informed and involved (duty of candour)"),
        .init(code: "coroner", label: "The coroner informed (where the patient died)"),
        .init(code: "cqc", label: "The CQC notified"),
        .init(code: "police", label: "The police informed"),
        .init(code: "safeguarding", label: "A safeguarding referral considered"),
        .init(code: "staff-support", label: "Support offered to the staff involved"),
    ]
    public static let codes = checklist.map(\.code)
}

/// The s9 investigation of a death or serious injury after a use of force (REFERENCE §2.2 s9, §15 C 22).
public struct Investigation: Sendable, Equatable {
    public var id: String
    public var organisationId: String
    public var episodeId: String
    public var unitId: String
    /// The harm recorded when it was opened (a later correction does not rewrite why it was opened).
    public var harm: HarmOutcome
    public var status: InvestigationStatus
    public var openedAt: Date
    /// When the organisation aims to conclude it (its setting, in days from opening).
    public var targetAt: Date
    public var leadInvestigatorId: String?
    /// The guidance the responsible person had regard to, in their words (s9).
    public var guidance: String?
    /// Codes of `InvestigationStep.checklist` ticked.
    public var checklist: [String]
    public var findings: String?
    public var learning: String?
    public var notNeededReason: String?
    public var concludedAt: Date?
    public var concludedBy: String?
    public var updatedAt: Date

    public init(id: String, organisationId: String, episodeId: String, unitId: String, harm: HarmOutcome, status: InvestigationStatus = .open,
                openedAt: Date, targetAt: Date, leadInvestigatorId: String? = nil, guidance: String? = nil, checklist: [String] = [],
                findings: String? = nil, learning: String? = nil, notNeededReason: String? = nil, concludedAt: Date? = nil,
                concludedBy: String? = nil, updatedAt: Date) {
        self.id = id; self.organisationId = organisationId; self.episodeId = episodeId; self.unitId = unitId; self.harm = harm
        self.status = status; self.openedAt = openedAt; self.targetAt = targetAt; self.leadInvestigatorId = leadInvestigatorId
        self.guidance = guidance; self.checklist = checklist; self.findings = findings; self.learning = learning
        self.notNeededReason = notNeededReason; self.concludedAt = concludedAt; self.concludedBy = concludedBy; self.updatedAt = updatedAt
    }

    /// Past its target and still not concluded (or closed as not needed).
    public func isOverdue(now: Date) -> Bool {
        (status == .open || status == .investigating) && now > targetAt
    }

    /// A death or serious injury (s6(5)(n)) opens one.
    public static func isOwed(for harm: HarmOutcome) -> Bool { harm != .noHarm }

    /// The investigation a newly recorded (or newly corrected) harmed episode is owed.
    public static func opening(for episode: UseOfForceEpisode, targetDays: Int, now: Date, makeId: () -> String) -> Investigation? {
        guard isOwed(for: episode.harm) else { return nil }
        return Investigation(id: makeId(), organisationId: episode.organisationId, episodeId: episode.id, unitId: episode.unitId,
                             harm: episode.harm, openedAt: now, targetAt: now + TimeInterval(targetDays * 86_400), updatedAt: now)
    }
}

/// A change to an investigation, as a person asks for it (a form step or a PATCH): only the fields sent.
public struct InvestigationChange: Sendable, Equatable {
    public var status: String?
    public var leadInvestigatorId: String?
    public var guidance: String?
    public var checklist: [String]?
    public var findings: String?
    public var learning: String?
    public var notNeededReason: String?

    public init(status: String? = nil, leadInvestigatorId: String? = nil, guidance: String? = nil, checklist: [String]? = nil,
                findings: String? = nil, learning: String? = nil, notNeededReason: String? = nil) {
        self.status = status; self.leadInvestigatorId = leadInvestigatorId; self.guidance = guidance; self.checklist = checklist
        self.findings = findings; self.learning = learning; self.notNeededReason = notNeededReason
    }

    /// The field names sent, for the audit.
    public var fields: [String] {
        [("status", status != nil), ("leadInvestigatorId", leadInvestigatorId != nil), ("guidance", guidance != nil),
         ("guidanceChecklist", checklist != nil), ("findings", findings != nil), ("learning", learning != nil),
         ("notNeededReason", notNeededReason != nil)].filter(\.1).map(\.0)
    }

    /// Applies the change, checked whole: an unknown status or a move the workflow does not allow lists the valid ones;
    /// investigating needs a lead; concluding needs the findings and the guidance had regard to (s9); closing as not
    /// needed needs a reason and a record whose harm has been corrected to none. `episodeHarm` is the record's harm now.
    public func applied(to current: Investigation, episodeHarm: HarmOutcome, by userId: String, now: Date) throws(FieldErrors) -> Investigation {
        var errors = FieldErrors()
        var next = current
        if let lead = leadInvestigatorId { next.leadInvestigatorId = lead.isEmpty ? nil : lead }
        if let guidance { next.guidance = Validate.text(guidance, field: "guidance", label: "The guidance had regard to", required: false, max: 8000, into: &errors).nilIfEmpty }
        if let findings { next.findings = Validate.text(findings, field: "findings", label: "The findings", required: false, max: 8000, into: &errors).nilIfEmpty }
        if let learning { next.learning = Validate.text(learning, field: "learning", label: "The learning and actions", required: false, max: 8000, into: &errors).nilIfEmpty }
        if let checklist {
            let unknown = checklist.filter { !InvestigationStep.codes.contains($0) }
            if !unknown.isEmpty {
                errors.add("guidanceChecklist", "Unknown checklist step \(unknown.joined(separator: ", ")). Valid steps: \(InvestigationStep.codes.joined(separator: ", "))")
            }
            next.checklist = InvestigationStep.codes.filter(checklist.contains)
        }
        if let reason = notNeededReason {
            next.notNeededReason = Validate.text(reason, field: "notNeededReason", label: "Why no investigation is needed", required: false, max: 4000, into: &errors).nilIfEmpty
        }
        if let text = status {
            if let wanted = InvestigationStatus(rawValue: text) {
                if wanted != current.status {
                    if !current.status.next.contains(wanted) {
                        errors.add("status", "An investigation that is \(current.status.rawValue) can move to \(current.status.next.map(\.rawValue).joined(separator: " or ")), not \(wanted.rawValue)")
                    } else {
                        Self.check(move: wanted, of: &next, episodeHarm: episodeHarm, by: userId, now: now, into: &errors)
                    }
                }
            } else {
                errors.add("status", "Unknown status '\(text)'. Valid statuses: \(InvestigationStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if next.status == .concluded && status == nil && (next.findings == nil || next.guidance == nil) {
            // A concluded investigation keeps what it concluded on.
            if next.findings == nil { errors.add("findings", "A concluded investigation keeps its findings") }
            if next.guidance == nil { errors.add("guidance", "A concluded investigation keeps the guidance had regard to") }
        }
        try errors.throwIfAny()
        next.updatedAt = now
        return next
    }

    static func check(move wanted: InvestigationStatus, of next: inout Investigation, episodeHarm: HarmOutcome, by userId: String, now: Date,
                      into errors: inout FieldErrors) {
        switch wanted {
        case .investigating:
            if next.leadInvestigatorId == nil { errors.add("leadInvestigatorId", "Choose the lead investigator before the investigation starts") }
            next.concludedAt = nil; next.concludedBy = nil
        case .concluded:
            if next.findings == nil { errors.add("findings", "Enter the findings before concluding the investigation") }
            if next.guidance == nil {
                errors.add("guidance", "Enter the guidance the responsible person had regard to (s9) before concluding the investigation")
            }
            next.concludedAt = now; next.concludedBy = userId
        case .notNeeded:
            if next.notNeededReason == nil { errors.add("notNeededReason", "Say why no investigation is needed (what was recorded in error)") }
            if Investigation.isOwed(for: episodeHarm) {
                errors.add("status", "The record still says \(episodeHarm == .death ? "the patient died" : "serious injury"): correct the record first if that was entered in error")
            }
        case .open:
            next.notNeededReason = nil
        }
        next.status = wanted
    }
}
