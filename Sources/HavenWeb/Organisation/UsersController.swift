import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// People: administrators manage accounts; safety leads and HR see everyone; a manager sees the people of
/// their units. Opening a person's record is audited.
struct UsersController {
    let web: WebContext

    func register(_ routes: Routes) {
        routes.add(.get, OrganisationRoute.users.path, .viewUsers) { request, context, identity in
            let scope = Access.scope(of: identity.actor, for: .viewUsers)
            let units = try await unitNames(identity)
            let users = try await web.environment.users.list(organisationId: identity.organisation.id, scope: scope).map { user in
                UsersPage.Row(name: user.name, email: user.email, jobTitle: user.jobTitle,
                              roles: user.roles.sorted().map(\.displayName).joined(separator: ", "),
                              units: user.unitIds.compactMap { units[$0] }.sorted().joined(separator: ", "),
                              active: user.active, href: OrganisationRoute.user(id: user.id).path)
            }
            let page = UsersPage(users: users, canAdd: Access.allows(identity.actor, .manageUsers), newHref: OrganisationRoute.newUser.path)
            return try await web.page("people/list", page, title: "People", request: request, context: context)
        }
        routes.add(.get, OrganisationRoute.newUser.path, .manageUsers) { request, context, identity in
            try await editPage(request, context, identity, user: nil, input: nil, errors: .init())
        }
        routes.add(.post, OrganisationRoute.newUser.path, .manageUsers) { request, context, identity in
            let form = try await FormInput(request, context: context)
            let input = Self.input(form, active: true)
            do {
                let (user, _) = try await web.environment.accounts.createUser(input, password: nil, origin: context.origin())
                // The new person chooses their own password through a one-time link; nobody else ever knows it.
                let token = try await web.environment.passwordResets.issue(userId: user.id, origin: context.origin())
                return try await showPage(request, context, identity, userId: user.id, resetLink: resetURL(token), flash: "The account has been created.")
            } catch let errors as FieldErrors {
                return try await editPage(request, context, identity, user: nil, input: input, errors: errors, status: .badRequest)
            }
        }
        routes.add(.get, "/people/{id}", .viewUsers) { request, context, identity in
            try await showPage(request, context, identity, userId: try context.parameter("id"), resetLink: nil,
                               flash: request.uri.queryParameters["done"] == "1" ? "The account has been saved." : nil)
        }
        routes.add(.get, "/people/{id}/edit", .manageUsers) { request, context, identity in
            let user = try await visibleUser(context, identity)
            return try await editPage(request, context, identity, user: user, input: nil, errors: .init())
        }
        routes.add(.post, "/people/{id}", .manageUsers) { request, context, identity in
            let user = try await visibleUser(context, identity)
            let form = try await FormInput(request, context: context)
            let input = Self.input(form, active: form["active"] == "yes")
            do {
                var updated = try await web.environment.accounts.validate(input, organisationId: identity.organisation.id, id: user.id)
                updated.twoFactorEnabled = user.twoFactorEnabled
                if updated.id == identity.user.id && (!updated.active || !updated.roles.contains(.admin)) {
                    throw FieldErrors("roles", "You cannot remove your own administrator role or deactivate yourself; ask another administrator")
                }
                try await web.environment.users.update(updated, origin: context.origin())
                web.tokenCache.clear()
                return .redirect(to: OrganisationRoute.user(id: user.id).path + "?done=1")
            } catch let errors as FieldErrors {
                return try await editPage(request, context, identity, user: user, input: input, errors: errors, status: .badRequest)
            }
        }
        routes.add(.post, "/people/{id}/password-reset", .issuePasswordReset) { request, context, identity in
            let user = try await visibleUser(context, identity)
            let token = try await web.environment.passwordResets.issue(userId: user.id, origin: context.origin())
            return try await showPage(request, context, identity, userId: user.id, resetLink: resetURL(token),
                                      flash: "A password-reset link has been made. It works once, for 24 hours.")
        }
    }

    func resetURL(_ token: String) -> String {
        web.configuration.publicURL.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + AccountRoute.resetPassword(token: token).path
    }

    static func input(_ form: FormInput, active: Bool) -> AccountService.UserInput {
        AccountService.UserInput(email: form["email"] ?? "", name: form["name"] ?? "", jobTitle: form["jobTitle"] ?? "",
                                 roles: form.all("roles"), units: form.all("units"), active: active)
    }

    func unitNames(_ identity: Identity) async throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try await web.environment.organisations.units(organisationId: identity.organisation.id).map { ($0.id, $0.code) })
    }

    /// The user, if the caller may see them; a person outside a manager's units is "not found", not "forbidden".
    func visibleUser(_ context: HavenRequestContext, _ identity: Identity) async throws -> User {
        try await visibleUser(id: try context.parameter("id"), identity)
    }

    func visibleUser(id: String, _ identity: Identity) async throws -> User {
        guard let stored = try await web.environment.users.find(id: id, organisationId: identity.organisation.id) else { throw PageError.notFound }
        switch Access.scope(of: identity.actor, for: .viewUsers) {
        case .all: return stored.user
        case .units(let units) where !units.isDisjoint(with: stored.user.unitIds): return stored.user
        default: throw PageError.notFound
        }
    }

    func showPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, userId: String, resetLink: String?,
                  flash: String?) async throws -> Response {
        let user = try await visibleUser(id: userId, identity)
        try await AuditLog.record(web.environment.database, at: web.environment.clock.now(), origin: context.origin(),
                                  action: "user.read", entity: "user", entityId: user.id)
        let units = try await unitNames(identity)
        let page = UserPage(
            name: user.name, email: user.email, jobTitle: user.jobTitle,
            roles: user.roles.sorted().map(\.displayName).joined(separator: ", "),
            units: user.unitIds.compactMap { units[$0] }.sorted().joined(separator: ", "),
            active: user.active, twoFactorEnabled: user.twoFactorEnabled,
            canEdit: Access.allows(identity.actor, .manageUsers), editHref: OrganisationRoute.user(id: user.id).path + "/edit",
            canReset: Access.allows(identity.actor, .issuePasswordReset), resetAction: OrganisationRoute.passwordReset(userId: user.id).path,
            resetLink: resetLink, csrfToken: context.csrfToken)
        return try await web.page("people/show", page, title: user.name, request: request, context: context, flash: flash)
    }

    func editPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, user: User?,
                  input: AccountService.UserInput?, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let units = try await web.environment.organisations.units(organisationId: identity.organisation.id)
        let chosenRoles = Set(input?.roles ?? user?.roles.map(\.rawValue) ?? [Role.staff.rawValue])
        let chosenUnits = Set(input?.units ?? units.filter { user?.unitIds.contains($0.id) ?? false }.map(\.code))
        let page = UserEditPage(
            action: user.map { OrganisationRoute.user(id: $0.id).path } ?? OrganisationRoute.newUser.path,
            isNew: user == nil, errors: .init(errors), csrfToken: context.csrfToken,
            email: FormField("email", "E-mail address", value: input?.email ?? user?.email ?? "", type: "email", autocomplete: "off", errors: errors),
            name: FormField("name", "Full name", value: input?.name ?? user?.name ?? "", autocomplete: "off", errors: errors),
            jobTitle: FormField("jobTitle", "Job title", value: input?.jobTitle ?? user?.jobTitle ?? "", required: false, errors: errors),
            roles: Role.allCases.map { Choice(value: $0.rawValue, label: $0.displayName, selected: chosenRoles.contains($0.rawValue)) },
            rolesError: errors["roles"],
            units: units.map { Choice(value: $0.code, label: "\($0.name) (\($0.code))", selected: chosenUnits.contains($0.code)) },
            unitsError: errors["units"],
            active: input?.active ?? user?.active ?? true)
        return try await web.page("people/edit", page, title: user == nil ? "Add a person" : "Edit \(user!.name)", request: request,
                                  context: context, status: status)
    }
}

struct UsersPage: Sendable {
    struct Row: Sendable {
        var name: String
        var email: String
        var jobTitle: String
        var roles: String
        var units: String
        var active: Bool
        var href: String
    }
    var users: [Row]
    var canAdd: Bool
    var newHref: String
}

struct UserPage: Sendable {
    var name: String
    var email: String
    var jobTitle: String
    var roles: String
    var units: String
    var active: Bool
    var twoFactorEnabled: Bool
    var canEdit: Bool
    var editHref: String
    var canReset: Bool
    var resetAction: String
    var resetLink: String?
    var csrfToken: String
}

struct UserEditPage: Sendable {
    var action: String
    var isNew: Bool
    var errors: ErrorSummary
    var csrfToken: String
    var email: FormField
    var name: FormField
    var jobTitle: FormField
    var roles: [Choice]
    var rolesError: String?
    var units: [Choice]
    var unitsError: String?
    var active: Bool
}
