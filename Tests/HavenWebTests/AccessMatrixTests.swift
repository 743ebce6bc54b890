import Foundation
import HavenCore
import HavenData
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Access: every route against every role")
struct AccessMatrixTests {
    /// Fills path parameters with real ids where the route needs one, so an allowed request reaches its handler.
    static func concretePath(_ path: String, unitId: String, userId: String) -> String {
        path.replacingOccurrences(of: "/units/{id}", with: "/units/\(unitId)")
            .replacingOccurrences(of: "/people/{id}", with: "/people/\(userId)")
            .replacingOccurrences(of: "/users/{id}", with: "/users/\(userId)")
            .replacingOccurrences(of: "{month}", with: "2026-10")
            .replacingOccurrences(of: "{id}", with: "00000000-0000-0000-0000-000000000000")
            .replacingOccurrences(of: "{token}", with: "unknown")
    }

    @Test("Allowed roles reach the handler; every other role gets 403; anonymous callers must sign in")
    func matrix() async throws {
        try await Harness.run { client, harness in
            let unit = try await harness.unit("OAK")
            let staff = try await harness.user(.staff)
            var browsers: [Role: Browser] = [:]
            var tokens: [Role: APIClient] = [:]
            for role in Role.allCases {
                browsers[role] = try await Browser.signedIn(client, as: role)
                tokens[role] = try await APIClient.signedIn(client, as: role)
            }
            var checked = 0
            for route in harness.app.catalogue.routes {
                guard let action = route.action else { continue }
                let path = Self.concretePath(route.path, unitId: unit.id, userId: staff.id)
                // Signing out or revoking would end the session the matrix uses.
                if path == "/logout" || route.method == .delete { continue }
                for role in Role.allCases {
                    let user = try await harness.user(role)
                    let allowed = Access.allows(user.actor, action)
                    let status: HTTPResponse.Status
                    if route.isAPI {
                        let body: String? = [.post, .put, .patch].contains(route.method) ? "{}" : nil
                        status = try await tokens[role]!.call(route.method, path, json: body).status
                    } else if route.method == .get {
                        status = try await browsers[role]!.get(client, path).status
                    } else {
                        var browser = browsers[role]!
                        try await browser.get(client, "/")
                        status = try await browser.post(client, path, []).status
                    }
                    if allowed {
                        #expect(status != .forbidden && status != .unauthorized && status.code < 500,
                                "\(role.rawValue) should reach \(route.method) \(route.path) but got \(status.code)")
                    } else {
                        #expect(status == .forbidden, "\(role.rawValue) must be refused \(route.method) \(route.path) but got \(status.code)")
                    }
                    checked += 1
                }
                // Nobody signed in: pages send people to sign in, the API answers 401.
                let anonymous = route.isAPI ? try await APIClient(client: client).call(route.method, path).status
                    : try await client.execute(uri: path, method: route.method).status
                #expect(anonymous == (route.isAPI ? .unauthorized : (route.method == .get ? .seeOther : .forbidden)),
                        "anonymous \(route.method) \(route.path) got \(anonymous.code)")
            }
            #expect(checked > 300)
        }
    }

    @Test("A manager records activity only for the units they manage, and sees only their units' people")
    func managerScope() async throws {
        try await Harness.run { client, harness in
            var manager = try await Browser.signedIn(client, as: .manager)
            let oak = try await harness.unit("OAK"), ed = try await harness.unit("ED")
            try await manager.get(client, "/units/\(oak.id)")
            let own = try await manager.post(client, "/units/\(oak.id)/activity", [("month", "2026-11"), ("occupiedBedDays", "480"), ("staffWTE", "31")])
            #expect(own.status == .seeOther)
            let other = try await manager.post(client, "/units/\(ed.id)/activity", [("month", "2026-11"), ("occupiedBedDays", "480")])
            #expect(other.status == .forbidden)
            #expect(try await harness.environment.organisations.activity(unitId: ed.id, organisationId: ed.organisationId).isEmpty)

            let people = try await manager.get(client, "/people")
            #expect(people.text.contains("Sam Okafor"), "staff nurse on Oak")
            #expect(!people.text.contains("Tom Hughes"), "the safety lead is on no unit of theirs")
            let lead = try await harness.user(.safetyLead)
            #expect(try await manager.get(client, "/people/\(lead.id)").status == .notFound, "not forbidden: no hint it exists")
            let api = try await APIClient.signedIn(client, as: .manager)
            #expect(try await api.call(.get, "/api/v1/users/\(lead.id)").status == .notFound)
            #expect(try await api.call(.put, "/api/v1/units/\(ed.id)/activity/2026-11", json: #"{"occupiedBedDays":1}"#).status == .forbidden)
        }
    }
}
