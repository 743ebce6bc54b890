import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// A person's own account: password, two-step sign-in and personal API tokens.
struct AccountController {
    let web: WebContext

    func register(_ routes: Routes) {
        routes.add(.get, AccountRoute.account.path, .manageOwnAccount, duringEnrolment: true) { request, context, identity in
            try await accountPage(request, context, identity, errors: .init())
        }
        routes.add(.post, AccountRoute.password.path, .manageOwnAccount, duringEnrolment: true) { request, context, identity in
            let form = try await FormInput(request, context: context)
            do {
                try await web.environment.accounts.changePassword(
                    userId: identity.user.id, organisationId: identity.organisation.id, current: form["currentPassword"] ?? "",
                    new: form["newPassword"] ?? "", confirm: form["confirmPassword"] ?? "",
                    keepSession: identity.session?.idHash, origin: context.origin())
            } catch let errors as FieldErrors {
                return try await accountPage(request, context, identity, errors: errors, status: .badRequest)
            }
            return .redirect(to: AccountRoute.account.path + "?done=password")
        }
        routes.add(.get, AccountRoute.twoFactor.path, .manageOwnAccount, duringEnrolment: true) { request, context, identity in
            try await twoFactorPage(request, context, identity, errors: .init())
        }
        routes.add(.post, AccountRoute.twoFactor.path, .manageOwnAccount, duringEnrolment: true) { request, context, identity in
            let form = try await FormInput(request, context: context)
            guard let stored = try await web.environment.users.find(id: identity.user.id, organisationId: identity.organisation.id),
                  let secret = stored.totpSecret, !stored.user.twoFactorEnabled else {
                return .redirect(to: AccountRoute.twoFactor.path)
            }
            guard AccountService.checkTOTP(form["code"] ?? "", secret: secret, at: web.environment.clock.now()) else {
                return try await twoFactorPage(request, context, identity, errors: FieldErrors(
                    "code", "The code is not right. Enter the 6-digit code your app shows now."), status: .badRequest)
            }
            try await web.environment.users.setTwoFactor(userId: identity.user.id, secret: secret, enabled: true, origin: context.origin())
            if let session = identity.session {
                try await web.environment.sessions.markSecondFactorPassed(session, origin: context.origin())
            }
            return .redirect(to: AccountRoute.account.path + "?done=two-factor")
        }
        routes.add(.post, AccountRoute.tokens.path, .manageOwnAccount) { request, context, identity in
            let form = try await FormInput(request, context: context)
            var errors = FieldErrors()
            let name = Validate.text(form["tokenName"], field: "tokenName", label: "Token name", required: true, max: 100, into: &errors)
            if !errors.isEmpty { return try await accountPage(request, context, identity, errors: errors, status: .badRequest) }
            let (token, _) = try await web.environment.tokens.create(userId: identity.user.id, name: name, expiresAt: nil, origin: context.origin())
            return try await accountPage(request, context, identity, errors: .init(), newToken: token)
        }
        routes.add(.post, "/account/tokens/{id}/revoke", .manageOwnAccount) { request, context, identity in
            let id = try context.parameter("id")
            guard try await web.environment.tokens.revoke(id: id, userId: identity.user.id, origin: context.origin()) else { throw PageError.notFound }
            web.tokenCache.clear()
            return .redirect(to: AccountRoute.account.path + "?done=revoked")
        }
    }

    func accountPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, errors: FieldErrors,
                     newToken: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let units = try await web.environment.organisations.units(organisationId: identity.organisation.id)
            .filter { identity.user.unitIds.contains($0.id) }.map { "\($0.name) (\($0.code))" }
        let tokens = try await web.environment.tokens.list(userId: identity.user.id).map { token in
            AccountPage.TokenRow(id: token.id, name: token.name, created: DisplayDate.dateTime(token.createdAt, identity.organisation),
                                 revoked: token.revokedAt != nil, revokeAction: AccountRoute.revokeToken(id: token.id).path)
        }
        let flash: String? = switch request.uri.queryParameters["done"] {
        case "password": "Your password has been changed. You have been signed out everywhere else."
        case "two-factor": "Two-step sign-in is on. You will be asked for a code from your app when you sign in."
        case "revoked": "The token has been revoked. Anything using it can no longer sign in."
        default: nil
        }
        let page = AccountPage(
            name: identity.user.name, email: identity.user.email, jobTitle: identity.user.jobTitle,
            roles: identity.user.roles.sorted().map(\.displayName).joined(separator: ", "),
            units: units.isEmpty ? "None" : units.joined(separator: ", "),
            twoFactorEnabled: identity.user.twoFactorEnabled, twoFactorRequired: identity.organisation.requiresTwoFactorForPrivileged && identity.user.isPrivileged,
            errors: .init(errors), csrfToken: context.csrfToken,
            currentPassword: FormField("currentPassword", "Current password", type: "password", autocomplete: "current-password", errors: errors),
            newPassword: FormField("newPassword", "New password", hint: "At least 10 characters. A few unrelated words make a strong password.",
                                   type: "password", autocomplete: "new-password", errors: errors),
            confirmPassword: FormField("confirmPassword", "Type the new password again", type: "password", autocomplete: "new-password", errors: errors),
            tokenName: FormField("tokenName", "Token name", hint: "What will use it, for example: the ward dashboard", errors: errors),
            tokens: tokens, hasTokens: !tokens.isEmpty, newToken: newToken)
        return try await web.page("account", page, title: "Your account", request: request, context: context, status: status, flash: flash)
    }

    func twoFactorPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, errors: FieldErrors,
                       status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let stored = try await web.environment.users.find(id: identity.user.id, organisationId: identity.organisation.id) else { throw PageError.notFound }
        if stored.user.twoFactorEnabled {
            return try await web.page("two-factor", TwoFactorPage(enabled: true, secret: "", url: "", errors: .init(errors), csrfToken: context.csrfToken,
                                                                  code: FormField("code", "Code")), title: "Two-step sign-in", request: request, context: context)
        }
        // A secret is made on the first visit and kept until it is confirmed with a code.
        var secret = stored.totpSecret ?? ""
        if secret.isEmpty {
            secret = AccountService.makeTOTPSecret()
            try await web.environment.users.setTwoFactor(userId: identity.user.id, secret: secret, enabled: false, origin: context.origin())
        }
        let url = AccountService.authenticatorURL(secret: secret, email: identity.user.email)
        let base32 = url.components(separatedBy: "secret=").last?.components(separatedBy: "&").first ?? ""
        let page = TwoFactorPage(enabled: false, secret: Self.grouped(base32), url: url, errors: .init(errors), csrfToken: context.csrfToken,
                                 code: FormField("code", "Code from your app", hint: "6 digits", autocomplete: "one-time-code", errors: errors))
        return try await web.page("two-factor", page, title: "Set up two-step sign-in", request: request, context: context, status: status)
    }

    /// A key split into groups of four so it is easier to type into an app.
    static func grouped(_ key: String) -> String {
        stride(from: 0, to: key.count, by: 4).map { offset in
            let start = key.index(key.startIndex, offsetBy: offset)
            return String(key[start..<key.index(start, offsetBy: min(4, key.count - offset))])
        }.joined(separator: " ")
    }
}

struct AccountPage: Sendable {
    struct TokenRow: Sendable {
        var id: String
        var name: String
        var created: String
        var revoked: Bool
        var revokeAction: String
    }
    var name: String
    var email: String
    var jobTitle: String
    var roles: String
    var units: String
    var twoFactorEnabled: Bool
    var twoFactorRequired: Bool
    var errors: ErrorSummary
    var csrfToken: String
    var currentPassword: FormField
    var newPassword: FormField
    var confirmPassword: FormField
    var tokenName: FormField
    var tokens: [TokenRow]
    var hasTokens: Bool
    var newToken: String?
}

struct TwoFactorPage: Sendable {
    var enabled: Bool
    var secret: String
    var url: String
    var errors: ErrorSummary
    var csrfToken: String
    var code: FormField
}

/// Dates and times as people read them, in the organisation's time zone.
enum DisplayDate {
    static func dateTime(_ date: Date, _ organisation: Organisation) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: organisation.rulePack == .england ? "en_GB" : "en_US")
        formatter.timeZone = TimeZone(identifier: organisation.timeZone) ?? .gmt
        formatter.dateFormat = "d MMM yyyy, HH:mm"
        return formatter.string(from: date)
    }
}
