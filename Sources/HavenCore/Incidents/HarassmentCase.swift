import Foundation

/// Harassment and staff-on-staff cases (European framework agreement, REFERENCE §7): confidential, seen and
/// handled only by HR case handlers (and the person who reported), never by the unit's managers, since the
/// person complained about may be a colleague or the manager.
public struct HarassmentCase: Sendable, Equatable {
    public enum Stage: String, CaseIterable, Codable, Sendable {
        /// Resolved with a person trusted by both management and staff, without a formal complaint.
        case informal
        case formal

        public var displayName: String {
            switch self {
            case .informal: "Informal, with a trusted person"
            case .formal: "Formal complaint"
            }
        }
    }

    public var incidentId: String
    public var stage: Stage
    public var trustedPersonId: String?
    /// The member of staff complained about, when they are one.
    public var subjectId: String?
    public var investigatorId: String?
    /// YYYY-MM-DD: "without undue delay", set from the organisation's target when the complaint becomes formal.
    public var investigationDueOn: String?
    /// Measures against the perpetrator (up to disciplinary action).
    public var measures: String
    /// Support and reintegration for the person harmed.
    public var support: String
    /// YYYY-MM-DD: three months after the case closes, HR checks the person has not suffered retaliation.
    public var retaliationCheckDueOn: String?
    public var retaliationCheckedAt: Date?
    public var retaliationNote: String

    public init(incidentId: String, stage: Stage = .informal, trustedPersonId: String? = nil, subjectId: String? = nil,
                investigatorId: String? = nil, investigationDueOn: String? = nil, measures: String = "", support: String = "",
                retaliationCheckDueOn: String? = nil, retaliationCheckedAt: Date? = nil, retaliationNote: String = "") {
        self.incidentId = incidentId
        self.stage = stage
        self.trustedPersonId = trustedPersonId
        self.subjectId = subjectId
        self.investigatorId = investigatorId
        self.investigationDueOn = investigationDueOn
        self.measures = measures
        self.support = support
        self.retaliationCheckDueOn = retaliationCheckDueOn
        self.retaliationCheckedAt = retaliationCheckedAt
        self.retaliationNote = retaliationNote
    }

    /// Days allowed for a formal investigation before it counts as delayed (a local policy figure; the agreement
    /// says only "without undue delay").
    public static let investigationTargetDays = 28
    public static let retaliationCheckMonths = 3

    /// Whether a report becomes a confidential HR case: anything done by a colleague or a manager (the unit's
    /// managers may be involved), and abuse by someone the staff member knows personally (domestic abuse that
    /// reaches work is handled with HR, not on the ward).
    public static func isConfidential(_ perpetrator: Perpetrator) -> Bool {
        perpetrator == .colleague || perpetrator == .manager || perpetrator == .personalAcquaintance
    }

    /// Why someone may not investigate: they are the person complained about, or that person's manager.
    public static func investigatorProblem(investigator: Actor, subject: Actor?) -> String? {
        guard let subject else { return nil }
        if investigator.userId == subject.userId { return "The investigator cannot be the person complained about" }
        if investigator.roles.contains(.manager) && !investigator.unitIds.isDisjoint(with: subject.unitIds) {
            return "The investigator cannot be the manager of the person complained about"
        }
        return nil
    }
}

/// Who may see and who may handle an incident report. Confidential cases are HR's alone (and the reporter's);
/// everything else follows the unit remit.
public enum IncidentAccess {
    public static func canView(_ report: IncidentReport, _ actor: Actor) -> Bool {
        if report.reporterId == actor.userId { return true }
        if report.confidential { return Access.allows(actor, .handleHarassmentCases) }
        return Access.allows(actor, .viewIncidents, unitId: report.unitId)
    }

    /// Adding detail and attachments: the reporter, and whoever handles the report.
    public static func canAddTo(_ report: IncidentReport, _ actor: Actor) -> Bool {
        report.reporterId == actor.userId || canHandle(report, actor)
    }

    public static func canHandle(_ report: IncidentReport, _ actor: Actor) -> Bool {
        if report.confidential { return Access.allows(actor, .handleHarassmentCases) }
        return Access.allows(actor, .handleIncidents, unitId: report.unitId)
    }
}
