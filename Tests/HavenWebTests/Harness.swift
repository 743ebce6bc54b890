import Foundation
import HavenCore
import HavenData
import HavenServices
import HavenTestSupport
@testable import HavenWeb
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The real application on a fresh database with the demo organisation, a manual clock and cheap bcrypt.
struct Harness {
    let app: HavenApp
    let clock: ManualClock
    let database: Database
    var environment: HavenEnvironment { app.environment }
    static let password = "demo-password-123"

    static func configuration(allowPrivateWebhooks: Bool = true, sendmail: String? = nil) -> AppConfiguration {
        var configuration = AppConfiguration(host: "127.0.0.1", port: 0, databaseURL: "test", publicURL: "http://haven.test",
                                             services: .init(bcryptCost: 4, sendmailCommand: sendmail, allowPrivateWebhooks: allowPrivateWebhooks,
                                                             loginLimits: .init(perAccount: 5, perAddress: 50, window: 900)))
        configuration.runsTimers = false
        return configuration
    }

    /// Builds the app on `database` (seeding the demo organisation once) and runs `body` with a router test client.
    /// Where each test's clock starts: midday UTC of today, so "half an hour ago" and "in a few hours" fall on the
    /// same day and month whenever the suite runs (a run at 00:25 once saw an intervention start yesterday and end today).
    static var start: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar.date(bySettingHour: 12, minute: 0, second: 0, of: Date()) ?? Date()
    }

    static func run(database: Database, clock: ManualClock = ManualClock(Harness.start), configuration: AppConfiguration = configuration(),
                    _ body: @escaping @Sendable (any TestClientProtocol, Harness) async throws -> Void) async throws {
        let (application, app) = try buildApplication(configuration, database: database, clock: clock, logger: TestDatabase.logger)
        _ = try await DemoSeed.run(app.environment, password: password)
        let harness = Harness(app: app, clock: clock, database: database)
        try await application.test(.router) { client in try await body(client, harness) }
    }

    static func run(configuration: AppConfiguration = configuration(),
                    _ body: @escaping @Sendable (any TestClientProtocol, Harness) async throws -> Void) async throws {
        try await TestDatabase.with { database in try await run(database: database, configuration: configuration, body) }
    }

    func user(_ role: Role) async throws -> User {
        try #require(try await environment.users.find(email: DemoSeed.email(for: role))).user
    }

    func unit(_ code: String) async throws -> CareUnit {
        let organisation = try #require(try await environment.organisations.primaryOrganisation())
        return try #require(try await environment.organisations.unit(code: code, organisationId: organisation.id))
    }
}

/// A browser's state: its cookies and the CSRF token of the last page it loaded.
struct Browser {
    var cookies: [String: String] = [:]
    var csrf = ""

    var cookieHeader: HTTPFields {
        cookies.isEmpty ? [:] : [.cookie: cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")]
    }

    mutating func keepCookies(_ response: TestResponse) {
        for field in response.headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || field.value.contains("Max-Age=0") { cookies.removeValue(forKey: name) } else { cookies[name] = value }
        }
    }

    @discardableResult
    mutating func get(_ client: any TestClientProtocol, _ path: String) async throws -> TestResponse {
        let response = try await client.execute(uri: path, method: .get, headers: cookieHeader)
        keepCookies(response)
        if let token = response.text.firstMatch(of: /name="csrf" value="([^"]+)"/)?.1 { csrf = String(token) }
        return response
    }

    /// Posts a form as a browser does, with the CSRF token unless told otherwise.
    @discardableResult
    mutating func post(_ client: any TestClientProtocol, _ path: String, _ fields: [(String, String)], withCSRF: Bool = true) async throws -> TestResponse {
        let all = (withCSRF ? [("csrf", csrf)] : []) + fields
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var headers = cookieHeader
        headers[.contentType] = "application/x-www-form-urlencoded"
        let response = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
        keepCookies(response)
        return response
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// Signs in through the real form.
    static func signedIn(_ client: any TestClientProtocol, as role: Role, password: String = Harness.password) async throws -> Browser {
        var browser = Browser()
        try await browser.get(client, "/login")
        let response = try await browser.post(client, "/login", [("email", DemoSeed.email(for: role)), ("password", password), ("next", "/")])
        #expect(response.status == .seeOther, "sign-in as \(role) answered \(response.status)")
        try await browser.get(client, "/")
        return browser
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var location: String? { headers[.location] }
    func json() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}

/// Calls the JSON API with a bearer token.
struct APIClient {
    let client: any TestClientProtocol
    var token: String?

    func call(_ method: HTTPRequest.Method, _ path: String, json: String? = nil, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    static func signedIn(_ client: any TestClientProtocol, as role: Role) async throws -> APIClient {
        let response = try await APIClient(client: client).call(.post, "/api/v1/auth/tokens",
                                                                json: #"{"email":"\#(DemoSeed.email(for: role))","password":"\#(Harness.password)"}"#)
        #expect(response.status == .created)
        return APIClient(client: client, token: try response.json()["token"] as? String)
    }
}
