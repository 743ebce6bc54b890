import Foundation
import HavenCore
import HavenData
import SQLKit

/// Why a use-of-force request changed nothing, beyond the field errors of the record itself.
public enum UseOfForceError: Error, Equatable, Sendable {
    case notFound
    /// Recording for a unit outside the person's remit, or correcting someone else's record without the right.
    case forbidden(field: String?, message: String)
    /// Someone else corrected the record since it was read.
    case conflict(String)
    /// Interventions that overlap one of the same type on the same patient in another record (index → that record).
    case overlap([Int: String])
}

/// Recording, correcting and reviewing use of force, and telling the right people at once when an episode raises
/// an alert. The alerts are staged in the same transaction as the record, so they go out exactly when it is saved.
public struct UseOfForceRecords: Sendable {
    public let store: UseOfForceStore
    public let debriefs: UseOfForceDebriefStore
    public let plans: BehaviourSupportPlanStore
    public let observations: RapidTranquillisationStore
    let users: UserStore
    let organisations: OrganisationStore
    let incidents: IncidentStore
    let notifier: Notifier
    let clock: any HavenClock

    public init(store: UseOfForceStore, debriefs: UseOfForceDebriefStore, plans: BehaviourSupportPlanStore,
                observations: RapidTranquillisationStore, users: UserStore, organisations: OrganisationStore, incidents: IncidentStore,
                notifier: Notifier, clock: any HavenClock) {
        self.store = store; self.debriefs = debriefs; self.plans = plans; self.observations = observations; self.users = users; self.organisations = organisations; self.incidents = incidents
        self.notifier = notifier; self.clock = clock
    }

    /// Checks and saves a new episode. Throws `FieldErrors` (each naming its s6(5) item) or `UseOfForceError`.
    /// `organisation` is the recorder's, as the request found it (one query fewer on every record).
    public func record(_ draft: UseOfForceDraft, by user: User, of organisation: Organisation, origin: Origin) async throws -> StoredUseOfForce {
        let now = clock.now()
        guard organisation.id == user.organisationId else { throw UseOfForceError.notFound }
        let episode = try draft.validated(id: Identifier.make(), organisationId: user.organisationId, recordedBy: user.id, now: now)
        try await checkContext(of: episode, draft: draft, actor: user.actor)
        let timeZone = TimeZone(identifier: organisation.timeZone) ?? .gmt
        let alerts = UseOfForceRules.alerts(for: episode)
        let recipients = try await alertRecipients(for: episode, alerts: alerts)
        let settings = try await debriefs.settings(organisationId: episode.organisationId)
        let owed = Debrief.owed(by: episode, settings: settings, makeId: Identifier.make)
        let investigation = try await investigationOpening(for: episode, settings: settings, now: now)
        try await store.record(episode, timeZone: timeZone, origin: origin) { [notifier, store] db in
            try await UseOfForceDebriefStore.insert(on: db, owed, organisationId: episode.organisationId)
            try await RapidTranquillisationStore.insert(on: db, episode)
            try await Self.stage(investigation, on: db, database: store.database, notifier: notifier, origin: origin, now: now)
            guard !alerts.isEmpty else { return }
            let message = Self.alertMessage(episode, alerts)
            for contact in recipients {
                try await notifier.stage(on: db, to: contact, channels: [.inApp, .email], message, now: now)
            }
            try await notifier.stageWebhooks(on: db, organisationId: episode.organisationId, event: .useOfForceAlert,
                                             data: ["episodeId": episode.id, "unitId": episode.unitId,
                                                    "alerts": alerts.map(\.kind.rawValue).joined(separator: " ")], now: now)
        }
        if !alerts.isEmpty || investigation != nil { notifier.scheduled() }
        return StoredUseOfForce(episode: episode, updatedAt: nil, reviewedAt: nil, reviewedBy: nil, reviewNote: nil)
    }

    /// Applies a correction: `change` edits the draft of the stored record, and the whole record is checked again.
    public func correct(id: String, by user: User, origin: Origin,
                        _ change: (inout UseOfForceDraft) throws -> Void) async throws -> StoredUseOfForce {
        guard let stored = try await store.episode(id: id, organisationId: user.organisationId),
              UseOfForceAccess.canView(unitId: stored.episode.unitId, recordedBy: stored.episode.recordedBy, user.actor)
        else { throw UseOfForceError.notFound }
        let old = stored.episode
        guard UseOfForceAccess.canCorrect(unitId: old.unitId, recordedBy: old.recordedBy, user.actor) else {
            throw UseOfForceError.forbidden(field: nil, message: "Only the person who recorded it, the unit's managers and the restrictive-practice leads may correct this record")
        }
        var draft = UseOfForceDraft(old)
        // A correction says again whether an overlap was checked; the stored record never carries that answer.
        draft.confirmOverlap = nil
        try change(&draft)
        var episode = try draft.validated(id: old.id, organisationId: old.organisationId, recordedBy: old.recordedBy, now: clock.now())
        episode.recordedAt = old.recordedAt
        guard let organisation = try await organisations.organisation(id: old.organisationId) else { throw UseOfForceError.notFound }
        try await checkContext(of: episode, draft: draft, actor: user.actor)
        let changed = UseOfForceChanges.items(from: old, to: episode)
        guard !changed.isEmpty else { return stored }
        // A correction to a death or serious injury opens the investigation if the record has none yet (once: see `stage`).
        let now = clock.now()
        let investigation = try await investigationOpening(for: episode, settings: try await debriefs.settings(organisationId: old.organisationId), now: now)
        guard try await store.update(episode, readAt: stored.updatedAt, changedItems: changed,
                                     timeZone: TimeZone(identifier: organisation.timeZone) ?? .gmt, origin: origin, stage: { [notifier, store, episode] db in
            try await UseOfForceInvestigationStore.follow(on: db, episodeId: episode.id, unitId: episode.unitId)
            try await Self.stage(investigation, on: db, database: store.database, notifier: notifier, origin: origin, now: now)
        }) else {
            throw UseOfForceError.conflict("Someone else corrected this record a moment ago; open it again to see their change")
        }
        if investigation != nil { notifier.scheduled() }
        return try await store.episode(id: id, organisationId: user.organisationId) ?? stored
    }

    /// The senior review of an episode's alerts.
    public func review(id: String, by user: User, note: String, origin: Origin) async throws -> StoredUseOfForce {
        guard let stored = try await store.episode(id: id, organisationId: user.organisationId),
              UseOfForceAccess.canView(unitId: stored.episode.unitId, recordedBy: stored.episode.recordedBy, user.actor)
        else { throw UseOfForceError.notFound }
        guard UseOfForceAccess.canReview(unitId: stored.episode.unitId, user.actor) else {
            throw UseOfForceError.forbidden(field: "review", message: "Only a restrictive-practice lead may record the senior review")
        }
        guard try await store.review(id: id, organisationId: user.organisationId, by: user.id, note: note, origin: origin) else {
            throw UseOfForceError.conflict("This record has already been reviewed")
        }
        return try await store.episode(id: id, organisationId: user.organisationId) ?? stored
    }

    /// Records one set of observations after rapid tranquillisation, by anyone who records force on the unit.
    public func recordObservation(episodeId: String, seq: Int, by user: User, takenAt: Date?, values: [String: Double], consciousness: String?,
                                  notTakenReason: String?, notes: String?, origin: Origin) async throws -> RapidTranquillisationObservation {
        guard let stored = try await store.episode(id: episodeId, organisationId: user.organisationId),
              UseOfForceAccess.canView(unitId: stored.episode.unitId, recordedBy: stored.episode.recordedBy, user.actor)
        else { throw UseOfForceError.notFound }
        guard Access.allows(user.actor, .recordUseOfForce, unitId: stored.episode.unitId) else {
            throw UseOfForceError.forbidden(field: nil, message: "Only staff who record force on this unit may record its observations")
        }
        guard var observation = try await observations.observations(episodeId: episodeId, organisationId: user.organisationId)
            .first(where: { $0.seq == seq }) else { throw UseOfForceError.notFound }
        let given = RapidTranquillisation.owed(by: stored.episode).first.map { $0 - RapidTranquillisation.schedule[0] } ?? stored.episode.startedAt
        try observation.record(takenAt: takenAt, by: user.id, values: values, consciousness: consciousness, notTakenReason: notTakenReason,
                               notes: notes, now: clock.now(), givenAt: given)
        guard try await observations.record(observation, organisationId: user.organisationId, origin: origin) else {
            throw UseOfForceError.conflict("These observations have already been recorded")
        }
        return observation
    }

    /// The warning a record carries when its patient has had repeated interventions and no current behaviour support plan.
    public func supportPlanWarning(for episode: UseOfForceEpisode, organisation: Organisation) async throws -> String? {
        let now = clock.now()
        let today = CalendarColumns(now, timeZone: TimeZone(identifier: organisation.timeZone) ?? .gmt).localDate
        let (count, hasPlan) = try await plans.repeatedInterventions(
            organisationId: episode.organisationId, patientLocalId: episode.patient.localIdentifier,
            since: now - TimeInterval(UseOfForceRules.repeatedWindowDays * 86_400), today: today)
        return UseOfForceRules.supportPlanWarning(interventionsInWindow: count, hasCurrentPlan: hasPlan)
    }

    /// Records a debrief as held, by someone who may correct the record (its recorder, the unit's managers, the leads).
    public func completeDebrief(episodeId: String, kind: DebriefKind, by user: User, heldAt: Date?, attendees: String?, notes: String?,
                                patientAccount: String?, patientDeclined: Bool, origin: Origin) async throws -> Debrief {
        guard let stored = try await store.episode(id: episodeId, organisationId: user.organisationId),
              UseOfForceAccess.canView(unitId: stored.episode.unitId, recordedBy: stored.episode.recordedBy, user.actor)
        else { throw UseOfForceError.notFound }
        guard UseOfForceAccess.canCorrect(unitId: stored.episode.unitId, recordedBy: stored.episode.recordedBy, user.actor) else {
            throw UseOfForceError.forbidden(field: nil, message: "Only the person who recorded it, the unit's managers and the restrictive-practice leads may record its debriefs")
        }
        let said = try Debrief.outcome(kind: kind, heldAt: heldAt, attendees: attendees, notes: notes, patientAccount: patientAccount,
                                       patientDeclined: patientDeclined, episodeStart: stored.episode.startedAt, now: clock.now())
        guard var debrief = try await debriefs.debriefs(episodeId: episodeId, organisationId: user.organisationId).first(where: { $0.kind == kind }) else {
            throw UseOfForceError.notFound
        }
        debrief.heldAt = said.heldAt; debrief.attendees = said.attendees; debrief.notes = said.notes
        debrief.patientAccount = said.patientAccount; debrief.patientDeclined = patientDeclined; debrief.recordedBy = user.id
        guard try await debriefs.complete(debrief, organisationId: user.organisationId, origin: origin) else {
            throw UseOfForceError.conflict("This debrief has already been recorded")
        }
        return debrief
    }

    /// The unit must be the organisation's and in the recorder's remit, a linked incident must be one they can see,
    /// and an overlap with another record must be confirmed.
    func checkContext(of episode: UseOfForceEpisode, draft: UseOfForceDraft, actor: Actor) async throws {
        guard try await organisations.unit(id: episode.unitId, organisationId: episode.organisationId) != nil else {
            throw FieldErrors("unitId", "There is no unit with that id in this organisation")
        }
        guard Access.allows(actor, .recordUseOfForce, unitId: episode.unitId) else {
            throw UseOfForceError.forbidden(field: "unitId", message: "You cannot record use of force for that unit: it is not one of yours")
        }
        if let incidentId = episode.incidentId {
            guard let report = try await incidents.find(id: incidentId, organisationId: episode.organisationId),
                  IncidentAccess.canView(report, actor) else {
                throw FieldErrors("incidentId", "There is no incident report with that reference that you can see")
            }
        }
        if draft.confirmOverlap != true {
            let overlaps = try await store.overlaps(with: episode)
            if !overlaps.isEmpty { throw UseOfForceError.overlap(overlaps) }
        }
    }

    /// Prone and seclusion of a patient not detained go to the unit's managers and the restrictive-practice leads;
    /// a pain-based technique and mechanical restraint (senior review) to the restrictive-practice leads and,
    /// for pain, the safety leads, who own safeguarding referrals.
    func alertRecipients(for episode: UseOfForceEpisode, alerts: [UseOfForceAlert]) async throws -> [Contact] {
        let kinds = Set(alerts.map(\.kind))
        guard !kinds.isEmpty else { return [] }
        let unitManagersToo = !kinds.isDisjoint(with: [.proneRestraint, .proneTenMinutes, .seclusionNotDetained])
        let safetyLeadsToo = kinds.contains(.painBasedTechnique)
        return try await users.list(organisationId: episode.organisationId, scope: .all).filter { user in
            guard user.active else { return false }
            if user.roles.contains(.restrictivePracticeLead) { return true }
            if unitManagersToo && user.roles.contains(.manager) && user.unitIds.contains(episode.unitId) { return true }
            return safetyLeadsToo && user.roles.contains(.safetyLead)
        }.map { Contact(id: $0.id, organisationId: $0.organisationId, email: $0.email, name: $0.name) }
    }

    /// Says what happened and where to look, never who the patient is (e-mail leaves Haven).
    static func alertMessage(_ episode: UseOfForceEpisode, _ alerts: [UseOfForceAlert]) -> Notifier.Message {
        let prone = alerts.contains { $0.kind == .proneRestraint }
        return Notifier.Message(
            title: prone ? "Prone restraint recorded: review it now" : "Use of force needs senior review",
            body: alerts.map(\.message).joined(separator: ". ") + ".",
            link: "/use-of-force/\(episode.id)", event: .useOfForceAlert)
    }
}
