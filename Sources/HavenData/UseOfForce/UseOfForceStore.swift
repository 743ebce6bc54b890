import Foundation
import HavenCore
import SQLKit

/// The SQL of use of force, in one place: an episode and its interventions are written in one transaction with
/// its audit event, so a saved record always has its whole statutory content.
public struct UseOfForceStore: Sendable {
    public let database: Database
    public let clock: any HavenClock

    public init(database: Database, clock: any HavenClock) {
        self.database = database
        self.clock = clock
    }

    /// Saves a checked episode; returns once it is committed (on disk). `stage` runs inside the same transaction,
    /// so the alerts it queues are sent if and only if the episode is saved.
    public func record(_ episode: UseOfForceEpisode, timeZone: TimeZone, origin: Origin,
                       stage: @escaping @Sendable (any SQLDatabase) async throws -> Void = { _ in }) async throws {
        let columns = try Self.columns(of: episode, timeZone: timeZone)
        try await database.write { [database, episode] db in
            try await db.insert(into: "use_of_force_episodes").columns(columns.map(\.name)).values(columns.map(\.value)).run()
            try await Self.insertInterventions(of: episode, on: db)
            // The dashboard's monthly sums move in the same transaction as the record (DESIGN.md: rollups kept on write).
            try await UseOfForceRollupSQL.add(episode, month: CalendarColumns(episode.startedAt, timeZone: timeZone).month, sign: 1, on: db)
            // The audit says what kind of force and which alerts, never the patient's identity.
            try await database.audit(db, origin, "use-of-force.record", entity: "use-of-force", id: episode.id,
                                     changes: ["unitId": episode.unitId,
                                               "types": episode.interventions.map(\.type.code).joined(separator: " "),
                                               "alerts": Self.alertKinds(episode)],
                                     at: episode.recordedAt)
            try await stage(db)
        }
    }

    /// Replaces a corrected episode (the same id, recorder and recording time) and audits which items changed.
    /// The update is conditional on the version that was read, so two people correcting at once cannot both win.
    /// `stage` runs inside the same transaction once the update has won (an investigation a correction opens).
    public func update(_ episode: UseOfForceEpisode, readAt version: Date?, changedItems: [String], timeZone: TimeZone,
                       origin: Origin, stage: @escaping @Sendable (any SQLDatabase) async throws -> Void = { _ in }) async throws -> Bool {
        let now = clock.now()
        let columns = try Self.columns(of: episode, timeZone: timeZone).filter { !["id", "organisation_id", "recorded_by", "recorded_at"].contains($0.name) }
        return try await database.write { [database, episode] db in
            // What the record was, so its sums can be taken out of the rollups before the corrected ones go in.
            guard let before = try await db.raw("""
                SELECT * FROM use_of_force_episodes WHERE id = \(bind: episode.id) AND organisation_id = \(bind: episode.organisationId)
                """).first() else { return false }
            let old = try Self.decode(before, interventions: try await Self.interventions(on: db, episodeIds: [episode.id])[episode.id] ?? [])
            var update = db.update("use_of_force_episodes")
            for column in columns { update = update.set(column.name, to: column.value) }
            update = update.set("updated_at", to: now.epochMilliseconds)
                .where("id", .equal, episode.id).where("organisation_id", .equal, episode.organisationId)
            if let version { update = update.where("updated_at", .equal, version.epochMilliseconds) }
            else { update = update.where("updated_at", .is, SQLLiteral.null) }
            let changed = try await update.returning("id").all()
            guard !changed.isEmpty else { return false }
            try await db.raw("DELETE FROM use_of_force_interventions WHERE episode_id = \(bind: episode.id)").run()
            try await Self.insertInterventions(of: episode, on: db)
            try await UseOfForceRollupSQL.add(old.episode, month: try before.string("local_month"), sign: -1, on: db)
            try await UseOfForceRollupSQL.add(episode, month: CalendarColumns(episode.startedAt, timeZone: timeZone).month, sign: 1, on: db)
            try await database.audit(db, origin, "use-of-force.update", entity: "use-of-force", id: episode.id,
                                     changes: ["items": changedItems.joined(separator: " "), "alerts": Self.alertKinds(episode)], at: now)
            try await stage(db)
            return true
        }
    }

    /// Records the senior review an alert asks for. False when the episode was already reviewed.
    public func review(id: String, organisationId: String, by reviewer: String, note: String, origin: Origin) async throws -> Bool {
        let now = clock.now()
        return try await database.write { [database] db in
            let rows = try await db.raw("""
                UPDATE use_of_force_episodes SET reviewed_at = \(bind: now.epochMilliseconds), reviewed_by = \(bind: reviewer),
                    review_note = \(bind: note)
                WHERE id = \(bind: id) AND organisation_id = \(bind: organisationId) AND reviewed_at IS NULL RETURNING id
                """).all()
            guard !rows.isEmpty else { return false }
            try await database.audit(db, origin, "use-of-force.review", entity: "use-of-force", id: id, changes: [:], at: now)
            return true
        }
    }

    /// Interventions of the same type on the same patient (by local identifier) whose times overlap one of the
    /// episode's, in another episode: most likely the same restraint recorded twice. Index → the other episode.
    public func overlaps(with episode: UseOfForceEpisode) async throws -> [Int: String] {
        try await database.read { db in
            var found: [Int: String] = [:]
            for (index, intervention) in episode.interventions.enumerated() {
                let row = try await db.raw("""
                    SELECT i.episode_id FROM use_of_force_interventions i
                    JOIN use_of_force_episodes e ON e.id = i.episode_id
                    WHERE e.organisation_id = \(bind: episode.organisationId) AND e.patient_local_id = \(bind: episode.patient.localIdentifier)
                      AND i.type_code = \(bind: intervention.type.code) AND i.episode_id <> \(bind: episode.id)
                      AND i.started_at < \(bind: intervention.endedAt.epochMilliseconds)
                      AND i.ended_at > \(bind: intervention.startedAt.epochMilliseconds)
                    LIMIT 1
                    """).first()
                if let row { found[index] = try row.string("episode_id") }
            }
            return found
        }
    }

    static func alertKinds(_ episode: UseOfForceEpisode) -> String {
        UseOfForceRules.alerts(for: episode).map(\.kind.rawValue).joined(separator: " ")
    }

    static func insertInterventions(of episode: UseOfForceEpisode, on db: any SQLDatabase) async throws {
        for (seq, intervention) in episode.interventions.enumerated() {
            try await db.raw("""
                INSERT INTO use_of_force_interventions (episode_id, seq, organisation_id, type_code, started_at, ended_at,
                    duration_seconds, position, planned_in_care_plan, pain_based)
                VALUES (\(bind: episode.id), \(bind: seq), \(bind: episode.organisationId), \(bind: intervention.type.code),
                    \(bind: intervention.startedAt.epochMilliseconds), \(bind: intervention.endedAt.epochMilliseconds),
                    \(bind: Int64(intervention.durationSeconds)), \(bind: intervention.position),
                    \(bind: intervention.plannedInCarePlan.storedFlag), \(bind: intervention.painBased.storedFlag))
                """).run()
        }
    }

    /// Every stored column of an episode with its value, for the insert and the update alike.
    static func columns(of episode: UseOfForceEpisode, timeZone: TimeZone) throws -> [(name: String, value: any Encodable & Sendable)] {
        let staffJSON = String(decoding: try JSONEncoder.sorted.encode(episode.staff), as: UTF8.self)
        let calendar = CalendarColumns(episode.startedAt, timeZone: timeZone)
        let patient = episode.patient
        var columns: [(name: String, value: any Encodable & Sendable)] = [
            ("id", episode.id), ("organisation_id", episode.organisationId), ("unit_id", episode.unitId),
            ("recorded_by", episode.recordedBy), ("recorded_at", episode.recordedAt.epochMilliseconds),
            ("started_at", episode.startedAt.epochMilliseconds), ("duration_seconds", Int64(episode.durationSeconds)),
            ("local_date", calendar.localDate), ("local_month", calendar.month),
            ("reason", episode.reason), ("place", episode.place), ("description", episode.description), ("staff", staffJSON),
            ("non_staff_involvement", episode.nonStaffInvolvement), ("outcome", episode.outcome), ("harm", episode.harm.rawValue),
            ("efforts_to_avoid", episode.effortsToAvoid), ("care_plan_contacts_notified", episode.carePlanContactsNotified.rawValue),
            ("patient_local_id", patient.localIdentifier), ("patient_name", patient.name), ("nhs_number", patient.nhsNumber),
            ("mental_disorder", patient.mentalDisorder), ("relevant_characteristics", patient.characteristicsNote),
            ("characteristics_declined", patient.characteristicsDeclined.storedFlag),
            ("learning_disability_or_autism", patient.learningDisabilityOrAutism.rawValue),
            ("detained", patient.detained.storedFlag), ("detention_section", patient.detentionSection),
            ("prone", episode.interventions.contains { $0.type == .prone }.storedFlag), ("alerts", alertKinds(episode)),
            ("prone_justification", episode.proneJustification), ("long_restraint_confirmed", episode.longRestraintConfirmed.storedFlag),
            ("incident_id", episode.incidentId),
            ("police_body_cameras", episode.police.bodyCameras?.rawValue), ("police_force", episode.police.force),
            ("police_body_camera_reason", episode.police.bodyCameraReason), ("footage_reference", episode.police.footageReference),
        ]
        for characteristic in ProtectedCharacteristic.allCases {
            columns.append((ProtectedCharacteristicColumns.column(characteristic), patient.characteristics[characteristic]))
        }
        return columns
    }
}
