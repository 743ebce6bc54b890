import Foundation
import HavenCore
import SQLKit

/// Handling a case: status changes (checked against the status actually stored, so two handlers cannot both move
/// it), the case fields, the timeline the reporter sees, agreed actions and post-incident support.
extension IncidentStore {
    public enum CaseError: Error, Equatable {
        /// The case is no longer in the status the change was made from (someone else moved it).
        case statusChanged(current: IncidentStatus)
    }

    /// The case fields a handler may change; nil leaves a field as it is.
    public struct CaseChange: Sendable {
        public var status: IncidentStatus?
        public var handlerId: String?
        public var outcome: String?
        public var lessons: String?
        public var detail: IncidentDetail?

        public init(status: IncidentStatus? = nil, handlerId: String? = nil, outcome: String? = nil, lessons: String? = nil,
                    detail: IncidentDetail? = nil) {
            self.status = status
            self.handlerId = handlerId
            self.outcome = outcome
            self.lessons = lessons
            self.detail = detail
        }
    }

    /// Applies a change to a report as it was read (`current`) and returns the report as saved. A status change is
    /// written only if the stored status is still `current.status`, and adds the reporter's feedback to the timeline.
    public func change(_ current: IncidentReport, _ change: CaseChange, actorId: String, origin: Origin) async throws -> IncidentReport {
        let now = clock.now()
        var updated = current
        if let status = change.status { updated.status = status }
        if let handler = change.handlerId { updated.handlerId = handler }
        if let outcome = change.outcome { updated.outcome = outcome }
        if let lessons = change.lessons { updated.lessons = lessons }
        if let detail = change.detail { updated.detail = detail }
        if change.status == .closed { updated.closedAt = now }
        if change.status == .underReview && current.status == .closed { updated.closedAt = nil }
        updated.updatedAt = now
        let detailJSON = String(decoding: try JSONEncoder.sorted.encode(updated.detail), as: UTF8.self)
        let statusChanged = change.status != nil && change.status != current.status
        try await database.write { [database, updated] db in
            let saved = try await db.raw("""
                UPDATE incidents SET status = \(bind: updated.status.rawValue), handler_id = \(bind: updated.handlerId),
                    outcome = \(bind: updated.outcome), lessons = \(bind: updated.lessons), detail = \(bind: detailJSON),
                    closed_at = \(bind: updated.closedAt?.epochMilliseconds), updated_at = \(bind: now.epochMilliseconds)
                WHERE id = \(bind: current.id) AND organisation_id = \(bind: current.organisationId) AND status = \(bind: current.status.rawValue)
                RETURNING id
                """).first()
            guard saved != nil else {
                let row = try await db.raw("SELECT status FROM incidents WHERE id = \(bind: current.id)").first()
                throw CaseError.statusChanged(current: IncidentStatus(rawValue: try row?.string("status") ?? "") ?? current.status)
            }
            if statusChanged {
                try await Self.insert(on: db, TimelineEntry(id: Identifier.make(), incidentId: current.id, kind: .status, authorId: actorId,
                                                            fromReporter: false, body: updated.status.feedback(outcome: updated.outcome), createdAt: now),
                                      organisationId: current.organisationId)
            }
            var changes: [String: String] = [:]
            if statusChanged { changes["status"] = current.status.rawValue + " → " + updated.status.rawValue }
            if change.handlerId != nil { changes["handlerId"] = updated.handlerId ?? "" }
            if change.outcome != nil { changes["outcome"] = "changed" }
            if change.lessons != nil { changes["lessons"] = "changed" }
            if change.detail != nil { changes["detail"] = "changed" }
            try await database.audit(db, origin, "incident.update", entity: "incident", id: current.id, changes: changes, at: now)
        }
        return updated
    }

    // MARK: Timeline

    static func insert(on db: any SQLDatabase, _ entry: TimelineEntry, organisationId: String) async throws {
        try await db.raw("""
            INSERT INTO incident_messages (id, organisation_id, incident_id, kind, author_id, from_reporter, body, created_at)
            VALUES (\(bind: entry.id), \(bind: organisationId), \(bind: entry.incidentId), \(bind: entry.kind.rawValue), \(bind: entry.authorId),
                    \(bind: entry.fromReporter.storedFlag), \(bind: entry.body), \(bind: entry.createdAt.epochMilliseconds))
            """).run()
    }

    /// Adds a message between reporter and handler to the timeline.
    public func addMessage(_ entry: TimelineEntry, organisationId: String, origin: Origin) async throws {
        try await database.write { [database] db in
            try await Self.insert(on: db, entry, organisationId: organisationId)
            try await database.audit(db, origin, "incident.message", entity: "incident", id: entry.incidentId,
                                     changes: ["from": entry.fromReporter ? "reporter" : "handler"], at: entry.createdAt)
        }
    }

    public func timeline(incidentId: String, organisationId: String) async throws -> [TimelineEntry] {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM incident_messages WHERE incident_id = \(bind: incidentId) AND organisation_id = \(bind: organisationId)
                ORDER BY created_at, id
                """).all().map { row in
                TimelineEntry(id: try row.string("id"), incidentId: try row.string("incident_id"),
                              kind: TimelineKind(rawValue: try row.string("kind")) ?? .message, authorId: try row.optionalString("author_id"),
                              fromReporter: try row.flag("from_reporter"), body: try row.string("body"), createdAt: try row.date("created_at"))
            }
        }
    }

    // MARK: Actions

    public func addAction(_ action: IncidentAction, organisationId: String, origin: Origin) async throws {
        try await database.write { [database] db in
            try await db.raw("""
                INSERT INTO incident_actions (id, organisation_id, incident_id, description, owner_id, due_on, done_at, created_at)
                VALUES (\(bind: action.id), \(bind: organisationId), \(bind: action.incidentId), \(bind: action.description), \(bind: action.ownerId),
                        \(bind: action.dueOn), NULL, \(bind: action.createdAt.epochMilliseconds))
                """).run()
            try await database.audit(db, origin, "incident.action.create", entity: "incident", id: action.incidentId,
                                     changes: ["actionId": action.id, "ownerId": action.ownerId ?? "", "dueOn": action.dueOn ?? ""], at: action.createdAt)
        }
    }

    /// Marks an action done (or not done again); false when there is no such action on the incident.
    public func setActionDone(_ actionId: String, incidentId: String, organisationId: String, done: Bool, origin: Origin) async throws -> Bool {
        let now = clock.now()
        return try await database.write { [database] db in
            let row = try await db.raw("""
                UPDATE incident_actions SET done_at = \(bind: done ? now.epochMilliseconds : nil)
                WHERE id = \(bind: actionId) AND incident_id = \(bind: incidentId) AND organisation_id = \(bind: organisationId) RETURNING id
                """).first()
            guard row != nil else { return false }
            try await database.audit(db, origin, done ? "incident.action.done" : "incident.action.reopen", entity: "incident", id: incidentId,
                                     changes: ["actionId": actionId], at: now)
            return true
        }
    }

    public func actions(incidentId: String, organisationId: String) async throws -> [IncidentAction] {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM incident_actions WHERE incident_id = \(bind: incidentId) AND organisation_id = \(bind: organisationId)
                ORDER BY created_at, id
                """).all().map(Self.decodeAction)
        }
    }

    static func decodeAction(_ row: any SQLRow) throws -> IncidentAction {
        IncidentAction(id: try row.string("id"), incidentId: try row.string("incident_id"), description: try row.string("description"),
                       ownerId: try row.optionalString("owner_id"), dueOn: try row.optionalString("due_on"),
                       doneAt: try row.optionalDate("done_at"), createdAt: try row.date("created_at"))
    }

    // MARK: Support

    static func insert(on db: any SQLDatabase, _ item: SupportItem, organisationId: String, now: Date) async throws {
        try await db.raw("""
            INSERT INTO incident_support (id, organisation_id, incident_id, kind, due_at, outcome, note, done_at, created_at)
            VALUES (\(bind: item.id), \(bind: organisationId), \(bind: item.incidentId), \(bind: item.kind.rawValue),
                    \(bind: item.dueAt.epochMilliseconds), \(bind: item.outcome?.rawValue), \(bind: item.note),
                    \(bind: item.doneAt?.epochMilliseconds), \(bind: now.epochMilliseconds))
            """).run()
    }

    public func addSupport(_ item: SupportItem, organisationId: String, origin: Origin) async throws {
        let now = clock.now()
        try await database.write { [database] db in
            try await Self.insert(on: db, item, organisationId: organisationId, now: now)
            try await database.audit(db, origin, "incident.support.create", entity: "incident", id: item.incidentId,
                                     changes: ["supportId": item.id, "kind": item.kind.rawValue], at: now)
        }
    }

    /// Records how a support item ended; false when there is no such item on the incident.
    public func recordSupport(_ supportId: String, incidentId: String, organisationId: String, outcome: SupportOutcome, note: String,
                              origin: Origin) async throws -> Bool {
        let now = clock.now()
        return try await database.write { [database] db in
            let row = try await db.raw("""
                UPDATE incident_support SET outcome = \(bind: outcome.rawValue), note = \(bind: note), done_at = \(bind: now.epochMilliseconds)
                WHERE id = \(bind: supportId) AND incident_id = \(bind: incidentId) AND organisation_id = \(bind: organisationId) RETURNING id
                """).first()
            guard row != nil else { return false }
            try await database.audit(db, origin, "incident.support.record", entity: "incident", id: incidentId,
                                     changes: ["supportId": supportId, "outcome": outcome.rawValue], at: now)
            return true
        }
    }

    public func support(incidentId: String, organisationId: String) async throws -> [SupportItem] {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM incident_support WHERE incident_id = \(bind: incidentId) AND organisation_id = \(bind: organisationId)
                ORDER BY due_at, id
                """).all().map(Self.decodeSupport)
        }
    }

    static func decodeSupport(_ row: any SQLRow) throws -> SupportItem {
        SupportItem(id: try row.string("id"), incidentId: try row.string("incident_id"), kind: SupportKind(rawValue: try row.string("kind")) ?? .welfareCheck,
                    dueAt: try row.date("due_at"), outcome: try row.optionalString("outcome").flatMap(SupportOutcome.init(rawValue:)),
                    note: try row.string("note"), doneAt: try row.optionalDate("done_at"))
    }
}

extension JSONEncoder {
    /// Stable key order, so the same detail is always stored as the same text. Shared (JSONEncoder is Sendable and
    /// keeps no state between calls); nothing may change its settings.
    static let sorted: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
}
