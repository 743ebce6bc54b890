import Foundation
import HavenCore
import HavenData
import HavenServices
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import Testing

@Suite("Signing in, sessions, CSRF and throttling")
struct SignInTests {
    @Test("Health checks answer and every response carries the security headers")
    func healthAndHeaders() async throws {
        try await Harness.run { client, _ in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
            let page = try await client.execute(uri: "/login", method: .get)
            let csp = try #require(page.headers[.contentSecurityPolicy])
            #expect(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"))
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] != nil)
            #expect(page.headers[.strictTransportSecurity] == nil, "no HSTS over plain http")
            let cookie = try #require(page.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite"))
        }
    }

    @Test("HSTS and Secure cookies when the public URL is https")
    func https() async throws {
        var configuration = Harness.configuration()
        configuration.publicURL = "https://haven.example.nhs.uk"
        try await Harness.run(configuration: configuration) { client, _ in
            let page = try await client.execute(uri: "/login", method: .get)
            #expect(page.headers[.strictTransportSecurity]?.contains("max-age=") == true)
            #expect(page.headers[.setCookie]?.contains("Secure") == true)
        }
    }

    @Test("A wrong password gets one generic message, the same for an unknown account, and changes nothing")
    func wrongPassword() async throws {
        try await Harness.run { client, harness in
            var browser = Browser()
            try await browser.get(client, "/login")
            let wrong = try await browser.post(client, "/login", [("email", "admin@demo.haven.example"), ("password", "not-the-password")])
            let unknown = try await browser.post(client, "/login", [("email", "nobody@demo.haven.example"), ("password", "not-the-password")])
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
            #expect(wrong.text.contains("The e-mail address or password is not right"))
            #expect(unknown.text.contains("The e-mail address or password is not right"))
            #expect(wrong.text.contains("error-summary") && wrong.text.contains("value=\"admin@demo.haven.example\""), "the e-mail typed is kept")
            #expect(browser.cookies["haven_session"] == nil)
            let failures = try await AuditLog.list(harness.database, filter: .init(organisationId: (try await harness.user(.admin)).organisationId, action: "sign-in.failure"))
            #expect(failures.count == 2)
        }
    }

    @Test("Signing in, going where you were going after an expired session, and signing out")
    func sessionLifecycle() async throws {
        try await Harness.run { client, harness in
            var browser = try await Browser.signedIn(client, as: .admin)
            let home = try await browser.get(client, "/")
            #expect(home.status == .ok && home.text.contains("Ravi Patel"))
            harness.clock.advance(by: SessionStore.lifetime + 60)
            let expired = try await browser.get(client, "/people?x=1")
            #expect(expired.status == .seeOther)
            let login = try #require(expired.location)
            #expect(login.hasPrefix("/login?next="))
            try await browser.get(client, login)
            let again = try await browser.post(client, "/login", [("email", "admin@demo.haven.example"), ("password", Harness.password), ("next", "/people?x=1")])
            #expect(again.location == "/people?x=1")
            #expect(try await browser.get(client, "/people?x=1").status == .ok)
            let out = try await browser.post(client, "/logout", [])
            #expect(out.location == "/login")
            #expect(try await browser.get(client, "/").status == .seeOther)
        }
    }

    @Test("Housekeeping (session purge hourly, incident review and use-of-force reminders, retention purge daily) removes expired sessions and schedules itself again")
    func sessionPurge() async throws {
        try await Harness.run { client, harness in
            _ = try await Browser.signedIn(client, as: .staff)
            try await harness.environment.scheduleHousekeeping()
            try await harness.environment.scheduleHousekeeping()
            // One timer per kind of housekeeping: the session purge, the overdue-review reminders, the use-of-force
            // debrief and observation reminders and the retention purge.
            #expect(try await harness.environment.timers.openCount() == 4, "one timer of each housekeeping kind at a time")
            harness.clock.advance(by: SessionStore.lifetime + 3600)
            #expect(await harness.environment.timerService.runDue() == 4)
            let left = try await harness.database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM sessions").first()?.decode(column: "n", as: Int.self) }
            #expect(left == 0)
            #expect(try await harness.environment.timers.openCount() == 4, "the next runs are scheduled")
        }
    }

    @Test("Sign-in never sends people to another site")
    func openRedirect() async throws {
        try await Harness.run { client, _ in
            for next in ["https://evil.example", "//evil.example", "/\\evil.example"] {
                var browser = Browser()
                try await browser.get(client, "/login")
                let response = try await browser.post(client, "/login", [("email", "staff@demo.haven.example"), ("password", Harness.password), ("next", next)])
                #expect(response.location == "/", "\(next)")
            }
        }
    }

    @Test("A form without its CSRF token is refused with 403 and changes nothing")
    func csrf() async throws {
        try await Harness.run { client, harness in
            var browser = try await Browser.signedIn(client, as: .admin)
            let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            let before = try await harness.environment.organisations.sites(organisationId: organisation.id).count
            let missing = try await browser.post(client, "/admin/sites", [("name", "Forged site")], withCSRF: false)
            #expect(missing.status == .forbidden)
            browser.csrf = "0123456789abcdef0123456789abcdef"
            let wrong = try await browser.post(client, "/admin/sites", [("name", "Forged site")])
            #expect(wrong.status == .forbidden)
            #expect(try await harness.environment.organisations.sites(organisationId: organisation.id).count == before)
            try await browser.get(client, "/admin/sites")
            var headers = browser.cookieHeader
            headers[.contentType] = "application/x-www-form-urlencoded"
            let invalid = try await client.execute(uri: "/admin/sites", method: .post, headers: headers,
                                                   body: ByteBuffer(bytes: Array("csrf=\(browser.csrf)&name=".utf8) + [0xFF, 0xFE]))
            #expect(invalid.status == .badRequest, "bytes that are not UTF-8 are refused")
            let badEscape = try await client.execute(uri: "/admin/sites", method: .post, headers: headers,
                                                     body: ByteBuffer(string: "csrf=\(browser.csrf)&name=%FF%FE"))
            #expect(badEscape.status == .badRequest, "percent-escapes that are not UTF-8 are refused")
            var anonymous = Browser()
            let login = try await anonymous.post(client, "/login", [("email", "admin@demo.haven.example"), ("password", Harness.password)], withCSRF: false)
            #expect(login.status == .forbidden, "the sign-in form needs its token too")
        }
    }

    @Test("Too many failures get 429 with Retry-After, for a real account and an unknown one alike")
    func throttling() async throws {
        try await Harness.run { client, harness in
            var browser = Browser()
            try await browser.get(client, "/login")
            for email in ["staff@demo.haven.example", "ghost@demo.haven.example"] {
                for _ in 0..<5 { try await browser.post(client, "/login", [("email", email), ("password", "wrong-password")]) }
                let blocked = try await browser.post(client, "/login", [("email", email), ("password", email.hasPrefix("staff") ? Harness.password : "x")])
                #expect(blocked.status == .tooManyRequests, "\(email)")
                #expect(Int(blocked.headers[.retryAfter] ?? "") ?? 0 > 0)
                #expect(browser.cookies["haven_session"] == nil)
            }
            let api = try await APIClient(client: client).call(.post, "/api/v1/auth/tokens", json: #"{"email":"staff@demo.haven.example","password":"demo-password-123"}"#)
            #expect(api.status == .tooManyRequests && api.headers[.retryAfter] != nil)
            harness.clock.advance(by: 16 * 60)
            _ = try await Browser.signedIn(client, as: .staff)
        }
    }

    @Test("Two-step sign-in: set up with a code from the app, then asked for at every sign-in")
    func twoFactor() async throws {
        try await Harness.run { client, harness in
            var browser = try await Browser.signedIn(client, as: .manager)
            let setup = try await browser.get(client, "/account/two-factor")
            #expect(setup.status == .ok)
            let manager = try await harness.user(.manager)
            let secret = try #require(try await harness.environment.users.find(id: manager.id, organisationId: manager.organisationId)?.totpSecret)
            let bad = try await browser.post(client, "/account/two-factor", [("code", "000000")])
            #expect(bad.status == .badRequest)
            let code = String(format: "%06d", TOTP(secret: secret).compute(date: harness.clock.now()))
            let ok = try await browser.post(client, "/account/two-factor", [("code", code)])
            #expect(ok.status == .seeOther)
            try await browser.post(client, "/logout", [])

            var again = Browser()
            try await again.get(client, "/login")
            let step1 = try await again.post(client, "/login", [("email", "manager@demo.haven.example"), ("password", Harness.password)])
            #expect(step1.location?.hasPrefix("/login/second-factor") == true)
            #expect(try await again.get(client, "/people").status == .seeOther, "not signed in until the code is given")
            try await again.get(client, "/login/second-factor")
            let wrong = try await again.post(client, "/login/second-factor", [("code", "123456"), ("next", "/")])
            #expect(wrong.status == .unauthorized)
            let right = try await again.post(client, "/login/second-factor", [("code", code), ("next", "/people")])
            #expect(right.location == "/people")
            #expect(try await again.get(client, "/people").status == .ok)

            let api = APIClient(client: client)
            let noCode = try await api.call(.post, "/api/v1/auth/tokens", json: #"{"email":"manager@demo.haven.example","password":"demo-password-123"}"#)
            #expect(noCode.status == .unauthorized && noCode.text.contains("otp_required"))
            let withCode = try await api.call(.post, "/api/v1/auth/tokens", json: #"{"email":"manager@demo.haven.example","password":"demo-password-123","otp":"\#(code)"}"#)
            #expect(withCode.status == .created)
        }
    }

    @Test("An organisation can require two-step sign-in for privileged roles: they are held at set-up until done")
    func requiredTwoFactor() async throws {
        try await Harness.run { client, harness in
            var organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            organisation.requiresTwoFactorForPrivileged = true
            try await harness.environment.organisations.update(organisation, origin: Origin(organisationId: organisation.id, actorId: nil))
            var manager = try await Browser.signedIn(client, as: .manager)
            let held = try await manager.get(client, "/people")
            #expect(held.location == "/account/two-factor")
            #expect(try await manager.get(client, "/").text.contains("Set up two-step sign-in"), "it is on the attention list")
            var staff = try await Browser.signedIn(client, as: .staff)
            #expect(try await staff.get(client, "/units").status == .ok, "staff are not privileged")
        }
    }

    @Test("A one-time reset link sets a new password once and signs the person out everywhere")
    func passwordReset() async throws {
        try await Harness.run { client, harness in
            var admin = try await Browser.signedIn(client, as: .admin)
            let staff = try await harness.user(.staff)
            try await admin.get(client, "/people/\(staff.id)")
            let issued = try await admin.post(client, "/people/\(staff.id)/password-reset", [])
            let link = try #require(issued.text.firstMatch(of: /http:\/\/haven\.test(\/reset-password\/[A-Za-z0-9_-]+)/)?.1)
            var person = Browser()
            try await person.get(client, String(link))
            let short = try await person.post(client, String(link), [("newPassword", "short"), ("confirmPassword", "short")])
            #expect(short.status == .badRequest && short.text.contains("at least 10 characters"))
            let done = try await person.post(client, String(link), [("newPassword", "a brand new passphrase"), ("confirmPassword", "a brand new passphrase")])
            #expect(done.status == .seeOther)
            #expect(try await person.get(client, String(link)).status == .notFound, "the link works once")
            _ = try await Browser.signedIn(client, as: .staff, password: "a brand new passphrase")
        }
    }
}

