import Foundation
import HavenCore
import HavenData
import SQLKit

/// The s9 investigation of a death or serious injury (REFERENCE §2.2, §15 C 22): opened with the record (or the
/// correction) that first says the patient died or was seriously injured, in the same transaction, with the
/// restrictive-practice and safety leads told at once; then led, progressed and concluded by the leads.
extension UseOfForceRecords {
    public var investigations: UseOfForceInvestigationStore { UseOfForceInvestigationStore(database: store.database, clock: clock) }

    /// What opening an investigation takes, read before the write so the transaction stays short.
    struct InvestigationOpening: Sendable {
        var investigation: Investigation
        var recipients: [Contact]
        var message: Notifier.Message
    }

    /// The investigation the episode is owed, if its harm is a death or serious injury, and who is to be told.
    func investigationOpening(for episode: UseOfForceEpisode, settings: UseOfForceSettings, now: Date) async throws -> InvestigationOpening? {
        guard let investigation = Investigation.opening(for: episode, targetDays: settings.investigationTargetDays, now: now, makeId: Identifier.make)
        else { return nil }
        let recipients = try await users.list(organisationId: episode.organisationId, scope: .all).filter { user in
            user.active && (user.roles.contains(.restrictivePracticeLead) || user.roles.contains(.safetyLead))
        }.map { Contact(id: $0.id, organisationId: $0.organisationId, email: $0.email, name: $0.name) }
        let unit = try await organisations.unit(id: episode.unitId, organisationId: episode.organisationId)?.name ?? "a unit"
        let what = episode.harm == .death ? "a death" : "a serious injury"
        // Never the patient's name: e-mail leaves Haven.
        let message = Notifier.Message(
            title: episode.harm == .death ? "Death after a use of force: investigation opened" : "Serious injury after a use of force: investigation opened",
            body: "A use of force on \(unit) is recorded with \(what). An investigation under s9 of the Use of Force Act has been opened; "
                + "choose its lead investigator and have regard to the published guidance.",
            link: "/use-of-force/\(episode.id)/investigation", event: .useOfForceAlert)
        return InvestigationOpening(investigation: investigation, recipients: recipients, message: message)
    }

    /// Inside the record's write: opens it once (a second correction finds it there) and tells the leads. A correction
    /// back to a death or serious injury reopens one closed as not needed, so a recorded death is never left closed.
    static func stage(_ opening: InvestigationOpening?, on db: any SQLDatabase, database: Database, notifier: Notifier, origin: Origin,
                      now: Date) async throws {
        guard let opening else { return }
        if try await UseOfForceInvestigationStore.open(on: db, opening.investigation, database: database, origin: origin) {
            for contact in opening.recipients {
                try await notifier.stage(on: db, to: contact, channels: [.inApp, .email], opening.message, now: now)
            }
        } else {
            try await UseOfForceInvestigationStore.reopenIfClosed(on: db, episodeId: opening.investigation.episodeId, harm: opening.investigation.harm,
                                                                  database: database, origin: origin, now: now)
        }
    }

    /// The investigation of an episode, for someone who may read it in that unit; anyone else is told it is not there.
    public func investigation(episodeId: String, by user: User) async throws -> Investigation {
        guard let investigation = try await investigations.investigation(episodeId: episodeId, organisationId: user.organisationId),
              InvestigationAccess.canRead(unitId: investigation.unitId, user.actor) else { throw UseOfForceError.notFound }
        return investigation
    }

    /// Applies a change (lead, fields, status) checked whole; a lead named in the record as having used force is refused by name.
    public func changeInvestigation(episodeId: String, by user: User, _ change: InvestigationChange, origin: Origin) async throws -> Investigation {
        let current = try await investigation(episodeId: episodeId, by: user)
        guard InvestigationAccess.canChange(unitId: current.unitId, user.actor) else {
            throw UseOfForceError.forbidden(field: nil, message: "Only the restrictive-practice leads, the safety leads and administrators may change an investigation")
        }
        guard let episode = try await store.episode(id: episodeId, organisationId: user.organisationId)?.episode else { throw UseOfForceError.notFound }
        var lead: User?
        if let leadId = change.leadInvestigatorId, !leadId.isEmpty, leadId != current.leadInvestigatorId {
            lead = try await users.find(id: leadId, organisationId: user.organisationId)?.user
            if let refusal = InvestigationAccess.leadRefusal(lead, organisationId: user.organisationId, episode: episode) {
                throw FieldErrors("leadInvestigatorId", refusal)
            }
        }
        let next = try change.applied(to: current, episodeHarm: episode.harm, by: user.id, now: clock.now())
        guard try await investigations.save(next, readAt: current.updatedAt, fields: change.fields, origin: origin) else {
            throw UseOfForceError.conflict("Someone else changed this investigation a moment ago; open it again to see their change")
        }
        if let lead, lead.id != user.id {
            try await notifier.notify(user: lead, Notifier.Message(
                title: "You are leading an investigation",
                body: "You have been asked to lead the s9 investigation of a \(current.harm == .death ? "death" : "serious injury") after a use of force.",
                link: "/use-of-force/\(episodeId)/investigation", event: .useOfForceAlert))
        }
        return next
    }

    /// The timer's sweep: each investigation past its target and not concluded is reminded once, in-app, to the
    /// restrictive-practice and safety leads and its lead investigator. Returns how many were reminded.
    @discardableResult
    public func remindOverdueInvestigations(organisationId: String) async throws -> Int {
        let now = clock.now()
        let people = try await users.list(organisationId: organisationId, scope: .all).filter(\.active)
        let names = Dictionary(try await organisations.units(organisationId: organisationId).map { ($0.id, $0.name) }) { first, _ in first }
        let claimed = try await investigations.claimOverdue(organisationId: organisationId) { [notifier] db, due in
            for investigation in due {
                let message = Notifier.Message(
                    title: "An investigation is past its target",
                    body: "The s9 investigation of a \(investigation.harm == .death ? "death" : "serious injury") after a use of force on "
                        + "\(names[investigation.unitId] ?? "a unit") was due to conclude by \(investigation.targetAt.iso8601.prefix(10)) and has not.",
                    link: "/use-of-force/\(investigation.episodeId)/investigation", event: .useOfForceAlert)
                let told = people.filter {
                    $0.roles.contains(.restrictivePracticeLead) || $0.roles.contains(.safetyLead) || $0.id == investigation.leadInvestigatorId
                }
                for user in told {
                    try await notifier.stage(on: db, to: Contact(id: user.id, organisationId: user.organisationId, email: user.email, name: user.name),
                                             channels: [.inApp], message, now: now)
                }
            }
        }
        return claimed.count
    }
}

extension HavenEnvironment {
    /// Investigations past their target, for the restrictive-practice and safety leads (who answer for them).
    func investigationAttention(for user: User, organisation: Organisation) async throws -> [AttentionItem] {
        guard user.roles.contains(.restrictivePracticeLead) || user.roles.contains(.safetyLead) else { return [] }
        let overdue = try await useOfForce.investigations.overdueCount(organisationId: organisation.id, unitIds: nil)
        guard overdue > 0 else { return [] }
        return [AttentionItem(
            title: overdue == 1 ? "An investigation of a death or serious injury is past its target" : "\(overdue) investigations of a death or serious injury are past their target",
            detail: "Investigations under s9 of the Use of Force Act not yet concluded by the organisation's target.",
            link: "/use-of-force/investigations", priority: 1)]
    }
}
