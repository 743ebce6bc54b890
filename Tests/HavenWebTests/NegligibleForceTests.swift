import Foundation
import HavenCore
import HavenData
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Use of force: negligible force under the organisation's policy")
struct NegligibleForceTests {
    @Test("Nothing is negligible until the policy says so; then only its holds and times, never with pain or injury")
    func policy() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let oak = try await harness.unit("OAK")
            let now = harness.clock.now()
            func use(_ type: String, seconds: Double, pain: Bool = false) -> String {
                #"{"unitId":"\#(oak.id)","patientLocalId":"OAK-7","type":"\#(type)","startedAt":"\#((now - 400).iso8601)","endedAt":"\#((now - 400 + seconds).iso8601)","description":"Guided back to the bedroom by the arm","painOrInjury":\#(pain)}"#
            }
            let before = try await staff.call(.post, "/api/v1/use-of-force/negligible", json: use("08", seconds: 30))
            #expect(before.status == .unprocessableContent && before.text.contains("counts no use of force as negligible"))

            let lead = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
            let prone = try await lead.call(.put, "/api/v1/use-of-force/settings", json: #"{"negligible":{"types":["01"],"maximumSeconds":60,"definition":"x"}}"#)
            #expect(prone.status == .badRequest && prone.text.contains("negligibleTypes"))
            let set = try await lead.call(.put, "/api/v1/use-of-force/settings",
                                          json: #"{"negligible":{"types":["08"],"maximumSeconds":120,"definition":"A guiding hold of two minutes or less"}}"#)
            #expect(set.status == .ok, "\(set.text)")
            #expect(try await lead.call(.get, "/api/v1/use-of-force/settings").json()["staffDebriefHours"] as? Int == 3, "hours kept")

            #expect(try await staff.call(.post, "/api/v1/use-of-force/negligible", json: use("08", seconds: 30)).status == .created)
            let long = try await staff.call(.post, "/api/v1/use-of-force/negligible", json: use("08", seconds: 300))
            #expect(long.status == .unprocessableContent && long.text.contains("record it in full"), "\(long.text)")
            let other = try await staff.call(.post, "/api/v1/use-of-force/negligible", json: use("09", seconds: 30))
            #expect(other.status == .unprocessableContent && other.text.contains("type"))
            let hurt = try await staff.call(.post, "/api/v1/use-of-force/negligible", json: use("08", seconds: 30, pain: true))
            #expect(hurt.status == .unprocessableContent && hurt.text.contains("painOrInjury"))
            #expect(try await staff.call(.get, "/api/v1/use-of-force/negligible").json()["total"] as? Int == 1)
            #expect(try await UseOfForceAPITests.recorded(harness) == 0, "counted apart from the statutory records")

            var page = try await Browser.signedIn(client, as: .staff)
            let form = try await page.get(client, "/use-of-force/negligible")
            #expect(form.text.contains("A guiding hold of two minutes or less") && form.text.contains("Guided back to the bedroom"))
            let refused = try await page.post(client, "/use-of-force/negligible", [("unitId", oak.id), ("type", "08"), ("patientLocalId", "OAK-7")])
            #expect(refused.status == .badRequest && refused.text.contains(##"href="#description""##))
        }
    }
}
