/// Who may see, correct and review a use-of-force record. The patient's name and NHS number are personal data the
/// Act asks for (s6(5)(e), (g)); only the roles that review force on the unit see them, not every recorder.
public enum UseOfForceAccess {
    public static func canView(unitId: String, recordedBy: String, _ actor: Actor) -> Bool {
        recordedBy == actor.userId || Access.allows(actor, .viewUseOfForce, unitId: unitId)
    }

    /// The patient's name and NHS number: the unit's managers and the leads, not the recorder once saved.
    public static func canSeeIdentity(unitId: String, _ actor: Actor) -> Bool {
        Access.allows(actor, .viewUseOfForce, unitId: unitId)
    }

    /// Correcting the record: the person who recorded it while they may still record for the unit, and the
    /// unit's managers and the restrictive-practice leads.
    public static func canCorrect(unitId: String, recordedBy: String, _ actor: Actor) -> Bool {
        guard Access.allows(actor, .recordUseOfForce, unitId: unitId) else { return false }
        return recordedBy == actor.userId || Access.allows(actor, .viewUseOfForce, unitId: unitId)
    }

    public static func canReview(unitId: String, _ actor: Actor) -> Bool {
        Access.allows(actor, .reviewUseOfForce, unitId: unitId)
    }

    /// How the analytics (the page and the statistics API) are shown to this reader. Partnership representatives see
    /// aggregated, anonymised figures (DESIGN.md, roles): staff side is not told how many times force was used on three
    /// patients of one ethnicity on one ward in a month, which could name them. So for them counts from 1 to the
    /// organisation's threshold, and what is worked out from those counts, are withheld, as in the anonymised export.
    /// A reader who may see the figures of every unit counted through another role (a manager for their own ward, say)
    /// sees them exactly.
    /// `unitIds` are the units counted (nil: the whole organisation).
    public static func withholdsSmallNumbers(from actor: Actor, unitIds: Set<String>?) -> Bool {
        var otherRoles = actor
        otherRoles.roles.remove(.partnershipRep)
        let scope = Access.scope(of: otherRoles, for: .viewUseOfForceStatistics)
        if let unitIds { return !unitIds.allSatisfy(scope.contains) }
        return scope != .all
    }
}
