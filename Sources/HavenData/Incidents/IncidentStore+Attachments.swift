import Foundation
import HavenCore
import SQLKit

/// Attachments of a report: saved with their checked type, size and SHA-256, and read back whole.
extension IncidentStore {
    public enum AttachmentError: Error { case tooMany }

    public func addAttachment(_ attachment: Attachment, content: [UInt8], organisationId: String, origin: Origin) async throws {
        let encoded = Data(content).base64EncodedString()
        try await database.write { [database] db in
            let count = try await db.raw("SELECT COUNT(*) AS n FROM incident_attachments WHERE incident_id = \(bind: attachment.incidentId)").first()?.int("n") ?? 0
            guard count < Attachment.maximumPerIncident else { throw AttachmentError.tooMany }
            try await db.raw("""
                INSERT INTO incident_attachments (id, organisation_id, incident_id, name, content_type, size, sha256, content, uploaded_by, created_at)
                VALUES (\(bind: attachment.id), \(bind: organisationId), \(bind: attachment.incidentId), \(bind: attachment.name),
                        \(bind: attachment.kind.rawValue), \(bind: attachment.size), \(bind: attachment.sha256), \(bind: encoded),
                        \(bind: attachment.uploadedBy), \(bind: attachment.createdAt.epochMilliseconds))
                """).run()
            try await database.audit(db, origin, "incident.attachment.create", entity: "incident", id: attachment.incidentId,
                                     changes: ["attachmentId": attachment.id, "type": attachment.kind.rawValue, "size": String(attachment.size),
                                               "sha256": attachment.sha256], at: attachment.createdAt)
        }
    }

    public func attachments(incidentId: String, organisationId: String) async throws -> [Attachment] {
        try await database.read { db in
            try await db.raw("""
                SELECT id, incident_id, name, content_type, size, sha256, uploaded_by, created_at FROM incident_attachments
                WHERE incident_id = \(bind: incidentId) AND organisation_id = \(bind: organisationId) ORDER BY created_at, id
                """).all().map(Self.decodeAttachment)
        }
    }

    public func attachment(id: String, incidentId: String, organisationId: String) async throws -> (Attachment, [UInt8])? {
        try await database.read { db in
            guard let row = try await db.raw("""
                SELECT * FROM incident_attachments WHERE id = \(bind: id) AND incident_id = \(bind: incidentId) AND organisation_id = \(bind: organisationId)
                """).first() else { return nil }
            return (try Self.decodeAttachment(row), Array(Data(base64Encoded: try row.string("content")) ?? Data()))
        }
    }

    static func decodeAttachment(_ row: any SQLRow) throws -> Attachment {
        Attachment(id: try row.string("id"), incidentId: try row.string("incident_id"), name: try row.string("name"),
                   kind: Attachment.Kind(rawValue: try row.string("content_type")) ?? .pdf, size: try row.int("size"),
                   sha256: try row.string("sha256"), uploadedBy: try row.optionalString("uploaded_by"), createdAt: try row.date("created_at"))
    }
}
