import Foundation
import HavenCore
import SQLKit

/// A stored episode with what the store knows beyond the statutory record: its version and its senior review.
public struct StoredUseOfForce: Sendable {
    public var episode: UseOfForceEpisode
    public var updatedAt: Date?
    public var reviewedAt: Date?
    public var reviewedBy: String?
    public var reviewNote: String?

    public init(episode: UseOfForceEpisode, updatedAt: Date?, reviewedAt: Date?, reviewedBy: String?, reviewNote: String?) {
        self.episode = episode; self.updatedAt = updatedAt; self.reviewedAt = reviewedAt
        self.reviewedBy = reviewedBy; self.reviewNote = reviewNote
    }
}

extension UseOfForceStore {
    /// One episode of the organisation, or nil.
    public func episode(id: String, organisationId: String) async throws -> StoredUseOfForce? {
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
        /// Local days (YYYY-MM-DD, the organisation's time zone), inclusive: what the page and the API filter by.
        public var fromDate: String?
        public var toDate: String?
        public var incidentId: String?
        /// Only episodes with an alert and no senior review yet.
        public var awaitingReview: Bool
        /// Only episodes with a debrief not held by its due time, as at this moment.
        public var debriefOverdueAt: Date?
        public var limit: Int
        public var offset: Int

        public init(unitIds: Set<String>? = nil, recordedBy: String? = nil, unitId: String? = nil, from: Date? = nil, to: Date? = nil,
                    fromDate: String? = nil, toDate: String? = nil, incidentId: String? = nil, awaitingReview: Bool = false,
                    limit: Int = 50, offset: Int = 0) {
            self.unitIds = unitIds; self.recordedBy = recordedBy; self.unitId = unitId
            self.from = from; self.to = to; self.fromDate = fromDate; self.toDate = toDate
            self.incidentId = incidentId; self.awaitingReview = awaitingReview
            self.limit = limit; self.offset = offset
        }
    }

    /// The episodes a filter selects, newest first, with the total for paging.
    public func episodes(organisationId: String, _ filter: Filter) async throws -> (items: [StoredUseOfForce], total: Int) {
        guard let conditions = Self.conditions(organisationId: organisationId, filter) else { return ([], 0) }
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
            var items: [StoredUseOfForce] = []
            for (row, id) in zip(rows, ids) { items.append(try Self.decode(row, interventions: interventions[id] ?? [])) }
            return (items, total)
        }
    }

    /// The WHERE conditions of a filter, shared by the list and the export; nil when the reader's remit is empty.
    static func conditions(organisationId: String, _ filter: Filter) -> [SQLQueryString]? {
        var conditions: [SQLQueryString] = ["organisation_id = \(bind: organisationId)"]
        if let units = filter.unitIds {
            if units.isEmpty { return nil }
            conditions.append("unit_id IN (\(binds: units.sorted()))")
        }
        if let recorder = filter.recordedBy { conditions.append("recorded_by = \(bind: recorder)") }
        if let unit = filter.unitId { conditions.append("unit_id = \(bind: unit)") }
        if let from = filter.from { conditions.append("started_at >= \(bind: from.epochMilliseconds)") }
        if let to = filter.to { conditions.append("started_at < \(bind: to.epochMilliseconds)") }
        if let day = filter.fromDate { conditions.append("local_date >= \(bind: day)") }
        if let day = filter.toDate { conditions.append("local_date <= \(bind: day)") }
        if let incident = filter.incidentId { conditions.append("incident_id = \(bind: incident)") }
        if filter.awaitingReview { conditions.append("reviewed_at IS NULL AND alerts <> ''") }
        if let now = filter.debriefOverdueAt {
            conditions.append("""
                EXISTS (SELECT 1 FROM use_of_force_debriefs d WHERE d.episode_id = use_of_force_episodes.id
                        AND d.held_at IS NULL AND d.due_at < \(bind: now.epochMilliseconds))
                """)
        }
        return conditions
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

    static func decode(_ row: SQLRow, interventions: [Intervention]) throws -> StoredUseOfForce {
        let staff = (try? JSONDecoder().decode([StaffInvolved].self, from: Data(try row.string("staff").utf8))) ?? []
        var characteristics: [ProtectedCharacteristic: String] = [:]
        for characteristic in ProtectedCharacteristic.allCases {
            characteristics[characteristic] = try row.string(ProtectedCharacteristicColumns.column(characteristic))
        }
        let patient = UseOfForcePatient(
            localIdentifier: try row.string("patient_local_id"), name: try row.optionalString("patient_name"),
            nhsNumber: try row.optionalString("nhs_number"), mentalDisorder: try row.optionalString("mental_disorder"),
            characteristics: RelevantCharacteristics(characteristics),
            characteristicsNote: try row.optionalString("relevant_characteristics"),
            characteristicsDeclined: try row.flag("characteristics_declined"),
            learningDisabilityOrAutism: Answer(rawValue: try row.string("learning_disability_or_autism")) ?? .notKnown,
            detained: try row.flag("detained"), detentionSection: try row.optionalString("detention_section"))
        let episode = UseOfForceEpisode(
            id: try row.string("id"), organisationId: try row.string("organisation_id"), unitId: try row.string("unit_id"),
            recordedBy: try row.string("recorded_by"), recordedAt: try row.date("recorded_at"), reason: try row.string("reason"),
            place: try row.string("place"), interventions: interventions, description: try row.string("description"), staff: staff,
            nonStaffInvolvement: try row.optionalString("non_staff_involvement"), outcome: try row.string("outcome"),
            harm: HarmOutcome(rawValue: try row.string("harm")) ?? .noHarm, effortsToAvoid: try row.string("efforts_to_avoid"),
            carePlanContactsNotified: NotificationAnswer(rawValue: try row.string("care_plan_contacts_notified")) ?? .no,
            patient: patient, proneJustification: try row.optionalString("prone_justification"),
            longRestraintConfirmed: try row.flag("long_restraint_confirmed"), incidentId: try row.optionalString("incident_id"),
            police: PoliceAndFootage(bodyCameras: try row.optionalString("police_body_cameras").flatMap(PoliceBodyCameras.init(rawValue:)),
                                     force: try row.optionalString("police_force"),
                                     bodyCameraReason: try row.optionalString("police_body_camera_reason"),
                                     footageReference: try row.optionalString("footage_reference")))
        return StoredUseOfForce(episode: episode, updatedAt: try row.optionalInt("updated_at").map { Date(epochMilliseconds: Int64($0)) },
                                reviewedAt: try row.optionalInt("reviewed_at").map { Date(epochMilliseconds: Int64($0)) },
                                reviewedBy: try row.optionalString("reviewed_by"), reviewNote: try row.optionalString("review_note"))
    }
}
