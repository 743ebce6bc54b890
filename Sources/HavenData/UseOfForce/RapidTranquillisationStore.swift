import Foundation
import HavenCore
import SQLKit

/// The SQL of rapid-tranquillisation observations.
public struct RapidTranquillisationStore: Sendable {
    public let database: Database
    public let clock: any HavenClock

    public init(database: Database, clock: any HavenClock) {
        self.database = database
        self.clock = clock
    }

    /// Inside the write that saves the episode, so its observations are owed from the moment it is saved.
    public static func insert(on db: any SQLDatabase, _ episode: UseOfForceEpisode) async throws {
        for (seq, due) in RapidTranquillisation.owed(by: episode).enumerated() {
            try await db.raw("""
                INSERT INTO rapid_tranquillisation_observations (episode_id, seq, organisation_id, unit_id, due_at)
                VALUES (\(bind: episode.id), \(bind: seq), \(bind: episode.organisationId), \(bind: episode.unitId), \(bind: due.epochMilliseconds))
                """).run()
        }
    }

    public func observations(episodeId: String, organisationId: String) async throws -> [RapidTranquillisationObservation] {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM rapid_tranquillisation_observations WHERE episode_id = \(bind: episodeId) AND organisation_id = \(bind: organisationId)
                ORDER BY seq
                """).all().map(Self.decode)
        }
    }

    /// Saves a set once: false when it had already been recorded.
    public func record(_ observation: RapidTranquillisationObservation, organisationId: String, origin: Origin) async throws -> Bool {
        let now = clock.now()
        return try await database.write { [database] db in
            let rows = try await db.raw("""
                UPDATE rapid_tranquillisation_observations SET taken_at = \(bind: observation.takenAt?.epochMilliseconds),
                    taken_by = \(bind: observation.takenBy), pulse = \(bind: observation.pulse), systolic = \(bind: observation.systolic),
                    diastolic = \(bind: observation.diastolic), respiratory_rate = \(bind: observation.respiratoryRate),
                    temperature = \(bind: observation.temperature), oxygen_saturation = \(bind: observation.oxygenSaturation),
                    consciousness = \(bind: observation.consciousness?.rawValue), not_taken_reason = \(bind: observation.notTakenReason),
                    notes = \(bind: observation.notes)
                WHERE episode_id = \(bind: observation.episodeId) AND seq = \(bind: observation.seq)
                  AND organisation_id = \(bind: organisationId) AND taken_at IS NULL
                RETURNING seq
                """).all()
            guard !rows.isEmpty else { return false }
            try await database.audit(db, origin, "use-of-force.observation", entity: "use-of-force", id: observation.episodeId,
                                     changes: ["seq": String(observation.seq), "concerns": observation.concerns.joined(separator: "; ")], at: now)
            return true
        }
    }

    /// Sets more than five minutes past due and not taken, in these units (nil: all).
    public func overdueCount(organisationId: String, unitIds: Set<String>?) async throws -> Int {
        try await database.overdueCount(table: "rapid_tranquillisation_observations", doneColumn: "taken_at", organisationId: organisationId,
                                        unitIds: unitIds, dueBefore: clock.now() - 300)
    }

    static func decode(_ row: SQLRow) throws -> RapidTranquillisationObservation {
        var observation = RapidTranquillisationObservation(episodeId: try row.string("episode_id"), seq: try row.int("seq"), dueAt: try row.date("due_at"))
        observation.takenAt = try row.optionalInt("taken_at").map { Date(epochMilliseconds: Int64($0)) }
        observation.takenBy = try row.optionalString("taken_by")
        observation.pulse = try row.optionalInt("pulse"); observation.systolic = try row.optionalInt("systolic")
        observation.diastolic = try row.optionalInt("diastolic"); observation.respiratoryRate = try row.optionalInt("respiratory_rate")
        observation.temperature = try row.decode(column: "temperature", as: Double?.self)
        observation.oxygenSaturation = try row.optionalInt("oxygen_saturation")
        observation.consciousness = try row.optionalString("consciousness").flatMap(RapidTranquillisation.Consciousness.init(rawValue:))
        observation.notTakenReason = try row.optionalString("not_taken_reason"); observation.notes = try row.optionalString("notes")
        return observation
    }
}
