import Foundation
import HavenCore
import HavenData
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("JSON API: tokens, conventions and bad input")
struct APITests {
    @Test("A token from e-mail and password opens /me; without one the answer is 401; a revoked one stops working")
    func tokens() async throws {
        try await Harness.run { client, _ in
            let anonymous = try await APIClient(client: client).call(.get, "/api/v1/me")
            #expect(anonymous.status == .unauthorized)
            #expect(try anonymous.json()["error"] != nil)
            var api = try await APIClient.signedIn(client, as: .manager)
            let me = try await api.call(.get, "/api/v1/me")
            #expect(me.status == .ok)
            let body = try me.json()
            #expect(body["email"] as? String == "manager@demo.haven.example")
            #expect((body["roles"] as? [String]) == ["manager"])
            #expect((body["unitIds"] as? [String])?.count == 2)
            let list = try await api.call(.get, "/api/v1/auth/tokens").json()
            let id = try #require(((list["items"] as? [[String: Any]])?.first)?["id"] as? String)
            #expect(try await api.call(.delete, "/api/v1/auth/tokens/\(id)").status == .noContent)
            #expect(try await api.call(.get, "/api/v1/me").status == .unauthorized)
            api.token = "haven_not-a-real-token"
            #expect(try await api.call(.get, "/api/v1/me").status == .unauthorized)
        }
    }

    @Test("Bad input gets a 4xx naming the problem, never a 5xx, and changes nothing")
    func badInput() async throws {
        try await Harness.run { client, harness in
            let api = try await APIClient.signedIn(client, as: .admin)
            func error(_ response: TestResponse) throws -> [String: Any] {
                try #require(try response.json()["error"] as? [String: Any])
            }
            let malformed = try await api.call(.post, "/api/v1/sites", json: #"{"name": "Unfinished"#)
            #expect(malformed.status == .badRequest)
            #expect(try error(malformed)["code"] as? String == "invalid_json")
            #expect(try (error(malformed)["message"] as? String)?.hasPrefix("The request body is not valid JSON") == true)
            let twice = try await api.call(.post, "/api/v1/sites", json: #"{"name":"North","name":"South"}"#)
            #expect(twice.status == .badRequest)
            #expect(try (error(twice)["message"] as? String)?.contains(#"the key "name" appears twice"#) == true, "\(twice.text)")
            let notObject = try await api.call(.post, "/api/v1/sites", json: "[1,2]")
            #expect(notObject.status == .badRequest)
            let unknown = try await api.call(.post, "/api/v1/sites", json: #"{"name":"North","colour":"red"}"#)
            #expect(unknown.status == .badRequest)
            #expect(try (error(unknown)["fields"] as? [String: String])?["colour"] != nil)
            let wrongType = try await api.call(.post, "/api/v1/units", json: #"{"siteId":"x","code":"NEW","name":"New","kind":"care-home","beds":"twenty"}"#)
            #expect(wrongType.status == .badRequest)
            #expect(try (error(wrongType)["fields"] as? [String: String])?["beds"] != nil)
            let boolAsNumber = try await api.call(.patch, "/api/v1/organisation", json: #"{"allowsUnsignedReports":1}"#)
            #expect(boolAsNumber.status == .badRequest)
            let missing = try await api.call(.post, "/api/v1/units", json: "{}")
            let fields = try #require(try error(missing)["fields"] as? [String: String])
            #expect(Set(fields.keys).isSuperset(of: ["siteId", "code", "name", "kind"]))
            let badKind = try await api.call(.post, "/api/v1/units", json: #"{"siteId":"x","code":"NEW","name":"New","kind":"spaceship"}"#)
            #expect(badKind.status == .badRequest)
            let badZone = try await api.call(.patch, "/api/v1/organisation", json: #"{"timeZone":"Mars/Olympus"}"#)
            #expect(badZone.status == .badRequest)
            #expect(try (error(badZone)["fields"] as? [String: String])?["timeZone"] != nil)

            var headers: HTTPFields = [.authorization: "Bearer \(api.token!)", .contentType: "application/json"]
            let invalidUTF8 = try await client.execute(uri: "/api/v1/sites", method: .post, headers: headers,
                                                       body: ByteBuffer(bytes: Array(#"{"name":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)))
            #expect(invalidUTF8.status == .badRequest)
            let huge = try await client.execute(uri: "/api/v1/sites", method: .post, headers: headers,
                                                body: ByteBuffer(string: #"{"name":""# + String(repeating: "x", count: 1_100_000) + #""}"#))
            #expect(huge.status == .contentTooLarge)
            headers[.contentType] = "application/x-www-form-urlencoded"
            #expect(try await api.call(.get, "/api/v1/users?limit=0").status == .badRequest)
            #expect(try await api.call(.get, "/api/v1/users?role=boss").status == .badRequest)
            #expect(try await api.call(.get, "/api/v1/units/no-such-unit").status == .notFound)
            #expect(try await api.call(.get, "/api/v1/audit-events?from=2026-02-30").status == .badRequest)
            // PostgreSQL cannot hold NUL characters: they are refused at the door, in addresses and in bodies.
            #expect(try await api.call(.get, "/api/v1/audit-events?actorId=a%00b").status == .badRequest)
            #expect(try await api.call(.get, "/api/v1/units/a%00b").status == .badRequest)
            #expect(try await api.call(.post, "/api/v1/sites", json: #"{"name":"North\u0000"}"#).status == .badRequest)

            let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            #expect(try await harness.environment.organisations.sites(organisationId: organisation.id).count == 2, "nothing was created")
        }
    }

    @Test("Creating and changing units, sites, people and activity through the API")
    func organisationThroughAPI() async throws {
        try await Harness.run { client, harness in
            let api = try await APIClient.signedIn(client, as: .admin)
            let site = try await api.call(.post, "/api/v1/sites", json: #"{"name":"South Clinic","address":"2 South Road"}"#)
            #expect(site.status == .created)
            let siteId = try #require(try site.json()["id"] as? String)
            let unit = try await api.call(.post, "/api/v1/units", json: #"{"siteId":"\#(siteId)","code":"elm","name":"Elm Ward","kind":"mental-health-ward","beds":16,"staffWTE":28.5}"#)
            #expect(unit.status == .created)
            let unitJSON = try unit.json()
            #expect(unitJSON["code"] as? String == "ELM")
            let unitId = try #require(unitJSON["id"] as? String)
            let duplicate = try await api.call(.post, "/api/v1/units", json: #"{"siteId":"\#(siteId)","code":"ELM","name":"Again","kind":"other"}"#)
            #expect(duplicate.status == .badRequest)
            #expect(try await api.call(.patch, "/api/v1/units/\(unitId)", json: #"{"beds":18}"#).json()["beds"] as? Int == 18)
            let activity = try await api.call(.put, "/api/v1/units/\(unitId)/activity/2026-10", json: #"{"occupiedBedDays":500,"staffWTE":29}"#)
            #expect(activity.status == .ok)
            #expect(try await api.call(.put, "/api/v1/units/\(unitId)/activity/2026-13", json: #"{"occupiedBedDays":5}"#).status == .badRequest)
            #expect(try await api.call(.put, "/api/v1/units/\(unitId)/activity/2026-09", json: #"{"occupiedBedDays":-5}"#).status == .badRequest)
            let created = try await api.call(.post, "/api/v1/users", json: #"{"email":"new.nurse@example.org","name":"New Nurse","roles":["staff"],"units":["ELM"]}"#)
            #expect(created.status == .created)
            let createdJSON = try created.json()
            #expect((createdJSON["passwordResetUrl"] as? String)?.hasPrefix("http://haven.test/reset-password/") == true)
            let unknownUnit = try await api.call(.post, "/api/v1/users", json: #"{"email":"x@example.org","name":"X","roles":["staff"],"units":["NOPE"]}"#)
            #expect(unknownUnit.status == .badRequest && unknownUnit.text.contains("Valid units"))
            let page = try await api.call(.get, "/api/v1/users?limit=2&offset=1").json()
            #expect((page["items"] as? [Any])?.count == 2 && page["total"] as? Int == 10 && page["offset"] as? Int == 1)
            let events = try await api.call(.get, "/api/v1/audit-events?entity=unit&limit=5").json()
            #expect(((events["items"] as? [[String: Any]])?.first?["action"] as? String) == "unit-activity.record" || ((events["items"] as? [[String: Any]])?.isEmpty == false))
            #expect(try await AuditLog.verify(harness.database) != .broken(sequence: 0, reason: ""))
        }
    }

    @Test("The OpenAPI document names exactly the API routes the server has")
    func openAPIMatchesRoutes() async throws {
        try await Harness.run { client, harness in
            let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(response.status == .ok)
            let document = try response.json()
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
            let routed = Set(harness.app.catalogue.routes.filter(\.isAPI).map { "\($0.method.rawValue) \($0.path)" })
            #expect(documented == routed, "only documented: \(documented.subtracting(routed)); only routed: \(routed.subtracting(documented))")
        }
    }
}
