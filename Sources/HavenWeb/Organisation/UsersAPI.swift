import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// People in the JSON API, with the same scoping and checks as the pages.
struct UsersAPI {
    let web: WebContext
    var pages: UsersController { UsersController(web: web) }

    func register(_ routes: Routes) {
        routes.add(.get, "/api/v1/users", .viewUsers, api: true) { request, _, identity in
            var users = try await web.environment.users.list(organisationId: identity.organisation.id,
                                                             scope: Access.scope(of: identity.actor, for: .viewUsers))
            let query = request.uri.queryParameters
            if let roleText = query["role"] {
                let role: Role
                do { role = try Role.parse(String(roleText)) } catch let error as ValidationError { throw APIError.validation(FieldErrors("role", error.message)) }
                users = users.filter { $0.roles.contains(role) }
            }
            if let unitId = query["unitId"] { users = users.filter { $0.unitIds.contains(String(unitId)) } }
            return try jsonResponse(try Pagination(request).page(users.map(UserJSON.init)))
        }
        routes.add(.post, "/api/v1/users", .manageUsers, api: true) { request, context, identity in
            let input = try await userInput(request, context, current: nil)
            let (user, _) = try await web.environment.accounts.createUser(input, password: nil, origin: context.origin())
            let token = try await web.environment.passwordResets.issue(userId: user.id, origin: context.origin())
            return try jsonResponse(CreatedUser(user: UserJSON(user), passwordResetUrl: pages.resetURL(token)), status: .created)
        }
        routes.add(.get, "/api/v1/users/{id}", .viewUsers, api: true) { _, context, identity in
            let user = try await visible(context, identity)
            try await AuditLog.record(web.environment.database, at: web.environment.clock.now(), origin: context.origin(),
                                      action: "user.read", entity: "user", entityId: user.id)
            return try jsonResponse(UserJSON(user))
        }
        routes.add(.patch, "/api/v1/users/{id}", .manageUsers, api: true) { request, context, identity in
            let user = try await visible(context, identity)
            let input = try await userInput(request, context, current: user)
            var updated = try await web.environment.accounts.validate(input, organisationId: identity.organisation.id, id: user.id)
            updated.twoFactorEnabled = user.twoFactorEnabled
            if updated.id == identity.user.id && (!updated.active || !updated.roles.contains(.admin)) {
                throw APIError(.conflict, code: "conflict", message: "You cannot remove your own administrator role or deactivate yourself")
            }
            try await web.environment.users.update(updated, origin: context.origin())
            web.tokenCache.clear()
            return try jsonResponse(UserJSON(updated))
        }
        routes.add(.post, "/api/v1/users/{id}/password-reset", .issuePasswordReset, api: true) { _, context, identity in
            let user = try await visible(context, identity)
            let token = try await web.environment.passwordResets.issue(userId: user.id, origin: context.origin())
            return try jsonResponse(PasswordReset(resetUrl: pages.resetURL(token),
                                                  expiresAt: web.environment.clock.now() + PasswordResetStore.lifetime), status: .created)
        }
    }

    func visible(_ context: HavenRequestContext, _ identity: Identity) async throws -> User {
        do { return try await pages.visibleUser(context, identity) } catch PageError.notFound { throw APIError.notFound("user") }
    }

    /// Reads a user body; on PATCH, fields left out keep their values. Units are given by code.
    func userInput(_ request: Request, _ context: HavenRequestContext, current: User?) async throws -> AccountService.UserInput {
        var input = try await JSONInput(request, context: context)
        let creating = current == nil
        let email = input.string("email", required: creating), name = input.string("name", required: creating)
        let jobTitle = input.string("jobTitle"), roles = input.strings("roles", required: creating)
        let units = input.strings("units"), active = input.bool("active")
        try input.finish()
        var currentUnits: [String] = []
        if let current {
            let all = try await web.environment.organisations.units(organisationId: current.organisationId)
            currentUnits = all.filter { current.unitIds.contains($0.id) }.map(\.code)
        }
        return AccountService.UserInput(
            email: email ?? current?.email ?? "", name: name ?? current?.name ?? "", jobTitle: jobTitle ?? current?.jobTitle ?? "",
            roles: roles ?? current?.roles.map(\.rawValue) ?? [], units: units ?? currentUnits, active: active ?? current?.active ?? true)
    }
}

struct CreatedUser: Encodable {
    var user: UserJSON
    /// A one-time link for the person to choose their password (valid 24 hours).
    var passwordResetUrl: String
}

struct PasswordReset: Encodable {
    var resetUrl: String
    var expiresAt: Date
}
