import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// Tokens and the caller's own identity in the JSON API.
struct AccountAPI {
    let web: WebContext
    /// Tokens issued by e-mail and password last this long; personal access tokens from the CLI do not expire.
    static let tokenLifetime: TimeInterval = 30 * 24 * 60 * 60

    func register(_ routes: Routes) {
        routes.addPublic(.post, "/api/v1/auth/tokens", api: true) { request, context in
            var input = try await JSONInput(request, context: context)
            let email = input.string("email", required: true)
            let password = input.string("password", required: true)
            let otp = input.string("otp")
            let name = input.string("name")
            try input.finish()
            let origin = { (organisationId: String?) in context.origin(organisationId: organisationId ?? "") }
            let result = try await web.environment.accounts.signIn(email: email ?? "", password: password ?? "", otp: otp,
                                                                   address: context.remoteAddress, origin: origin)
            switch result {
            case .throttled(let seconds):
                throw APIError(.tooManyRequests, code: "too_many_requests", message: "Too many failed attempts; try again in \(seconds) seconds",
                               headers: [.retryAfter: String(seconds)])
            case .invalid:
                throw APIError(.unauthorized, code: "invalid_credentials", message: "The e-mail address, password or code is not right")
            case .needsSecondFactor:
                throw APIError(.unauthorized, code: "otp_required", message: "This account uses two-step sign-in: send the current code as otp",
                               fields: ["otp": "otp is required for this account"])
            case .signedIn(let user):
                let expires = web.environment.clock.now() + Self.tokenLifetime
                let (token, record) = try await web.environment.tokens.create(userId: user.id, name: name ?? "API sign-in",
                                                                              expiresAt: expires, origin: context.origin(organisationId: user.organisationId))
                return try jsonResponse(IssuedToken(id: record.id, token: token, expiresAt: expires), status: .created)
            }
        }
        routes.add(.get, "/api/v1/auth/tokens", .manageOwnAccount, api: true) { _, _, identity in
            let tokens = try await web.environment.tokens.list(userId: identity.user.id)
            return try jsonResponse(Page(items: tokens.map(TokenJSON.init), total: tokens.count, limit: tokens.count, offset: 0))
        }
        routes.add(.delete, "/api/v1/auth/tokens/{id}", .manageOwnAccount, api: true) { _, context, identity in
            let id = try context.parameter("id")
            guard try await web.environment.tokens.revoke(id: id, userId: identity.user.id, origin: context.origin()) else {
                throw APIError.notFound("token")
            }
            web.tokenCache.clear()
            return Response(status: .noContent)
        }
        routes.add(.get, "/api/v1/me", .viewHome, api: true) { _, _, identity in
            try jsonResponse(Me(identity))
        }
    }
}

struct IssuedToken: Encodable {
    var id: String
    var token: String
    var expiresAt: Date
}

struct TokenJSON: Encodable {
    var id: String
    var name: String
    var createdAt: Date
    var expiresAt: Date?
    var revokedAt: Date?

    init(_ token: APIToken) {
        id = token.id
        name = token.name
        createdAt = token.createdAt
        expiresAt = token.expiresAt
        revokedAt = token.revokedAt
    }

}

/// The caller: their account (as in the users API) and their organisation.
struct Me: Encodable {
    let user: UserJSON
    let organisation: OrganisationJSON

    init(_ identity: Identity) {
        user = UserJSON(identity.user)
        organisation = OrganisationJSON(identity.organisation)
    }

    // The user's fields sit at the top level beside `organisation`.
    func encode(to encoder: any Encoder) throws {
        try user.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(organisation, forKey: .organisation)
    }

    enum Key: String, CodingKey { case organisation }
}

/// A page of a list: the items, how many there are in all, and the window asked for.
struct Page<Item: Encodable>: Encodable {
    var items: [Item]
    var total: Int
    var limit: Int
    var offset: Int
}

/// `?limit=&offset=` read and checked: limit 1–500 (default 100), offset ≥ 0.
struct Pagination {
    var limit: Int
    var offset: Int

    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        var errors = FieldErrors()
        limit = 100
        offset = 0
        if let text = query["limit"] {
            if let value = Int(String(text)), (1...500).contains(value) { limit = value } else { errors.add("limit", "limit must be a whole number from 1 to 500") }
        }
        if let text = query["offset"] {
            if let value = Int(String(text)), value >= 0 { offset = value } else { errors.add("offset", "offset must be a whole number, 0 or more") }
        }
        if !errors.isEmpty { throw APIError.validation(errors) }
    }

    func page<Item: Encodable>(_ all: [Item]) -> Page<Item> {
        let window = offset < all.count ? Array(all[offset..<min(all.count, offset + limit)]) : []
        return Page(items: window, total: all.count, limit: limit, offset: offset)
    }
}
