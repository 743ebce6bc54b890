import Foundation
import HavenCore
import HavenData
import HavenServices
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Use of force: distinct patients and negligible force in the statistics")
struct UseOfForcePatientsAndNegligibleTests {
    @Test("Statistics count each patient once per unit, month and range beside the episodes, and negligible force apart from all of them")
    func statistics() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let now = harness.clock.now()
            // OAK-0042 twice and OAK-0043 once, an hour apart so they do not overlap.
            for (patient, hoursAgo) in [("OAK-0042", 1.0), ("OAK-0042", 3.0), ("OAK-0043", 5.0)] {
                let start = now - hoursAgo * 3600
                let body = try await UseOfForceAPITests.body(harness, ["patientLocalId": patient, "interventions": [
                    ["type": "09", "startedAt": start.iso8601, "endedAt": (start + 300).iso8601, "plannedInCarePlan": false]]])
                #expect(try await staff.call(.post, "/api/v1/use-of-force", json: body).status == .created)
            }
            let lead = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
            #expect(try await lead.call(.put, "/api/v1/use-of-force/settings",
                                        json: #"{"negligible":{"types":["08"],"maximumSeconds":120,"definition":"A guiding hold"}}"#).status == .ok)
            let oak = try await harness.unit("OAK")
            for patient in ["OAK-7", "OAK-7"] {
                let use = try await staff.call(.post, "/api/v1/use-of-force/negligible", json: """
                    {"unitId":"\(oak.id)","patientLocalId":"\(patient)","type":"08","startedAt":"\((now - 400).iso8601)","endedAt":"\((now - 370).iso8601)","description":"Guided back by the arm","painOrInjury":false}
                    """)
                #expect(use.status == .created, "\(use.text)")
            }
            let month = CalendarMonth(now, in: TimeZone(identifier: "Europe/London")!).description
            let executive = try await APIClient.signedIn(client, as: .executive)
            let json = try await executive.call(.get, "/api/v1/use-of-force/statistics?from=\(month)&to=\(month)").json()
            let totals = try #require(json["totals"] as? [String: Any])
            #expect(totals["episodes"] as? Int == 3 && totals["distinctPatients"] as? Int == 2 && totals["distinctPatientsIncomplete"] as? Bool == false)
            #expect(totals["negligibleForceUses"] as? Int == 2 && totals["restraints"] as? Int == 3, "negligible holds are not restraints")
            let oakFigures = try #require((json["units"] as? [[String: Any]])?.first { $0["unitId"] as? String == oak.id })
            #expect(oakFigures["distinctPatients"] as? Int == 2 && oakFigures["negligibleForceUses"] as? Int == 2)
            let thisMonth = try #require((json["months"] as? [[String: Any]])?.first { $0["month"] as? String == month })
            #expect(thisMonth["distinctPatients"] as? Int == 2 && thisMonth["episodes"] as? Int == 3)
            let cell = try #require((json["unitMonths"] as? [[String: Any]])?.first { $0["unitId"] as? String == oak.id && $0["month"] as? String == month })
            #expect(cell["distinctPatients"] as? Int == 2 && cell["negligibleForceUses"] as? Int == 2)
            let ash = try #require((json["units"] as? [[String: Any]])?.first { $0["unitName"] as? String == "Ash Ward (older adults)" || $0["unitId"] as? String != oak.id })
            #expect(ash["distinctPatients"] as? Int == 0 && ash["negligibleForceUses"] as? Int == 0)

            var page = try await Browser.signedIn(client, as: .executive)
            let analytics = try await page.get(client, "/use-of-force/analytics?from=\(month)&to=\(month)")
            #expect(analytics.text.contains("<dt>Patients force was used on (each counted once)</dt><dd>2</dd>"))
            #expect(analytics.text.contains("<dt>Negligible force: short records, counted apart from all the above</dt><dd>2</dd>"))
            #expect(analytics.text.contains("<th scope=\"col\">Patients</th>") && analytics.text.contains("<th scope=\"col\">Negligible force (counted apart)</th>"))
            #expect(analytics.text.contains("<th scope=\"row\">\(oak.name)</th><td>3</td><td>2</td>"), "episodes, then patients, by unit")
        }
    }
}
