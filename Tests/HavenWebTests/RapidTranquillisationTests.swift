import Foundation
import HavenCore
import HavenData
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Use of force: observations after rapid tranquillisation")
struct RapidTranquillisationTests {
    @Test("Code 14 opens a schedule of observations; each set is checked, recorded once, and its concerns named")
    func observations() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let given = harness.clock.now() - 600
            let body = try await UseOfForceAPITests.body(harness, ["interventions": [
                ["type": "09", "startedAt": (given - 300).iso8601, "endedAt": (given - 60).iso8601, "plannedInCarePlan": false],
                ["type": "14", "startedAt": given.iso8601, "endedAt": (given + 60).iso8601, "plannedInCarePlan": true]]])
            let id = try #require(try await staff.call(.post, "/api/v1/use-of-force", json: body).json()["id"] as? String)
            let due = try #require(try await staff.call(.get, "/api/v1/use-of-force/\(id)/observations").json()["items"] as? [[String: Any]])
            #expect(due.map { $0["dueAt"] as? String } == RapidTranquillisation.schedule.map { (given + $0).iso8601 })

            let now = harness.clock.now()
            let missing = try await staff.call(.put, "/api/v1/use-of-force/\(id)/observations/0", json: #"{"takenAt":"\#(now.iso8601)","pulse":80}"#)
            #expect(missing.status == .unprocessableContent && missing.text.contains("respiratoryRate") && missing.text.contains("consciousness"))
            let wild = try await staff.call(.put, "/api/v1/use-of-force/\(id)/observations/0", json: """
                {"takenAt":"\(now.iso8601)","pulse":400,"systolic":120,"diastolic":80,"respiratoryRate":16,"temperature":36.8,"oxygenSaturation":97,"consciousness":"alert"}
                """)
            #expect(wild.status == .unprocessableContent && wild.text.contains("pulse must be between 20 and 250"))
            let worrying = try await staff.call(.put, "/api/v1/use-of-force/\(id)/observations/0", json: """
                {"takenAt":"\(now.iso8601)","pulse":88,"systolic":118,"diastolic":76,"respiratoryRate":8,"temperature":36.8,"oxygenSaturation":86,"consciousness":"voice"}
                """)
            #expect(worrying.status == .ok, "\(worrying.text)")
            #expect((try worrying.json()["concerns"] as? [String]) == ["respiratory rate below 10", "oxygen saturation below 90%"])
            #expect(try await staff.call(.put, "/api/v1/use-of-force/\(id)/observations/0", json: #"{"takenAt":"\#(now.iso8601)","notTakenReason":"asleep"}"#).status == .conflict)
            let asleep = try await staff.call(.put, "/api/v1/use-of-force/\(id)/observations/1", json: #"{"takenAt":"\#(now.iso8601)","notTakenReason":"Asleep, breathing normally"}"#)
            #expect(asleep.status == .ok)

            harness.clock.advance(by: 3600)
            let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            #expect(try await harness.environment.attention(for: try await harness.user(.manager), organisation: organisation)
                .contains { $0.title.contains("rapid tranquillisation are overdue") })
            #expect(try await staff.call(.put, "/api/v1/use-of-force/\(id)/observations/99", json: #"{"takenAt":"\#(now.iso8601)","notTakenReason":"x"}"#).status == .notFound)

            var page = try await Browser.signedIn(client, as: .staff)
            let shown = try await page.get(client, "/use-of-force/\(id)")
            #expect(shown.text.contains("Observations after rapid tranquillisation") && shown.text.contains("Needs a doctor now"))
            let refused = try await page.post(client, "/use-of-force/\(id)/observations/2", [("pulse", "eighty")])
            #expect(refused.status == .badRequest && refused.text.contains(##"href="#obs-pulse""##))
        }
    }
}
