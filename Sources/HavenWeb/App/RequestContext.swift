import Foundation
import HavenCore
import HavenData
import Hummingbird
import NIOCore

/// Who is signed in for this request, and how.
public struct Identity: Sendable {
    public var user: User
    public var organisation: Organisation
    /// The browser session, when signed in with a cookie (nil for API bearer tokens).
    public var session: Session?

    public var actor: Actor { user.actor }
}

public struct HavenRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's address, for the audit trail and sign-in throttling.
    public let remoteAddress: String
    public var identity: Identity?
    /// A session whose password step passed but whose second factor has not yet.
    public var pendingSecondFactor: Session?
    /// The CSRF token forms must carry: the session's, or the pre-sign-in cookie's.
    public var csrfToken: String = ""
    /// Whether this response must set the pre-sign-in CSRF cookie.
    public var issueCSRFCookie = false

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Bodies over 1 MB are refused with 413 (attachments, later, have their own route and limit).
    public var maxUploadSize: Int { 1024 * 1024 }

    /// The audit origin for this request.
    func origin(organisationId: String? = nil) -> Origin {
        Origin(organisationId: organisationId ?? identity?.organisation.id ?? "", actorId: identity?.user.id,
               requestId: id, address: remoteAddress)
    }
}
