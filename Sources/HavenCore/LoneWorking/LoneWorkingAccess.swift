/// Who may do what with a session, as pure rules shared by the pages and the API.
public enum LoneWorkingAccess {
    /// Monitors of the session's unit: its managers, safety leads and administrators.
    public static func monitors(_ session: LoneWorkSession, _ actor: Actor) -> Bool {
        actor.organisationId == session.organisationId && Access.scope(of: actor, for: .monitorLoneWorkers).contains(session.unitId)
    }

    /// The buddies the worker named: they are told first, so they may also acknowledge.
    public static func isBuddy(_ session: LoneWorkSession, _ actor: Actor) -> Bool {
        actor.userId == session.buddyId || actor.userId == session.backupBuddyId
    }

    public static func canView(_ session: LoneWorkSession, _ actor: Actor) -> Bool {
        isWorker(session, actor) || isBuddy(session, actor) || monitors(session, actor)
    }

    /// Check-ins, ending and raising the alarm are the worker's alone.
    public static func isWorker(_ session: LoneWorkSession, _ actor: Actor) -> Bool {
        actor.userId == session.workerId && actor.organisationId == session.organisationId
    }

    public static func canAcknowledge(_ session: LoneWorkSession, _ actor: Actor) -> Bool {
        monitors(session, actor) || (isBuddy(session, actor) && !isWorker(session, actor))
    }

    /// Closing an alert with an outcome is a monitor's decision.
    public static func canResolve(_ session: LoneWorkSession, _ actor: Actor) -> Bool { monitors(session, actor) }
}
