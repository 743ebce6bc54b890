import Foundation

/// Who may read and change s9 investigations, and who may lead one.
public enum InvestigationAccess {
    /// Restrictive-practice leads, safety leads, administrators and executives read every unit's; managers their units'.
    public static func canRead(unitId: String, _ actor: Actor) -> Bool {
        Access.allows(actor, .viewUseOfForceInvestigations, unitId: unitId)
    }

    /// Restrictive-practice leads, safety leads and administrators.
    public static func canChange(unitId: String, _ actor: Actor) -> Bool {
        Access.allows(actor, .manageUseOfForceInvestigations, unitId: unitId)
    }

    /// Why this person may not lead the investigation of this episode, or nil when they may. Someone named in the record
    /// as having used force (s6(5)(h), by name: the record holds names, not accounts) would be investigating themselves.
    public static func leadRefusal(_ lead: User?, organisationId: String, episode: UseOfForceEpisode) -> String? {
        guard let lead, lead.organisationId == organisationId, lead.active else {
            return "There is no active member of this organisation with that id"
        }
        if episode.staff.contains(where: { comparable($0.name) == comparable(lead.name) }) {
            return "\(lead.name) is named in the record as having used force, so cannot lead its investigation"
        }
        return nil
    }

    /// Names compared as people read them: case, accents and spacing aside.
    static func comparable(_ name: String) -> String {
        name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
