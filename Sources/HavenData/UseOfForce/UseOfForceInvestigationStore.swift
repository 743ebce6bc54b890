import Foundation
import HavenCore
import SQLKit

/// The SQL of s9 investigations. One per episode: the table's UNIQUE episode id and `ON CONFLICT DO NOTHING` make
/// opening idempotent, so recording and every later correction may ask for one and only the first opens it.
public struct UseOfForceInvestigationStore: Sendable {
    public let database: Database
    public let clock: any HavenClock

    public init(database: Database, clock: any HavenClock) {
        self.database = database
        self.clock = clock
    }

    public struct Filter: Sendable {
        public var status: InvestigationStatus?
        /// Only those past their target and not concluded (or closed as not needed), at the store's clock.
        public var overdueOnly = false
        public var unitId: String?
        /// nil: every unit.
        public var unitIds: Set<String>?
        public var limit = 100
        public var offset = 0
        public init(status: InvestigationStatus? = nil, unitId: String? = nil, unitIds: Set<String>? = nil) {
            self.status = status; self.unitId = unitId; self.unitIds = unitIds
        }
    }

    /// Opens the investigation inside the write that saves or corrects its episode. True when this call opened it
    /// (and so the leads are to be told), false when the episode already had one.
    public static func open(on db: any SQLDatabase, _ investigation: Investigation, database: Database, origin: Origin) async throws -> Bool {
        let opened = try await db.raw("""
            INSERT INTO use_of_force_investigations (id, organisation_id, episode_id, unit_id, harm, status, opened_at, target_at, updated_at)
            VALUES (\(bind: investigation.id), \(bind: investigation.organisationId), \(bind: investigation.episodeId), \(bind: investigation.unitId),
                \(bind: investigation.harm.rawValue), \(bind: investigation.status.rawValue), \(bind: investigation.openedAt.epochMilliseconds),
                \(bind: investigation.targetAt.epochMilliseconds), \(bind: investigation.updatedAt.epochMilliseconds))
            ON CONFLICT (episode_id) DO NOTHING RETURNING id
            """).first() != nil
        if opened {
            try await database.audit(db, origin, "use-of-force.investigation-open", entity: "use-of-force", id: investigation.episodeId,
                                     changes: ["harm": investigation.harm.rawValue, "targetAt": investigation.targetAt.iso8601], at: investigation.openedAt)
        }
        return opened
    }

    /// A record corrected back to a death or serious injury reopens an investigation closed as not needed.
    public static func reopenIfClosed(on db: any SQLDatabase, episodeId: String, harm: HarmOutcome, database: Database, origin: Origin,
                                      now: Date) async throws {
        let reopened = try await db.raw("""
            UPDATE use_of_force_investigations SET status = 'open', not_needed_reason = NULL, updated_at = \(bind: now.epochMilliseconds)
            WHERE episode_id = \(bind: episodeId) AND status = 'not-needed' RETURNING id
            """).first()
        guard reopened != nil else { return }
        try await database.audit(db, origin, "use-of-force.investigation-update", entity: "use-of-force", id: episodeId,
                                 changes: ["fields": "status", "status": "open", "reason": "the record again says \(harm.rawValue)"], at: now)
    }

    /// A correction may move the episode to another unit; its investigation follows it (for access and the list).
    public static func follow(on db: any SQLDatabase, episodeId: String, unitId: String) async throws {
        try await db.raw("UPDATE use_of_force_investigations SET unit_id = \(bind: unitId) WHERE episode_id = \(bind: episodeId)").run()
    }

    public func investigation(episodeId: String, organisationId: String) async throws -> Investigation? {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM use_of_force_investigations WHERE episode_id = \(bind: episodeId) AND organisation_id = \(bind: organisationId)
                """).first().map(Self.decode)
        }
    }

    /// Open and investigating first (soonest target first), then concluded and not needed, newest first.
    public func list(organisationId: String, _ filter: Filter) async throws -> (items: [Investigation], total: Int) {
        if let ids = filter.unitIds, ids.isEmpty { return ([], 0) }
        var conditions: SQLQueryString = "organisation_id = \(bind: organisationId)"
        if let status = filter.status { conditions = conditions + " AND status = \(bind: status.rawValue)" }
        if filter.overdueOnly {
            // As `Investigation.isOverdue` says it.
            conditions = conditions + " AND status IN ('open', 'investigating') AND target_at < \(bind: clock.now().epochMilliseconds)"
        }
        if let unit = filter.unitId { conditions = conditions + " AND unit_id = \(bind: unit)" }
        if let ids = filter.unitIds { conditions = conditions + " AND unit_id IN (\(binds: ids.sorted()))" }
        let where_ = conditions
        return try await database.read { db in
            let total = try await db.raw("SELECT COUNT(*) AS n FROM use_of_force_investigations WHERE \(where_)").first()?.int("n") ?? 0
            let rows = try await db.raw("""
                SELECT * FROM use_of_force_investigations WHERE \(where_)
                ORDER BY CASE WHEN status IN ('open', 'investigating') THEN 0 ELSE 1 END,
                    CASE WHEN status IN ('open', 'investigating') THEN target_at ELSE -opened_at END, id
                LIMIT \(unsafeRaw: String(filter.limit)) OFFSET \(unsafeRaw: String(filter.offset))
                """).all()
            return (try rows.map(Self.decode), total)
        }
    }

    /// Saves a changed investigation, conditional on the version that was read (409 for the caller otherwise), audited
    /// with the fields changed and the status; never the words themselves.
    public func save(_ investigation: Investigation, readAt version: Date, fields: [String], origin: Origin) async throws -> Bool {
        try await database.write { [database] db in
            let changed = try await db.raw("""
                UPDATE use_of_force_investigations SET status = \(bind: investigation.status.rawValue),
                    lead_investigator_id = \(bind: investigation.leadInvestigatorId), guidance = \(bind: investigation.guidance),
                    guidance_checklist = \(bind: investigation.checklist.joined(separator: " ")), findings = \(bind: investigation.findings),
                    learning = \(bind: investigation.learning), not_needed_reason = \(bind: investigation.notNeededReason),
                    concluded_at = \(bind: investigation.concludedAt?.epochMilliseconds), concluded_by = \(bind: investigation.concludedBy),
                    updated_at = \(bind: investigation.updatedAt.epochMilliseconds)
                WHERE id = \(bind: investigation.id) AND organisation_id = \(bind: investigation.organisationId)
                  AND updated_at = \(bind: version.epochMilliseconds)
                RETURNING id
                """).first()
            guard changed != nil else { return false }
            try await database.audit(db, origin, "use-of-force.investigation-update", entity: "use-of-force", id: investigation.episodeId,
                                     changes: ["fields": fields.joined(separator: " "), "status": investigation.status.rawValue,
                                               "leadInvestigatorId": investigation.leadInvestigatorId ?? ""], at: investigation.updatedAt)
            return true
        }
    }

    /// Investigations past their target and not concluded, in these units (nil: all).
    public func overdueCount(organisationId: String, unitIds: Set<String>?) async throws -> Int {
        if let unitIds, unitIds.isEmpty { return 0 }
        let now = clock.now().epochMilliseconds
        return try await database.read { db in
            var sql: SQLQueryString = """
                SELECT COUNT(*) AS n FROM use_of_force_investigations WHERE organisation_id = \(bind: organisationId)
                  AND status IN ('open', 'investigating') AND target_at < \(bind: now)
                """
            if let unitIds { sql = sql + " AND unit_id IN (\(binds: unitIds.sorted()))" }
            return try await db.raw(sql).first()?.int("n") ?? 0
        }
    }

    /// Claims overdue investigations for their one reminder (as the debrief reminders do): `reminded_at` is set by a
    /// conditional update and `stage` writes the notifications in the same transaction, so each goes once.
    public func claimOverdue(organisationId: String, limit: Int = 200,
                             stage: @escaping @Sendable (any SQLDatabase, [Investigation]) async throws -> Void) async throws -> [Investigation] {
        let now = clock.now().epochMilliseconds
        return try await database.write { db in
            let rows = try await db.raw("""
                SELECT * FROM use_of_force_investigations WHERE organisation_id = \(bind: organisationId)
                  AND status IN ('open', 'investigating') AND target_at < \(bind: now) AND reminded_at IS NULL AND anonymised_at IS NULL
                ORDER BY target_at LIMIT \(unsafeRaw: String(limit))
                """).all()
            var claimed: [Investigation] = []
            for row in rows {
                let won = try await db.raw("""
                    UPDATE use_of_force_investigations SET reminded_at = \(bind: now)
                    WHERE id = \(bind: try row.string("id")) AND reminded_at IS NULL RETURNING id
                    """).first()
                if won != nil { claimed.append(try Self.decode(row)) }
            }
            if !claimed.isEmpty { try await stage(db, claimed) }
            return claimed
        }
    }

    /// The retention purge of episodes, in its transaction: the investigation is kept as long as its episode and is
    /// anonymised with it. It keeps what happened when (status, harm, dates, the checklist ticked) and loses the words
    /// and the people: the guidance note, findings, learning, the reason, the lead and who concluded it.
    static func anonymise(on db: any SQLDatabase, episodeIds: [String], organisationId: String, now: Date) async throws {
        guard !episodeIds.isEmpty else { return }
        try await db.raw("""
            UPDATE use_of_force_investigations SET guidance = NULL, findings = NULL, learning = NULL, not_needed_reason = NULL,
                lead_investigator_id = NULL, concluded_by = NULL, anonymised_at = \(bind: now.epochMilliseconds)
            WHERE organisation_id = \(bind: organisationId) AND episode_id IN (\(binds: episodeIds))
            """).run()
    }

    /// For generated demo episodes: one INSERT … SELECT per batch for those recording a death or serious injury. Those
    /// past their target are concluded (with a placeholder), so the demo does not fill the attention list with years of
    /// overdue investigations.
    static func openForGenerated(on db: any SQLDatabase, episodeIds: [String], targetDays: Int, now: Date) async throws {
        guard !episodeIds.isEmpty else { return }
        let days = Int64(targetDays) * 86_400_000, stamp = now.epochMilliseconds
        try await db.raw("""
            INSERT INTO use_of_force_investigations (id, organisation_id, episode_id, unit_id, harm, status, opened_at, target_at,
                guidance, findings, concluded_at, updated_at)
            SELECT 'inv-' || id, organisation_id, id, unit_id, harm,
                CASE WHEN recorded_at + \(bind: days) < \(bind: stamp) THEN 'concluded' ELSE 'open' END,
                recorded_at, recorded_at + \(bind: days),
                CASE WHEN recorded_at + \(bind: days) < \(bind: stamp) THEN 'Generated demonstration data' ELSE NULL END,
                CASE WHEN recorded_at + \(bind: days) < \(bind: stamp) THEN 'Generated demonstration data' ELSE NULL END,
                CASE WHEN recorded_at + \(bind: days) < \(bind: stamp) THEN recorded_at + \(bind: days) ELSE NULL END,
                recorded_at
            FROM use_of_force_episodes WHERE id IN (\(binds: episodeIds)) AND harm IN ('serious-injury', 'death')
            ON CONFLICT (episode_id) DO NOTHING
            """).run()
    }

    static func decode(_ row: SQLRow) throws -> Investigation {
        Investigation(id: try row.string("id"), organisationId: try row.string("organisation_id"), episodeId: try row.string("episode_id"),
                      unitId: try row.string("unit_id"), harm: HarmOutcome(rawValue: try row.string("harm")) ?? .seriousInjury,
                      status: InvestigationStatus(rawValue: try row.string("status")) ?? .open, openedAt: try row.date("opened_at"),
                      targetAt: try row.date("target_at"), leadInvestigatorId: try row.optionalString("lead_investigator_id"),
                      guidance: try row.optionalString("guidance"),
                      checklist: try row.string("guidance_checklist").split(separator: " ").map(String.init),
                      findings: try row.optionalString("findings"), learning: try row.optionalString("learning"),
                      notNeededReason: try row.optionalString("not_needed_reason"),
                      concludedAt: try row.optionalInt("concluded_at").map { Date(epochMilliseconds: Int64($0)) },
                      concludedBy: try row.optionalString("concluded_by"), updatedAt: try row.date("updated_at"))
    }
}
