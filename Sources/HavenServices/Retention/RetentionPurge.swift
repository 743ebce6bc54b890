import Foundation
import HavenCore
import HavenData

/// The retention purge: works out each record type's period for an organisation and anonymises what is past it,
/// in bounded batches. The durable timer runs it daily; `haven retention purge` runs it (or previews it) by hand.
public struct RetentionPurge: Sendable {
    public let retention: RetentionStore
    public let organisations: OrganisationStore
    public let clock: any HavenClock

    /// One transaction holds the single writer this long at most; a bigger backlog takes several batches.
    public static let batchSize = 500
    /// A timer run stops after this many batches and comes back soon, so a first run over years of data never
    /// holds the timer loop for long.
    public static let batchesPerRun = 20

    public init(retention: RetentionStore, organisations: OrganisationStore, clock: any HavenClock) {
        self.retention = retention
        self.organisations = organisations
        self.clock = clock
    }

    /// What a run did (or, dry, would do) for one record type.
    public struct Outcome: Sendable, Equatable {
        public var record: RetainedRecord
        public var years: Int
        public var cutoff: Date
        public var ids: [String]
        /// More is due than this run took on.
        public var more: Bool
    }

    /// The period in force for each record type: the setting, never below the rule pack's minimum.
    public func periods(for organisation: Organisation) async throws -> [RetainedRecord: Int] {
        let settings = try await retention.settings(organisationId: organisation.id)
        return Dictionary(uniqueKeysWithValues: RetainedRecord.allCases.map {
            ($0, RetentionPolicy.effectiveYears(settings[$0], for: $0, rulePack: organisation.rulePack))
        })
    }

    /// Anonymises what is past retention (or, with `dryRun`, only lists it). Each batch commits with an audit entry
    /// naming its incidents; a run that finds nothing still leaves one entry, so the trail shows the job ran.
    public func run(organisationId: String, dryRun: Bool, origin: Origin, maximumBatches: Int = batchesPerRun) async throws -> [Outcome] {
        guard let organisation = try await organisations.organisation(id: organisationId) else { return [] }
        let periods = try await periods(for: organisation)
        let now = clock.now()
        var outcomes: [Outcome] = []
        let episodes = UseOfForceStore(database: retention.database, clock: clock)
        let plans = BehaviourSupportPlanStore(database: retention.database, clock: clock)
        let negligible = NegligibleForceStore(database: retention.database, clock: clock)
        // Incidents by the date reported; use-of-force records by the date made (s6(6)). Same batches, same audit shape.
        let kinds: [(RetainedRecord, due: (Date) async throws -> [String], anonymise: (Date, Int, Bool) async throws -> [String])] = [
            (.incidents, { try await retention.incidentsDue(organisationId: organisation.id, before: $0) },
             { try await retention.anonymiseIncidents(organisationId: organisation.id, before: $0, years: $1, limit: Self.batchSize, auditEmpty: $2, origin: origin) }),
            (.useOfForce, { try await episodes.episodesDue(organisationId: organisation.id, before: $0) },
             { try await episodes.anonymiseEpisodes(organisationId: organisation.id, before: $0, years: $1, limit: Self.batchSize, auditEmpty: $2, origin: origin) }),
            // Behaviour support plans from the day they stopped applying (deleted); negligible-force records from the date made.
            (.behaviourSupportPlans, { try await plans.plansDue(organisationId: organisation.id, before: $0) },
             { try await plans.purgePlans(organisationId: organisation.id, before: $0, years: $1, limit: Self.batchSize, auditEmpty: $2, origin: origin) }),
            (.negligibleForce, { try await negligible.usesDue(organisationId: organisation.id, before: $0) },
             { try await negligible.anonymiseUses(organisationId: organisation.id, before: $0, years: $1, limit: Self.batchSize, auditEmpty: $2, origin: origin) }),
        ]
        for (record, due, anonymise) in kinds {
            let years = periods[record]!
            let cutoff = RetentionPolicy.cutoff(now: now, years: years)
            var outcome = Outcome(record: record, years: years, cutoff: cutoff, ids: [], more: false)
            if dryRun {
                outcome.ids = try await due(cutoff)
            } else {
                for batch in 0..<max(1, maximumBatches) {
                    let ids = try await anonymise(cutoff, years, batch == 0)
                    outcome.ids += ids
                    if ids.count < Self.batchSize { break }
                    if batch == maximumBatches - 1 { outcome.more = true }
                }
            }
            outcomes.append(outcome)
        }
        return outcomes
    }
}
