import Foundation
import HavenCore
import Hummingbird

/// Every state-changing form must carry the CSRF token: the session's once signed in, or, before sign-in,
/// the value of a cookie that a page of ours set (double submit). A form without it gets 403 and changes nothing.
/// The JSON API is exempt because it authenticates with bearer tokens only, never with cookies.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = HavenRequestContext
    static let cookie = "haven_csrf"
    static let field = "csrf"
    let secureCookies: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The API and the health checks carry no forms.
        let path = request.uri.path
        if path.hasPrefix("/api/") || path == HomeRoute.healthz.path || path == HomeRoute.readyz.path {
            return try await next(request, context)
        }
        var context = context
        if let session = context.identity?.session ?? context.pendingSecondFactor {
            context.csrfToken = session.csrfToken
        } else if let existing = request.cookies[Self.cookie]?.value, existing.count >= 32 {
            context.csrfToken = existing
        } else {
            context.csrfToken = Identifier.secret(length: 32)
            context.issueCSRFCookie = true
        }
        var request = request
        let changesState = ![.get, .head, .options].contains(request.method)
        if changesState {
            let sent: String?
            if let boundary = MultipartForm.boundary(of: request.headers[.contentType]) {
                // A form with a file (an attachment): read with the larger limit for files.
                sent = try MultipartForm(body: try await request.collectBody(upTo: MultipartForm.maximumBody), boundary: boundary)[Self.field]
            } else {
                sent = try FormInput(buffer: try await request.collectBody(upTo: context.maxUploadSize))[Self.field]
            }
            guard let sent, !context.issueCSRFCookie, Self.constantTimeEqual(sent, context.csrfToken) else {
                throw HTTPError(.forbidden, message: "The form's security token is missing or out of date")
            }
        }
        var response = try await next(request, context)
        // Only pages carry forms, so only pages need to set the pre-sign-in cookie.
        if context.issueCSRFCookie, response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.setCookie(Cookie(name: Self.cookie, value: context.csrfToken, path: "/", secure: secureCookies,
                                      httpOnly: true, sameSite: .strict))
        }
        return response
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
