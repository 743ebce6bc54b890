import Foundation
import HavenCore
import HavenData
import HavenServices
import HTTPTypes
import Hummingbird

/// Signing in (password, then the second factor where enabled), signing out, and one-time reset links.
struct SignInController {
    let web: WebContext
    static let clearSiteData = HTTPField.Name("Clear-Site-Data")!

    func register(_ routes: Routes) {
        routes.addPublic(.get, "/login") { request, context in
            if context.identity != nil { return .redirect(to: Self.next(from: request.uri.queryParameters["next"].map(String.init))) }
            let next = request.uri.queryParameters["next"].map(String.init) ?? "/"
            return try await loginPage(request, context, email: "", next: next, errors: .init())
        }
        routes.addPublic(.post, "/login") { request, context in
            let form = try await FormInput(request, context: context)
            let email = form["email"] ?? ""
            let next = Self.next(from: form["next"])
            var errors = FieldErrors()
            if email.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("email", "Enter your e-mail address") }
            if (form["password"] ?? "").isEmpty { errors.add("password", "Enter your password") }
            if !errors.isEmpty { return try await loginPage(request, context, email: email, next: next, errors: errors, status: .badRequest) }
            let origin = { (organisationId: String?) in context.origin(organisationId: organisationId ?? "") }
            let result = try await web.environment.accounts.signIn(email: email, password: form["password"] ?? "", otp: nil,
                                                                   address: context.remoteAddress, origin: origin)
            switch result {
            case .throttled(let seconds):
                var response = try await loginPage(request, context, email: email, next: next, errors: FieldErrors(
                    "email", "Too many attempts to sign in. Wait \(Self.minutes(seconds)) and try again."), status: .tooManyRequests)
                response.headers[.retryAfter] = String(seconds)
                return response
            case .invalid:
                return try await loginPage(request, context, email: email, next: next, errors: FieldErrors(
                    "email", "The e-mail address or password is not right"), status: .unauthorized)
            case .needsSecondFactor(let user):
                let (token, _) = try await web.environment.sessions.create(user: user, secondFactorPassed: false, origin: context.origin(organisationId: user.organisationId))
                var response = Response.redirect(to: AccountRoute.secondFactor.path + "?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2F"))
                response.setCookie(sessionCookie(token))
                return response
            case .signedIn(let user):
                let (token, _) = try await web.environment.sessions.create(user: user, secondFactorPassed: true, origin: context.origin(organisationId: user.organisationId))
                var response = Response.redirect(to: next)
                response.setCookie(sessionCookie(token))
                return response
            }
        }
        routes.addPublic(.get, "/login/second-factor") { request, context in
            guard context.pendingSecondFactor != nil else { return .redirect(to: AccountRoute.login(next: nil).path) }
            let page = SecondFactorPage(next: Self.next(from: request.uri.queryParameters["next"].map(String.init)), errors: .init(.init()),
                                        code: FormField("code", "Security code", hint: "The 6-digit code from your authenticator app", type: "text", autocomplete: "one-time-code"),
                                        csrfToken: context.csrfToken)
            return try await web.page("second-factor", page, title: "Enter your security code", request: request, context: context)
        }
        routes.addPublic(.post, "/login/second-factor") { request, context in
            guard let session = context.pendingSecondFactor else { return .redirect(to: AccountRoute.login(next: nil).path) }
            let form = try await FormInput(request, context: context)
            let next = Self.next(from: form["next"])
            let ok = try await web.environment.accounts.verifySecondFactor(userId: session.userId, organisationId: session.organisationId,
                                                                           code: form["code"] ?? "", address: context.remoteAddress)
            guard ok else {
                let errors = FieldErrors("code", "The security code is not right, or has expired. Enter the code shown now.")
                let page = SecondFactorPage(next: next, errors: .init(errors),
                                            code: FormField("code", "Security code", hint: "The 6-digit code from your authenticator app", autocomplete: "one-time-code", errors: errors),
                                            csrfToken: context.csrfToken)
                return try await web.page("second-factor", page, title: "Enter your security code", request: request, context: context, status: .unauthorized)
            }
            try await web.environment.sessions.markSecondFactorPassed(session, origin: context.origin(organisationId: session.organisationId))
            return .redirect(to: next)
        }
        routes.addPublic(.post, "/logout") { request, context in
            if let session = context.identity?.session ?? context.pendingSecondFactor {
                try await web.environment.sessions.delete(session, origin: context.origin(organisationId: session.organisationId))
            }
            var response = Response.redirect(to: AccountRoute.login(next: nil).path)
            response.setCookie(Cookie(name: AuthMiddleware.sessionCookie, value: "", maxAge: 0, path: "/",
                                      secure: web.configuration.isHTTPS, httpOnly: true, sameSite: .lax))
            // The browser forgets what it kept for this person: the lone-working pages' offline copies and the
            // service worker that keeps them, and a check-in still waiting for signal.
            response.headers[Self.clearSiteData] = "\"storage\""
            return response
        }
        routes.addPublic(.get, "/reset-password/{token}") { request, context in
            let token = try context.parameter("token")
            guard try await web.environment.passwordResets.userId(forToken: token) != nil else { throw PageError.notFound }
            return try await resetPage(request, context, token: token, errors: .init())
        }
        routes.addPublic(.post, "/reset-password/{token}") { request, context in
            let token = try context.parameter("token")
            guard let userId = try await web.environment.passwordResets.userId(forToken: token) else { throw PageError.notFound }
            let form = try await FormInput(request, context: context)
            let password = form["newPassword"] ?? ""
            var errors = FieldErrors()
            if let problem = Validate.password(password) { errors.add("newPassword", problem) }
            else if password != form["confirmPassword"] { errors.add("confirmPassword", "The two passwords do not match") }
            if !errors.isEmpty { return try await resetPage(request, context, token: token, errors: errors, status: .badRequest) }
            let hash = try await web.environment.accounts.hash(password: password)
            let organisationId = try await web.environment.organisations.primaryOrganisation()?.id ?? ""
            var origin = context.origin(organisationId: organisationId)
            origin.actorId = userId
            guard try await web.environment.passwordResets.consume(token: token, passwordHash: hash, origin: origin) else { throw PageError.notFound }
            return .redirect(to: AccountRoute.login(next: nil).path + "?reset=1")
        }
    }

    func loginPage(_ request: Request, _ context: HavenRequestContext, email: String, next: String, errors: FieldErrors,
                   status: HTTPResponse.Status = .ok) async throws -> Response {
        let page = LoginPage(
            errors: .init(errors), next: next, csrfToken: context.csrfToken,
            email: FormField("email", "E-mail address", value: email, type: "email", autocomplete: "username", errors: errors),
            password: FormField("password", "Password", type: "password", autocomplete: "current-password", errors: errors),
            passwordWasReset: request.uri.queryParameters["reset"] == "1",
            acceptsUnsignedReports: try await web.environment.organisations.primaryOrganisation()?.allowsUnsignedReports ?? false)
        return try await web.page("login", page, title: "Sign in", request: request, context: context, status: status)
    }

    func resetPage(_ request: Request, _ context: HavenRequestContext, token: String, errors: FieldErrors,
                   status: HTTPResponse.Status = .ok) async throws -> Response {
        let page = ResetPasswordPage(
            errors: .init(errors), action: AccountRoute.resetPassword(token: token).path, csrfToken: context.csrfToken,
            newPassword: FormField("newPassword", "New password", hint: "At least 10 characters. A few unrelated words make a strong password.",
                                   type: "password", autocomplete: "new-password", errors: errors),
            confirmPassword: FormField("confirmPassword", "Type the new password again", type: "password", autocomplete: "new-password", errors: errors))
        return try await web.page("reset-password", page, title: "Choose a new password", request: request, context: context, status: status)
    }

    func sessionCookie(_ token: String) -> Cookie {
        Cookie(name: AuthMiddleware.sessionCookie, value: token, maxAge: Int(SessionStore.lifetime), path: "/",
               secure: web.configuration.isHTTPS, httpOnly: true, sameSite: .lax)
    }

    /// Only paths on this site are followed after sign-in, so a link cannot send people elsewhere.
    static func isSafeNext(_ next: String) -> Bool {
        next.hasPrefix("/") && !next.hasPrefix("//") && !next.hasPrefix("/\\") && !next.contains("\r") && !next.contains("\n")
    }

    static func next(from text: String?) -> String {
        guard let text, isSafeNext(text), !text.hasPrefix("/login"), !text.hasPrefix("/logout") else { return "/" }
        return text
    }

    static func minutes(_ seconds: Int) -> String {
        let minutes = max(1, (seconds + 59) / 60)
        return minutes == 1 ? "a minute" : "\(minutes) minutes"
    }
}

struct LoginPage: Sendable {
    var errors: ErrorSummary
    var next: String
    var csrfToken: String
    var email: FormField
    var password: FormField
    var passwordWasReset: Bool
    /// Offer reporting without an account (and following such a report) when the organisation allows it.
    var acceptsUnsignedReports: Bool
}

struct SecondFactorPage: Sendable {
    var next: String
    var errors: ErrorSummary
    var code: FormField
    var csrfToken: String
}

struct ResetPasswordPage: Sendable {
    var errors: ErrorSummary
    var action: String
    var csrfToken: String
    var newPassword: FormField
    var confirmPassword: FormField
}
