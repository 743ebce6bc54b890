import Foundation
import HavenCore
import SQLKit

/// The integrations that may post alarm events, and the alarm receiving centres escalation steps call.
extension LoneWorkingStore {
    /// Integration tokens start with this, so a leaked one is recognised, and so the user-token lookup (which wants
    /// `haven_`) never spends a query on one.
    public static let integrationTokenPrefix = "havenint_"

    /// Stores a new integration (`details` as checked by the caller) with its bearer token (stored only as a hash) and
    /// its HMAC secret, both returned once. The secret is stored as it is, like a webhook endpoint's: verifying an
    /// event's signature, and signing a call to the ARC, need it.
    public func createIntegration(_ details: LoneWorkingIntegration, origin: Origin) async throws
        -> (integration: LoneWorkingIntegration, token: String, secret: String) {
        let now = clock.now()
        let token = Self.integrationTokenPrefix + Identifier.secret(length: 40)
        let secret = Identifier.secret(length: 40)
        var integration = details
        integration.id = Identifier.make()
        integration.organisationId = origin.organisationId
        integration.active = true
        integration.createdAt = now
        integration.revokedAt = nil
        integration.lastUsedAt = nil
        try await database.write { [database, integration] db in
            try await db.raw("""
                INSERT INTO lone_working_integrations (id, organisation_id, name, token_hash, secret, active, created_at, kind, outbound_url,
                    bs8484_certified, certificate_ref, police_urn, level1_response, response_agreement)
                VALUES (\(bind: integration.id), \(bind: integration.organisationId), \(bind: integration.name), \(bind: SecretHash.of(token)),
                        \(bind: secret), 1, \(bind: now.epochMilliseconds), \(bind: integration.kind.rawValue), \(bind: integration.outboundURL),
                        \(bind: integration.bs8484Certified ? 1 : 0), \(bind: integration.certificateReference), \(bind: integration.policeURN),
                        \(bind: integration.level1Response ? 1 : 0), \(bind: integration.responseAgreement))
                """).run()
            try await database.audit(db, origin, "lone-working.integration.create", entity: "integration", id: integration.id,
                                     changes: Self.auditedDetails(integration), at: now)
        }
        return (integration, token, secret)
    }

    /// Saves an integration's details (not its token, secret or status). False when there is no such integration.
    public func updateIntegration(_ integration: LoneWorkingIntegration, origin: Origin) async throws -> Bool {
        let now = clock.now()
        return try await database.write { [database] db in
            guard try await db.raw("""
                SELECT id FROM lone_working_integrations WHERE id = \(bind: integration.id) AND organisation_id = \(bind: integration.organisationId)
                """).first() != nil else { return false }
            try await db.raw("""
                UPDATE lone_working_integrations SET name = \(bind: integration.name), kind = \(bind: integration.kind.rawValue),
                    outbound_url = \(bind: integration.outboundURL), bs8484_certified = \(bind: integration.bs8484Certified ? 1 : 0),
                    certificate_ref = \(bind: integration.certificateReference), police_urn = \(bind: integration.policeURN),
                    level1_response = \(bind: integration.level1Response ? 1 : 0), response_agreement = \(bind: integration.responseAgreement)
                WHERE id = \(bind: integration.id)
                """).run()
            try await database.audit(db, origin, "lone-working.integration.update", entity: "integration", id: integration.id,
                                     changes: Self.auditedDetails(integration), at: now)
            return true
        }
    }

    static func auditedDetails(_ integration: LoneWorkingIntegration) -> [String: String] {
        ["name": integration.name, "kind": integration.kind.rawValue, "outboundUrl": integration.outboundURL,
         "bs8484Certified": String(integration.bs8484Certified), "certificateReference": integration.certificateReference,
         "policeUrn": integration.policeURN, "level1Response": String(integration.level1Response)]
    }

    public func integrations(organisationId: String) async throws -> [LoneWorkingIntegration] {
        try await database.read { db in
            try await db.raw("SELECT * FROM lone_working_integrations WHERE organisation_id = \(bind: organisationId) ORDER BY name, id")
                .all().map(Self.decodeIntegration)
        }
    }

    public func integration(id: String, organisationId: String) async throws -> LoneWorkingIntegration? {
        try await database.read { db in try await Self.integration(on: db, id: id, organisationId: organisationId) }
    }

    /// The same inside a transaction that is already running (an escalation step reads the ARC it calls).
    public static func integration(on db: any SQLDatabase, id: String, organisationId: String) async throws -> LoneWorkingIntegration? {
        try await db.raw("SELECT * FROM lone_working_integrations WHERE id = \(bind: id) AND organisation_id = \(bind: organisationId)")
            .first().map(decodeIntegration)
    }

    /// The active integration a bearer token stands for, with its signing secret.
    public func integration(forToken token: String) async throws -> (integration: LoneWorkingIntegration, secret: String)? {
        guard token.hasPrefix(Self.integrationTokenPrefix) else { return nil }
        return try await database.read { db in
            guard let row = try await db.raw("""
                SELECT * FROM lone_working_integrations WHERE token_hash = \(bind: SecretHash.of(token)) AND active = 1
                """).first() else { return nil }
            return (try Self.decodeIntegration(row), try row.string("secret"))
        }
    }

    /// Revokes an integration: its token stops working at once, and escalation steps no longer call it. False when
    /// there is no such active integration.
    public func revokeIntegration(id: String, organisationId: String, origin: Origin) async throws -> Bool {
        let now = clock.now()
        return try await database.write { [database] db in
            guard try await db.raw("""
                SELECT id FROM lone_working_integrations WHERE id = \(bind: id) AND organisation_id = \(bind: organisationId) AND active = 1
                """).first() != nil else { return false }
            try await db.raw("""
                UPDATE lone_working_integrations SET active = 0, revoked_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id)
                """).run()
            try await database.audit(db, origin, "lone-working.integration.revoke", entity: "integration", id: id, at: now)
            return true
        }
    }

    static func decodeIntegration(_ row: any SQLRow) throws -> LoneWorkingIntegration {
        LoneWorkingIntegration(id: try row.string("id"), organisationId: try row.string("organisation_id"), name: try row.string("name"),
                               kind: IntegrationKind(rawValue: try row.string("kind")) ?? .devicePlatform, outboundURL: try row.string("outbound_url"),
                               bs8484Certified: try row.flag("bs8484_certified"), certificateReference: try row.string("certificate_ref"),
                               policeURN: try row.string("police_urn"), level1Response: try row.flag("level1_response"),
                               responseAgreement: try row.string("response_agreement"),
                               active: try row.flag("active"), createdAt: try row.date("created_at"), revokedAt: try row.optionalDate("revoked_at"),
                               lastUsedAt: try row.optionalDate("last_used_at"))
    }
}
