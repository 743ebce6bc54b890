import Foundation

/// Something about an episode that a person must look at now (REFERENCE §3 and §15 C 16–17, 21).
public struct UseOfForceAlert: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// Prone restraint: the unit manager and the restrictive-practice lead are told at once.
        case proneRestraint = "prone-restraint"
        /// Prone restraint lasting 10 minutes or more.
        case proneTenMinutes = "prone-ten-minutes"
        /// A pain-based technique: a safeguarding matter for senior review.
        case painBasedTechnique = "pain-based-technique"
        /// Seclusion of a patient who is not detained under the Mental Health Act.
        case seclusionNotDetained = "seclusion-not-detained"
        /// Mechanical restraint goes to senior review.
        case mechanicalRestraint = "mechanical-restraint"
    }

    public var kind: Kind
    /// Which intervention raised it (its position in the episode).
    public var intervention: Int
    public var message: String

    public init(kind: Kind, intervention: Int, message: String) {
        self.kind = kind; self.intervention = intervention; self.message = message
    }
}

public enum UseOfForceRules {
    public static let proneFlagSeconds = 10 * 60

    /// The alerts an episode raises, in the order of its interventions. Pure, so the same rules serve the
    /// record, the list's flags and later the notifications.
    public static func alerts(for episode: UseOfForceEpisode) -> [UseOfForceAlert] {
        var alerts: [UseOfForceAlert] = []
        for (index, intervention) in episode.interventions.enumerated() {
            switch intervention.type {
            case .prone:
                alerts.append(.init(kind: .proneRestraint, intervention: index,
                                    message: "Prone restraint: the unit manager and the restrictive-practice lead must review it"))
                if intervention.durationSeconds >= proneFlagSeconds {
                    alerts.append(.init(kind: .proneTenMinutes, intervention: index,
                                        message: "Prone restraint lasted \(intervention.durationSeconds / 60) minutes (10 or more)"))
                }
            case .seclusion where !episode.patient.detained:
                alerts.append(.init(kind: .seclusionNotDetained, intervention: index,
                                    message: "Seclusion of a patient who is not detained under the Mental Health Act"))
            case .mechanical:
                alerts.append(.init(kind: .mechanicalRestraint, intervention: index,
                                    message: "Mechanical restraint: senior review needed"))
            default:
                break
            }
            if intervention.painBased {
                alerts.append(.init(kind: .painBasedTechnique, intervention: index,
                                    message: "A pain-based technique was used: a safeguarding matter for senior review"))
            }
        }
        return alerts
    }
}
