import Foundation
import HavenCore
import SQLKit

/// The SQL of debriefs and of the organisation's use-of-force settings.
public struct UseOfForceDebriefStore: Sendable {
    public let database: Database
    public let clock: any HavenClock

    public init(database: Database, clock: any HavenClock) {
        self.database = database
        self.clock = clock
    }

    /// The organisation's settings, or the defaults while it has none.
    public func settings(organisationId: String) async throws -> UseOfForceSettings {
        try await database.read { db in
            guard let row = try await db.raw("""
                SELECT * FROM use_of_force_settings WHERE organisation_id = \(bind: organisationId)
                """).first() else { return .defaults }
            let types = try row.string("negligible_types").split(separator: " ").map(String.init)
            return UseOfForceSettings(staffDebriefHours: try row.int("staff_debrief_hours"), patientDebriefHours: try row.int("patient_debrief_hours"),
                                      negligible: NegligibleForcePolicy(types: types, maximumSeconds: try row.int("negligible_maximum_seconds"),
                                                                        definition: try row.string("negligible_definition")),
                                      suppressionThreshold: try row.int("suppression_threshold"),
                                      investigationTargetDays: try row.int("investigation_target_days"))
        }
    }

    public func save(_ settings: UseOfForceSettings, organisationId: String, origin: Origin) async throws {
        let now = clock.now()
        try await database.write { [database] db in
            try await db.raw("DELETE FROM use_of_force_settings WHERE organisation_id = \(bind: organisationId)").run()
            try await db.raw("""
                INSERT INTO use_of_force_settings (organisation_id, staff_debrief_hours, patient_debrief_hours, negligible_types,
                    negligible_maximum_seconds, negligible_definition, suppression_threshold, investigation_target_days, updated_at)
                VALUES (\(bind: organisationId), \(bind: settings.staffDebriefHours), \(bind: settings.patientDebriefHours),
                    \(bind: settings.negligible.types.joined(separator: " ")), \(bind: settings.negligible.maximumSeconds),
                    \(bind: settings.negligible.definition), \(bind: settings.suppressionThreshold), \(bind: settings.investigationTargetDays),
                    \(bind: now.epochMilliseconds))
                """).run()
            try await database.audit(db, origin, "use-of-force.settings", entity: "organisation", id: organisationId,
                                     changes: ["staffDebriefHours": String(settings.staffDebriefHours),
                                               "patientDebriefHours": String(settings.patientDebriefHours),
                                               "negligibleTypes": settings.negligible.types.joined(separator: " "),
                                               "negligibleMaximumSeconds": String(settings.negligible.maximumSeconds),
                                               "suppressionThreshold": String(settings.suppressionThreshold),
                                               "investigationTargetDays": String(settings.investigationTargetDays)], at: now)
        }
    }

    /// Inside the write that saves the episode, so a saved episode always owes its debriefs.
    public static func insert(on db: any SQLDatabase, _ debriefs: [Debrief], organisationId: String) async throws {
        for debrief in debriefs {
            try await db.raw("""
                INSERT INTO use_of_force_debriefs (id, organisation_id, episode_id, unit_id, kind, due_at)
                VALUES (\(bind: debrief.id), \(bind: organisationId), \(bind: debrief.episodeId), \(bind: debrief.unitId),
                    \(bind: debrief.kind.rawValue), \(bind: debrief.dueAt.epochMilliseconds))
                """).run()
        }
    }

    public func debriefs(episodeId: String, organisationId: String) async throws -> [Debrief] {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM use_of_force_debriefs WHERE episode_id = \(bind: episodeId) AND organisation_id = \(bind: organisationId)
                ORDER BY kind DESC
                """).all().map(Self.decode)
        }
    }

    /// Records a debrief as held. False when it was already recorded (the first account stands; correct it by a new note).
    public func complete(_ debrief: Debrief, organisationId: String, origin: Origin) async throws -> Bool {
        let now = clock.now()
        return try await database.write { [database] db in
            let rows = try await db.raw("""
                UPDATE use_of_force_debriefs SET held_at = \(bind: debrief.heldAt?.epochMilliseconds), recorded_by = \(bind: debrief.recordedBy),
                    attendees = \(bind: debrief.attendees), notes = \(bind: debrief.notes), patient_account = \(bind: debrief.patientAccount),
                    patient_declined = \(bind: debrief.patientDeclined.storedFlag)
                WHERE episode_id = \(bind: debrief.episodeId) AND kind = \(bind: debrief.kind.rawValue)
                  AND organisation_id = \(bind: organisationId) AND held_at IS NULL
                RETURNING id
                """).all()
            guard !rows.isEmpty else { return false }
            try await database.audit(db, origin, "use-of-force.debrief", entity: "use-of-force", id: debrief.episodeId,
                                     changes: ["kind": debrief.kind.rawValue, "declined": debrief.patientDeclined ? "yes" : "no"], at: now)
            return true
        }
    }

    /// How many debriefs in these units (nil: all) are overdue now.
    public func overdueCount(organisationId: String, unitIds: Set<String>?) async throws -> Int {
        try await database.overdueCount(table: "use_of_force_debriefs", doneColumn: "held_at", organisationId: organisationId,
                                        unitIds: unitIds, dueBefore: clock.now())
    }

    static func decode(_ row: SQLRow) throws -> Debrief {
        Debrief(id: try row.string("id"), episodeId: try row.string("episode_id"), unitId: try row.string("unit_id"),
                kind: DebriefKind(rawValue: try row.string("kind")) ?? .staff, dueAt: try row.date("due_at"),
                heldAt: try row.optionalInt("held_at").map { Date(epochMilliseconds: Int64($0)) },
                recordedBy: try row.optionalString("recorded_by"), attendees: try row.optionalString("attendees"),
                notes: try row.optionalString("notes"), patientAccount: try row.optionalString("patient_account"),
                patientDeclined: try row.flag("patient_declined"))
    }
}
