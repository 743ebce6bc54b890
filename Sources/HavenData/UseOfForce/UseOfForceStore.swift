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

    /// Saves a checked episode; returns once it is committed (on disk).
    public func record(_ episode: UseOfForceEpisode, origin: Origin) async throws {
        let alerts = UseOfForceRules.alerts(for: episode)
        let staffJSON = String(decoding: try JSONEncoder.sorted.encode(episode.staff), as: UTF8.self)
        let alertKinds = alerts.map(\.kind.rawValue).joined(separator: " ")
        let prone = episode.interventions.contains { $0.type == .prone }
        let patient = episode.patient
        try await database.write { [database, episode] db in
            try await db.raw("""
                INSERT INTO use_of_force_episodes (id, organisation_id, unit_id, recorded_by, recorded_at, started_at, duration_seconds,
                    reason, place, description, staff, non_staff_involvement, outcome, harm, efforts_to_avoid,
                    care_plan_contacts_notified, patient_local_id, patient_name, nhs_number, mental_disorder,
                    relevant_characteristics, characteristics_declined, learning_disability_or_autism, detained, detention_section,
                    prone, alerts)
                VALUES (\(bind: episode.id), \(bind: episode.organisationId), \(bind: episode.unitId), \(bind: episode.recordedBy),
                    \(bind: episode.recordedAt.epochMilliseconds), \(bind: episode.startedAt.epochMilliseconds),
                    \(bind: Int64(episode.durationSeconds)), \(bind: episode.reason), \(bind: episode.place), \(bind: episode.description),
                    \(bind: staffJSON), \(bind: episode.nonStaffInvolvement), \(bind: episode.outcome), \(bind: episode.harm.rawValue),
                    \(bind: episode.effortsToAvoid), \(bind: episode.carePlanContactsNotified.rawValue), \(bind: patient.localIdentifier),
                    \(bind: patient.name), \(bind: patient.nhsNumber), \(bind: patient.mentalDisorder), \(bind: patient.relevantCharacteristics),
                    \(bind: patient.characteristicsDeclined.storedFlag), \(bind: patient.learningDisabilityOrAutism.rawValue),
                    \(bind: patient.detained.storedFlag), \(bind: patient.detentionSection), \(bind: prone.storedFlag), \(bind: alertKinds))
                """).run()
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
            // The audit says what kind of force and which alerts, never the patient's identity.
            try await database.audit(db, origin, "use-of-force.record", entity: "use-of-force", id: episode.id,
                                     changes: ["unitId": episode.unitId,
                                               "types": episode.interventions.map(\.type.code).joined(separator: " "),
                                               "alerts": alertKinds],
                                     at: episode.recordedAt)
        }
    }

    /// One episode of the organisation, or nil.
    public func episode(id: String, organisationId: String) async throws -> UseOfForceEpisode? {
        try await database.read { db in
            guard let row = try await db.raw("""
                SELECT * FROM use_of_force_episodes WHERE id = \(bind: id) AND organisation_id = \(bind: organisationId)
                """).first() else { return nil }
            let interventions = try await Self.interventions(on: db, episodeIds: [id])
            return try Self.decode(row, interventions: interventions[id] ?? [])
        }
    }

    public struct Filter: Sendable {
        /// The units the reader may see (nil: all).
        public var unitIds: Set<String>?
        /// Only the episodes this user recorded (staff see their own).
        public var recordedBy: String?
        public var unitId: String?
        public var from: Date?
        public var to: Date?
        public var limit: Int
        public var offset: Int

        public init(unitIds: Set<String>? = nil, recordedBy: String? = nil, unitId: String? = nil, from: Date? = nil, to: Date? = nil,
                    limit: Int = 50, offset: Int = 0) {
            self.unitIds = unitIds; self.recordedBy = recordedBy; self.unitId = unitId
            self.from = from; self.to = to; self.limit = limit; self.offset = offset
        }
    }

    /// The episodes a filter selects, newest first, with the total for paging.
    public func episodes(organisationId: String, _ filter: Filter) async throws -> (items: [UseOfForceEpisode], total: Int) {
        var conditions: [SQLQueryString] = ["organisation_id = \(bind: organisationId)"]
        if let units = filter.unitIds {
            if units.isEmpty { return ([], 0) }
            conditions.append("unit_id IN (\(binds: units.sorted()))")
        }
        if let recorder = filter.recordedBy { conditions.append("recorded_by = \(bind: recorder)") }
        if let unit = filter.unitId { conditions.append("unit_id = \(bind: unit)") }
        if let from = filter.from { conditions.append("started_at >= \(bind: from.epochMilliseconds)") }
        if let to = filter.to { conditions.append("started_at < \(bind: to.epochMilliseconds)") }
        let whereClause = conditions.joined(separator: " AND ")
        return try await database.read { [filter] db in
            let total = try await db.raw("SELECT COUNT(*) AS n FROM use_of_force_episodes WHERE \(whereClause)").first()?.int("n") ?? 0
            let rows = try await db.raw("""
                SELECT * FROM use_of_force_episodes WHERE \(whereClause) ORDER BY started_at DESC, id
                LIMIT \(unsafeRaw: String(filter.limit)) OFFSET \(unsafeRaw: String(filter.offset))
                """).all()
            let ids = try rows.map { try $0.string("id") }
            var interventions: [String: [Intervention]] = [:]
            if !ids.isEmpty { interventions = try await Self.interventions(on: db, episodeIds: ids) }
            var items: [UseOfForceEpisode] = []
            for (row, id) in zip(rows, ids) { items.append(try Self.decode(row, interventions: interventions[id] ?? [])) }
            return (items, total)
        }
    }

    static func interventions(on db: any SQLDatabase, episodeIds: [String]) async throws -> [String: [Intervention]] {
        let rows = try await db.raw("""
            SELECT * FROM use_of_force_interventions WHERE episode_id IN (\(binds: episodeIds)) ORDER BY episode_id, seq
            """).all()
        var result: [String: [Intervention]] = [:]
        for row in rows {
            let type = RestrictiveInterventionType(rawValue: try row.string("type_code")) ?? .physicalOther
            result[try row.string("episode_id"), default: []].append(Intervention(
                type: type, startedAt: try row.date("started_at"), endedAt: try row.date("ended_at"),
                position: try row.optionalString("position"), plannedInCarePlan: try row.flag("planned_in_care_plan"),
                painBased: try row.flag("pain_based")))
        }
        return result
    }

    static func decode(_ row: SQLRow, interventions: [Intervention]) throws -> UseOfForceEpisode {
        let staff = (try? JSONDecoder().decode([StaffInvolved].self, from: Data(try row.string("staff").utf8))) ?? []
        let patient = UseOfForcePatient(
            localIdentifier: try row.string("patient_local_id"), name: try row.optionalString("patient_name"),
            nhsNumber: try row.optionalString("nhs_number"), mentalDisorder: try row.optionalString("mental_disorder"),
            relevantCharacteristics: try row.optionalString("relevant_characteristics"),
            characteristicsDeclined: try row.flag("characteristics_declined"),
            learningDisabilityOrAutism: Answer(rawValue: try row.string("learning_disability_or_autism")) ?? .notKnown,
            detained: try row.flag("detained"), detentionSection: try row.optionalString("detention_section"))
        return UseOfForceEpisode(
            id: try row.string("id"), organisationId: try row.string("organisation_id"), unitId: try row.string("unit_id"),
            recordedBy: try row.string("recorded_by"), recordedAt: try row.date("recorded_at"), reason: try row.string("reason"),
            place: try row.string("place"), interventions: interventions, description: try row.string("description"), staff: staff,
            nonStaffInvolvement: try row.optionalString("non_staff_involvement"), outcome: try row.string("outcome"),
            harm: HarmOutcome(rawValue: try row.string("harm")) ?? .noHarm, effortsToAvoid: try row.string("efforts_to_avoid"),
            carePlanContactsNotified: NotificationAnswer(rawValue: try row.string("care_plan_contacts_notified")) ?? .no,
            patient: patient)
    }
}
