import Foundation
import HavenCore
import HavenData
import Hummingbird

/// Attachments of a report: the reporter or the handler adds photos and documents (type decided by the bytes,
/// at most 10 MB); anyone who may see the report downloads them, always as a download, and each download is audited.
struct AttachmentRoutes {
    let web: WebContext
    var pages: IncidentsController { IncidentsController(web: web) }
    var store: IncidentStore { web.environment.incidents }

    func register(_ routes: Routes) {
        routes.add(.post, "/incidents/{id}/attachments", .reportIncident) { request, context, identity in
            let report = try await pages.editable(context, identity)
            var request = request
            guard let boundary = MultipartForm.boundary(of: request.headers[.contentType]) else { throw FormInput.Unreadable() }
            let form = try MultipartForm(body: try await request.collectBody(upTo: MultipartForm.maximumBody), boundary: boundary)
            do {
                guard let file = form.files["file"] else { throw FieldErrors("file", "Choose a file to attach") }
                try await save(report, name: file.filename, bytes: file.bytes, identity: identity, context: context)
            } catch let errors as FieldErrors {
                return try await pages.showPage(request, context, identity, report, errors: errors, status: .badRequest)
            }
            return .redirect(to: "/incidents/\(report.id)?saved=attachment#attachments")
        }
        routes.add(.get, "/incidents/{id}/attachments/{attachmentId}", .reportIncident) { _, context, identity in
            try await download(context, identity)
        }
        routes.add(.get, "/api/v1/incidents/{id}/attachments", .reportIncident, api: true) { _, context, identity in
            let report = try await pages.visibleForAPI(context, identity)
            return try jsonResponse(try await store.attachments(incidentId: report.id, organisationId: report.organisationId).map(AttachmentJSON.init))
        }
        routes.add(.post, "/api/v1/incidents/{id}/attachments", .reportIncident, api: true) { request, context, identity in
            let report = try await pages.visibleForAPI(context, identity)
            guard IncidentAccess.canAddTo(report, identity.actor) else { throw APIError.forbidden }
            let name = request.uri.queryParameters["name"].map(String.init) ?? "attachment"
            var request = request
            let body = try await request.collectBody(upTo: Attachment.maximumSize + 1)
            let attachment = try await save(report, name: name, bytes: Array(body.readableBytesView), identity: identity, context: context)
            return try jsonResponse(AttachmentJSON(attachment), status: .created)
        }
        routes.add(.get, "/api/v1/incidents/{id}/attachments/{attachmentId}", .reportIncident, api: true) { _, context, identity in
            do { return try await download(context, identity) } catch PageError.notFound { throw APIError.notFound("attachment") }
        }
    }

    @discardableResult
    func save(_ report: IncidentReport, name: String, bytes: [UInt8], identity: Identity, context: HavenRequestContext) async throws -> Attachment {
        guard !report.anonymised else { throw CaseConflict.anonymised }
        let kind = Attachment.Kind.of(bytes)
        if let problem = Attachment.problem(size: bytes.count, kind: kind) { throw FieldErrors("file", problem) }
        let attachment = Attachment(id: Identifier.make(), incidentId: report.id, name: Attachment.cleanName(name), kind: kind!, size: bytes.count,
                                    sha256: SecretHash.digest(bytes), uploadedBy: identity.user.id, createdAt: web.environment.clock.now())
        do {
            try await store.addAttachment(attachment, content: bytes, organisationId: report.organisationId, origin: context.origin())
        } catch IncidentStore.AttachmentError.tooMany {
            throw FieldErrors("file", "A report can have at most \(Attachment.maximumPerIncident) attachments")
        }
        return attachment
    }


    func download(_ context: HavenRequestContext, _ identity: Identity) async throws -> Response {
        let report = try await pages.visible(try context.parameter("id"), identity)
        guard let (attachment, bytes) = try await store.attachment(id: try context.parameter("attachmentId"), incidentId: report.id,
                                                                   organisationId: report.organisationId) else { throw PageError.notFound }
        try await AuditLog.record(web.environment.database, at: web.environment.clock.now(), origin: context.origin(),
                                  action: "incident.attachment.read", entity: "incident", entityId: report.id, changes: ["attachmentId": attachment.id])
        // Always a download, never shown inline: a file can never run as part of Haven's pages.
        let ascii = String(attachment.name.unicodeScalars.map { $0.isASCII && $0 != "\\" ? Character($0) : "_" })
        return Response(status: .ok, headers: [
            .contentType: attachment.kind.rawValue, .cacheControl: "no-store",
            .contentDisposition: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(attachment.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "attachment")",
        ], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

struct AttachmentJSON: Encodable {
    var id: String
    var name: String
    var contentType: String
    var size: Int
    var sha256: String
    var createdAt: Date

    init(_ attachment: Attachment) {
        id = attachment.id
        name = attachment.name
        contentType = attachment.kind.rawValue
        size = attachment.size
        sha256 = attachment.sha256
        createdAt = attachment.createdAt
    }
}
