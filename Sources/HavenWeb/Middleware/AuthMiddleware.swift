import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// Finds who is calling: a bearer token under /api, the session cookie elsewhere. It never refuses a request
/// itself; the routes decide what an anonymous caller may do.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = HavenRequestContext
    let environment: HavenEnvironment
    let tokenCache: TokenIdentityCache
    static let sessionCookie = "haven_session"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if request.uri.path.hasPrefix("/api/") {
            if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
                let token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
                context.identity = try await identity(forToken: token)
            }
        } else if let cookie = request.cookies[Self.sessionCookie]?.value,
                  let session = try await environment.sessions.find(token: cookie),
                  let stored = try await environment.users.find(id: session.userId, organisationId: session.organisationId),
                  stored.user.active,
                  let organisation = try await environment.organisations.organisation(id: session.organisationId) {
            if stored.user.twoFactorEnabled && !session.secondFactorPassed {
                context.pendingSecondFactor = session
            } else {
                context.identity = Identity(user: stored.user, organisation: organisation, session: session)
            }
        }
        return try await next(request, context)
    }

    private func identity(forToken token: String) async throws -> Identity? {
        if let cached = tokenCache.get(token) { return cached }
        guard let (userId, organisationId) = try await environment.tokens.userId(forToken: token),
              let stored = try await environment.users.find(id: userId, organisationId: organisationId), stored.user.active,
              let organisation = try await environment.organisations.organisation(id: organisationId) else { return nil }
        let identity = Identity(user: stored.user, organisation: organisation, session: nil)
        tokenCache.put(token, identity)
        return identity
    }
}

/// Recently checked API tokens, so an integration polling the API does not cost several queries a call.
/// Entries live a few seconds; revoking a token or changing a user in this process clears the cache at once.
final class TokenIdentityCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (identity: Identity, expires: Date)] = [:]
    private let lifetime: TimeInterval
    private let clock: any HavenClock

    init(lifetime: TimeInterval = 10, clock: any HavenClock) {
        self.lifetime = lifetime
        self.clock = clock
    }

    // Keyed by the token's hash, so plaintext tokens are not kept in memory.
    func get(_ token: String) -> Identity? {
        let key = SecretHash.of(token)
        return lock.withLock {
            guard let entry = entries[key], entry.expires > clock.now() else { return nil }
            return entry.identity
        }
    }

    func put(_ token: String, _ identity: Identity) {
        let key = SecretHash.of(token)
        lock.withLock {
            if entries.count > 10_000 { entries.removeAll() }
            entries[key] = (identity, clock.now() + lifetime)
        }
    }

    func clear() { lock.withLock { entries.removeAll() } }
}
