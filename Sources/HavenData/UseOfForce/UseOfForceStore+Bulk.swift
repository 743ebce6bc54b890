import Foundation
import HavenCore
import SQLKit

/// Many episodes at once, for `haven demo --use-of-force N` and benchmarks: multi-row INSERTs of episodes and
/// interventions, the rollups added to from the batch's sums, all of a batch in one transaction (one fsync), and one
/// audit entry for the whole generation instead of one per episode.
extension UseOfForceStore {
    /// Episode rows per INSERT: about 50 values a row stays under SQLite's 32,766 bound variables.
    static let episodesPerStatement = 300

    public func insert(generated episodes: [UseOfForceEpisode], timeZone: TimeZone, audit: (origin: Origin, count: Int, at: Date)?,
                       investigationTargetDays: Int = UseOfForceSettings.defaultInvestigationTargetDays) async throws {
        guard !episodes.isEmpty || audit != nil else { return }
        let now = clock.now()
        var statements: [SQLQueryString] = []
        var months: [(episode: UseOfForceEpisode, month: String)] = []
        for start in stride(from: 0, to: episodes.count, by: Self.episodesPerStatement) {
            let slice = episodes[start..<min(start + Self.episodesPerStatement, episodes.count)]
            var names: [String] = []
            var rows: [SQLQueryString] = []
            for episode in slice {
                let columns = try Self.columns(of: episode, timeZone: timeZone)
                names = columns.map(\.name)
                months.append((episode, CalendarColumns(episode.startedAt, timeZone: timeZone).month))
                rows.append("(\(columns.map { "\(bind: $0.value)" as SQLQueryString }.joined(separator: ", ")))")
            }
            statements.append("INSERT INTO use_of_force_episodes (\(unsafeRaw: names.joined(separator: ", "))) VALUES \(rows.joined(separator: ", "))")
            var interventions: [SQLQueryString] = []
            for episode in slice {
                for (seq, i) in episode.interventions.enumerated() {
                    interventions.append("""
                        (\(bind: episode.id), \(bind: seq), \(bind: episode.organisationId), \(bind: i.type.code), \(bind: i.startedAt.epochMilliseconds),
                         \(bind: i.endedAt.epochMilliseconds), \(bind: Int64(i.durationSeconds)), \(bind: i.position),
                         \(bind: i.plannedInCarePlan ? 1 : 0), \(bind: i.painBased ? 1 : 0))
                        """)
                }
            }
            // Ten values a row; several interventions per episode still stay well under the limits.
            for chunk in stride(from: 0, to: interventions.count, by: 1000).map({ Array(interventions[$0..<min($0 + 1000, interventions.count)]) }) {
                statements.append("""
                    INSERT INTO use_of_force_interventions (episode_id, seq, organisation_id, type_code, started_at, ended_at, duration_seconds,
                        position, planned_in_care_plan, pain_based) VALUES \(chunk.joined(separator: ", "))
                    """)
            }
        }
        try await database.write { [database, statements, months, episodes] db in
            for statement in statements { try await db.raw(statement).run() }
            try await UseOfForceRollupSQL.add(months, sign: 1, on: db)
            // A death or serious injury owes an s9 investigation, generated as cheaply as the episodes (one statement).
            try await UseOfForceInvestigationStore.openForGenerated(on: db, episodeIds: episodes.filter { Investigation.isOwed(for: $0.harm) }.map(\.id),
                                                                    targetDays: investigationTargetDays, now: now)
            if let audit {
                try await database.audit(db, audit.origin, "use-of-force.generate", entity: "use-of-force", id: nil,
                                         changes: ["count": String(audit.count)], at: audit.at)
            }
        }
    }

    public func count(organisationId: String) async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM use_of_force_episodes WHERE organisation_id = \(bind: organisationId)").first()?.int("n") ?? 0
        }
    }
}
