import Crypto
import Foundation
import HavenCore
import NIOCore
import SQLKit

/// Who caused a change and from where: carried from the request into the audit trail.
public struct Origin: Sendable {
    public var organisationId: String
    public var actorId: String?
    public var requestId: String?
    public var address: String?

    public init(organisationId: String, actorId: String?, requestId: String? = nil, address: String? = nil) {
        self.organisationId = organisationId
        self.actorId = actorId
        self.requestId = requestId
        self.address = address
    }
}

/// The append-only, hash-chained audit trail.
public enum AuditLog {
    /// Appends one event inside the caller's transaction, chained to the current head.
    /// On PostgreSQL the head row is locked, so concurrent writers take turns and the chain stays a line.
    public static func append(on db: any SQLDatabase, dialect: Dialect, origin: Origin, action: String, entity: String,
                              entityId: String?, changes: [String: String] = [:], at: Date) async throws {
        // In a group-commit batch the head is read once and kept in memory until the batch stores it (BatchAuditHead).
        let batch = (db as? BatchDatabase)?.auditHead
        let previousSequence: Int64
        let previousHash: String
        if let known = batch?.current {
            (previousSequence, previousHash) = known
        } else {
            let lock = dialect == .postgres ? " FOR UPDATE" : ""
            let head = try await db.raw("SELECT sequence, hash FROM audit_head WHERE id = 1\(unsafeRaw: lock)").first()
            previousSequence = try head?.decode(column: "sequence", as: Int64.self) ?? 0
            previousHash = try head?.decode(column: "hash", as: String.self) ?? AuditEvent.genesisHash
        }
        var event = AuditEvent(
            sequence: previousSequence + 1, organisationId: origin.organisationId, at: at, actorId: origin.actorId,
            action: action, entity: entity, entityId: entityId, changes: encode(changes),
            requestId: origin.requestId, address: origin.address, previousHash: previousHash, hash: "")
        event.hash = hash(of: event)
        try await db.raw("""
            INSERT INTO audit_events (sequence, organisation_id, at, actor_id, action, entity, entity_id, changes,
                                      request_id, address, previous_hash, hash)
            VALUES (\(bind: event.sequence), \(bind: event.organisationId), \(bind: at.epochMilliseconds),
                    \(bind: event.actorId), \(bind: event.action), \(bind: event.entity), \(bind: event.entityId),
                    \(bind: event.changes), \(bind: event.requestId), \(bind: event.address),
                    \(bind: event.previousHash), \(bind: event.hash))
            """).run()
        if let batch {
            batch.advance(to: event.sequence, hash: event.hash)
        } else {
            try await db.raw("UPDATE audit_head SET sequence = \(bind: event.sequence), hash = \(bind: event.hash) WHERE id = 1").run()
        }
    }

    /// Records an event in a transaction of its own: for reads of sensitive records, sign-in failures and the like.
    public static func record(_ database: Database, at: Date, origin: Origin, action: String, entity: String,
                              entityId: String?, changes: [String: String] = [:]) async throws {
        try await database.write { db in
            try await append(on: db, dialect: database.dialect, origin: origin, action: action, entity: entity,
                             entityId: entityId, changes: changes, at: at)
        }
    }

    public static func hash(of event: AuditEvent) -> String {
        SecretHash.hex(SHA256.hash(data: Data(event.canonicalContent.utf8)))
    }

    /// Field → value as sorted JSON, so the same change always gives the same text: the text JSONEncoder gives with
    /// sorted keys and unescaped slashes, written directly because every write in Haven audits (a new JSONEncoder per
    /// event was about 2% of a submission's CPU; docs/PERFORMANCE.md). `AuditChangesTests` holds the two equal.
    static func encode(_ changes: [String: String]) -> String {
        var text = ByteBuffer()
        text.writeInteger(UInt8(ascii: "{"))
        for (index, key) in changes.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if index > 0 { text.writeInteger(UInt8(ascii: ",")) }
            text.writeJSONString(key)
            text.writeInteger(UInt8(ascii: ":"))
            text.writeJSONString(changes[key]!)
        }
        text.writeInteger(UInt8(ascii: "}"))
        return String(buffer: text)
    }

    /// Walks the whole chain in order: each row's hash must match its content, its previous hash must be the
    /// hash of the row before, sequences must have no gaps, and the last row must be the recorded head.
    public static func verify(_ database: Database, pageSize: Int = 5000) async throws -> AuditVerification {
        var expectedPrevious = AuditEvent.genesisHash
        var expectedSequence: Int64 = 1
        var count = 0
        while true {
            let from = expectedSequence
            let rows = try await database.read { db in
                try await db.raw("SELECT * FROM audit_events WHERE sequence >= \(bind: from) ORDER BY sequence LIMIT \(unsafeRaw: String(pageSize))").all()
            }
            for row in rows {
                let event = try decodeEvent(row)
                if event.sequence != expectedSequence {
                    return .broken(sequence: expectedSequence, reason: "row \(expectedSequence) is missing (next row found is \(event.sequence))")
                }
                if event.previousHash != expectedPrevious {
                    return .broken(sequence: event.sequence, reason: "its previous-hash does not match row \(event.sequence - 1): a row was removed, inserted or altered before it")
                }
                if hash(of: event) != event.hash {
                    return .broken(sequence: event.sequence, reason: "its content does not match its hash: the row was altered")
                }
                expectedPrevious = event.hash
                expectedSequence += 1
                count += 1
            }
            if rows.count < pageSize { break }
        }
        let head = try await database.read { db in try await db.raw("SELECT sequence, hash FROM audit_head WHERE id = 1").first() }
        let headSequence = try head?.decode(column: "sequence", as: Int64.self) ?? 0
        let headHash = try head?.decode(column: "hash", as: String.self) ?? AuditEvent.genesisHash
        if headSequence != expectedSequence - 1 || headHash != expectedPrevious {
            return .broken(sequence: expectedSequence, reason: "the chain ends at row \(expectedSequence - 1) but the recorded head is row \(headSequence): rows were removed from the end")
        }
        return .intact(rows: count)
    }

    static func decodeEvent(_ row: any SQLRow) throws -> AuditEvent {
        AuditEvent(
            sequence: try row.decode(column: "sequence", as: Int64.self),
            organisationId: try row.decode(column: "organisation_id", as: String.self),
            at: Date(epochMilliseconds: try row.decode(column: "at", as: Int64.self)),
            actorId: try row.decode(column: "actor_id", as: String?.self),
            action: try row.decode(column: "action", as: String.self),
            entity: try row.decode(column: "entity", as: String.self),
            entityId: try row.decode(column: "entity_id", as: String?.self),
            changes: try row.decode(column: "changes", as: String.self),
            requestId: try row.decode(column: "request_id", as: String?.self),
            address: try row.decode(column: "address", as: String?.self),
            previousHash: try row.decode(column: "previous_hash", as: String.self),
            hash: try row.decode(column: "hash", as: String.self))
    }

    public struct Filter: Sendable {
        public var organisationId: String
        public var actorId: String?
        public var action: String?
        public var entity: String?
        public var from: Date?
        public var to: Date?
        public var beforeSequence: Int64?
        public var limit: Int

        public init(organisationId: String, actorId: String? = nil, action: String? = nil, entity: String? = nil,
                    from: Date? = nil, to: Date? = nil, beforeSequence: Int64? = nil, limit: Int = 50) {
            self.organisationId = organisationId
            self.actorId = actorId
            self.action = action
            self.entity = entity
            self.from = from
            self.to = to
            self.beforeSequence = beforeSequence
            self.limit = limit
        }
    }

    /// Newest first, for administrators browsing the trail.
    public static func list(_ database: Database, filter: Filter) async throws -> [AuditEvent] {
        try await database.read { db in
            var query = SQLQueryString("SELECT * FROM audit_events WHERE organisation_id = \(bind: filter.organisationId)")
            if let actorId = filter.actorId { query += " AND actor_id = \(bind: actorId)" }
            if let action = filter.action { query += " AND action LIKE \(bind: action + "%")" }
            if let entity = filter.entity { query += " AND entity = \(bind: entity)" }
            if let from = filter.from { query += " AND at >= \(bind: from.epochMilliseconds)" }
            if let to = filter.to { query += " AND at < \(bind: to.epochMilliseconds)" }
            if let before = filter.beforeSequence { query += " AND sequence < \(bind: before)" }
            query.appendInterpolation(unsafeRaw: " ORDER BY sequence DESC LIMIT \(max(1, min(filter.limit, 500)))")
            return try await db.raw(query).all().map(decodeEvent)
        }
    }
}
