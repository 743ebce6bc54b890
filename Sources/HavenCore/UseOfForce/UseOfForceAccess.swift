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
}
