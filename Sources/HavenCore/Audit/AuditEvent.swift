import Foundation

/// One entry of the append-only audit trail.
public struct AuditEvent: Codable, Sendable, Equatable {
    public var sequence: Int64
    public var organisationId: String
    public var at: Date
    /// The user who acted, or nil for the system or an anonymous caller.
    public var actorId: String?
    /// e.g. `sign-in.success`, `unit.update`, `user.read`.
    public var action: String
    public var entity: String
    public var entityId: String?
    /// What changed, as a short JSON object of field → new value.
    public var changes: String
    public var requestId: String?
    public var address: String?
    public var previousHash: String
    public var hash: String

    public init(sequence: Int64, organisationId: String, at: Date, actorId: String?, action: String, entity: String,
                entityId: String?, changes: String, requestId: String?, address: String?, previousHash: String, hash: String) {
        self.sequence = sequence
        self.organisationId = organisationId
        self.at = at
        self.actorId = actorId
        self.action = action
        self.entity = entity
        self.entityId = entityId
        self.changes = changes
        self.requestId = requestId
        self.address = address
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The exact bytes the hash covers: every field but the hash itself, each length-prefixed so that
    /// no two different events can produce the same text.
    public var canonicalContent: String {
        let fields: [String] = [
            String(sequence), organisationId, String(at.epochMilliseconds), actorId ?? "", action, entity,
            entityId ?? "", changes, requestId ?? "", address ?? "", previousHash,
        ]
        return fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }

    /// The hash of the row before the first one.
    public static let genesisHash = String(repeating: "0", count: 64)
}

/// The result of checking the chain.
public enum AuditVerification: Sendable, Equatable {
    case intact(rows: Int)
    /// The first row that does not follow from the one before it, and why.
    case broken(sequence: Int64, reason: String)
}
