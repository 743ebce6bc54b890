import Foundation
import HavenCore
import SQLKit

/// A debrief or a set of observations after rapid tranquillisation that is past its due time and has not been
/// recorded: what a timed reminder is sent about.
public struct OverdueFollowUp: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case debrief(DebriefKind)
        /// The set's number in the schedule (0 is the first, 15 minutes after the injection).
        case observations(seq: Int)
    }
    public var kind: Kind
    public var organisationId: String
    public var episodeId: String
    public var unitId: String
    public var dueAt: Date
    /// Who recorded the use of force (told as well as the unit's managers).
    public var recordedBy: String

    public init(kind: Kind, organisationId: String, episodeId: String, unitId: String, dueAt: Date, recordedBy: String) {
        self.kind = kind; self.organisationId = organisationId; self.episodeId = episodeId; self.unitId = unitId
        self.dueAt = dueAt; self.recordedBy = recordedBy
    }
}

/// Claims overdue follow-ups for reminding, once each: `reminded_at` is set by a conditional update, so of two
/// instances sweeping at once only one claims a row, and the reminders are staged by the caller in the same
/// transaction as the claim, so a claimed reminder is never lost and never sent twice.
public struct UseOfForceReminderStore: Sendable {
    public let database: Database
    public let clock: any HavenClock

    public init(database: Database, clock: any HavenClock) {
        self.database = database
        self.clock = clock
    }

    /// Observations are overdue five minutes after their time, as in the attention list.
    public static let observationGrace: TimeInterval = 300
    /// Something overdue for longer than this when the sweep first sees it (after an upgrade or a long outage) is left
    /// to the attention list: a flood of week-old reminders would bury the ones that matter.
    public static let oldest: TimeInterval = 7 * 86_400

    public func claim(organisationId: String, limit: Int = 200,
                      stage: @escaping @Sendable (any SQLDatabase, [OverdueFollowUp]) async throws -> Void) async throws -> [OverdueFollowUp] {
        let now = clock.now()
        let stamp = now.epochMilliseconds
        return try await database.write { db in
            var claimed: [OverdueFollowUp] = []
            let debriefs = try await db.raw("""
                SELECT d.id, d.organisation_id, d.episode_id, d.unit_id, d.kind, d.due_at, e.recorded_by
                FROM use_of_force_debriefs d JOIN use_of_force_episodes e ON e.id = d.episode_id
                WHERE d.organisation_id = \(bind: organisationId) AND d.held_at IS NULL AND d.reminded_at IS NULL AND d.due_at < \(bind: stamp)
                  AND d.due_at >= \(bind: (now - Self.oldest).epochMilliseconds) AND e.anonymised_at IS NULL
                ORDER BY d.due_at LIMIT \(unsafeRaw: String(limit))
                """).all()
            for row in debriefs {
                let won = try await db.raw("""
                    UPDATE use_of_force_debriefs SET reminded_at = \(bind: stamp)
                    WHERE id = \(bind: try row.string("id")) AND reminded_at IS NULL AND held_at IS NULL RETURNING id
                    """).first()
                guard won != nil else { continue }
                claimed.append(OverdueFollowUp(kind: .debrief(DebriefKind(rawValue: try row.string("kind")) ?? .staff),
                                               organisationId: try row.string("organisation_id"), episodeId: try row.string("episode_id"),
                                               unitId: try row.string("unit_id"), dueAt: try row.date("due_at"), recordedBy: try row.string("recorded_by")))
            }
            let cutoff = (now - Self.observationGrace).epochMilliseconds
            let observations = try await db.raw("""
                SELECT o.episode_id, o.seq, o.organisation_id, o.unit_id, o.due_at, e.recorded_by
                FROM rapid_tranquillisation_observations o JOIN use_of_force_episodes e ON e.id = o.episode_id
                WHERE o.organisation_id = \(bind: organisationId) AND o.taken_at IS NULL AND o.reminded_at IS NULL AND o.due_at < \(bind: cutoff)
                  AND o.due_at >= \(bind: (now - Self.oldest).epochMilliseconds) AND e.anonymised_at IS NULL
                ORDER BY o.due_at LIMIT \(unsafeRaw: String(limit))
                """).all()
            for row in observations {
                let episode = try row.string("episode_id"), seq = try row.int("seq")
                let won = try await db.raw("""
                    UPDATE rapid_tranquillisation_observations SET reminded_at = \(bind: stamp)
                    WHERE episode_id = \(bind: episode) AND seq = \(bind: seq) AND reminded_at IS NULL AND taken_at IS NULL RETURNING seq
                    """).first()
                guard won != nil else { continue }
                claimed.append(OverdueFollowUp(kind: .observations(seq: seq), organisationId: try row.string("organisation_id"), episodeId: episode,
                                               unitId: try row.string("unit_id"), dueAt: try row.date("due_at"), recordedBy: try row.string("recorded_by")))
            }
            if !claimed.isEmpty { try await stage(db, claimed) }
            return claimed
        }
    }
}
