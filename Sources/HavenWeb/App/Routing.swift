import Foundation
import HavenCore
import Hummingbird

/// One route as the permission matrix test sees it.
public struct RouteSpec: Sendable {
    public var method: HTTPRequest.Method
    public var path: String
    /// nil for routes anyone may use (sign-in, health checks).
    public var action: Action?
    public var isAPI: Bool
}

/// Every route registered, so tests can try each one as each role.
public final class RouteCatalogue: @unchecked Sendable {
    private let lock = NSLock()
    private var specs: [RouteSpec] = []
    func add(_ spec: RouteSpec) { lock.withLock { specs.append(spec) } }
    public var routes: [RouteSpec] { lock.withLock { specs } }
}

typealias SignedInHandler = @Sendable (Request, HavenRequestContext, Identity) async throws -> Response
typealias PublicHandler = @Sendable (Request, HavenRequestContext) async throws -> Response

/// Registers routes with their permission, so no handler runs for someone the rules do not allow.
struct Routes {
    let router: Router<HavenRequestContext>
    let catalogue: RouteCatalogue

    /// A route for signed-in people whose roles allow `action` (for some unit; handlers check the unit).
    func add(_ method: HTTPRequest.Method, _ path: String, _ action: Action, api: Bool = false,
             duringEnrolment: Bool = false, _ handler: @escaping SignedInHandler) {
        catalogue.add(RouteSpec(method: method, path: path, action: action, isAPI: api))
        router.on(RouterPath(path), method: method) { request, context in
            guard let identity = context.identity else {
                if api { throw APIError.unauthenticated }
                // Back to sign-in, then to where the person was going.
                let next = method == .get ? request.uri.description : "/"
                return Response.redirect(to: AccountRoute.login(next: next).path, type: .normal)
            }
            guard Access.allows(identity.actor, action) else {
                if api { throw APIError.forbidden }
                throw PageError.forbidden
            }
            // An organisation that requires a second factor for privileged roles holds them at enrolment.
            if !duringEnrolment, identity.organisation.requiresTwoFactorForPrivileged, identity.user.isPrivileged,
               !identity.user.twoFactorEnabled {
                if api { throw APIError(.forbidden, code: "two_factor_required", message: "Set up two-step sign-in in your account first") }
                return Response.redirect(to: AccountRoute.twoFactor.path, type: .normal)
            }
            return try await handler(request, context, identity)
        }
    }

    /// A route anyone may use.
    func addPublic(_ method: HTTPRequest.Method, _ path: String, api: Bool = false, _ handler: @escaping PublicHandler) {
        catalogue.add(RouteSpec(method: method, path: path, action: nil, isAPI: api))
        router.on(RouterPath(path), method: method) { request, context in try await handler(request, context) }
    }
}

/// Errors that become friendly pages.
enum PageError: Error {
    case forbidden
    case notFound
    case badRequest(String)
}

extension HavenRequestContext {
    /// A path parameter, e.g. the `{id}` of `/units/{id}`.
    func parameter(_ name: String) throws -> String {
        guard let value = parameters.get(name), !value.isEmpty else { throw PageError.notFound }
        return value
    }
}
