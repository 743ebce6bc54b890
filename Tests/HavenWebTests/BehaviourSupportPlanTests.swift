import Foundation
import HavenCore
import HavenData
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Use of force: behaviour support plans")
struct BehaviourSupportPlanTests {
    @Test("Three interventions in 30 days with no current plan warn on the record, in attention and in the needed list, until a plan is written")
    func repeatedInterventions() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            var last = ""
            for daysAgo in [20.0, 10.0, 0.0] {
                let start = harness.clock.now() - daysAgo * 86_400 - 600
                let body = try await UseOfForceAPITests.body(harness, ["interventions": [["type": "09", "startedAt": start.iso8601,
                                                                                           "endedAt": (start + 300).iso8601, "plannedInCarePlan": false]]])
                let created = try await staff.call(.post, "/api/v1/use-of-force", json: body)
                #expect(created.status == .created, "\(created.text)")
                last = try #require(try created.json()["id"] as? String)
                #expect((try created.json()["warnings"] as? [String])?.isEmpty == (daysAgo > 0), "the third one warns")
            }
            let manager = try await APIClient.signedIn(client, as: .manager)
            let warned = try await manager.call(.get, "/api/v1/use-of-force/\(last)").json()
            #expect((warned["warnings"] as? [String])?.first?.contains("no current behaviour support plan") == true)
            let needed = try #require(try await manager.call(.get, "/api/v1/behaviour-support-plans/needed").json()["items"] as? [[String: Any]])
            #expect(needed.count == 1 && needed[0]["patientLocalId"] as? String == "OAK-0042" && needed[0]["interventions"] as? Int == 3)
            let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            #expect(try await harness.environment.attention(for: try await harness.user(.manager), organisation: organisation)
                .contains { $0.title == "A patient needs a behaviour support plan" })

            let oak = try await harness.unit("OAK")
            let today = CalendarColumns(harness.clock.now(), timeZone: TimeZone(identifier: "Europe/London")!).localDate
            let review = CalendarDay(today)!.adding(days: 90).description
            let plan = try await manager.call(.post, "/api/v1/behaviour-support-plans", json: """
                {"unitId":"\(oak.id)","patientLocalId":"OAK-0042","title":"PBS plan","summary":"Quiet room early; avoid crowded lounge at meal times","startsOn":"\(today)","reviewOn":"\(review)"}
                """)
            #expect(plan.status == .created, "\(plan.text)")
            #expect((try await manager.call(.get, "/api/v1/use-of-force/\(last)").json()["warnings"] as? [String])?.isEmpty == true)
            #expect((try await manager.call(.get, "/api/v1/behaviour-support-plans/needed").json()["items"] as? [Any])?.isEmpty == true)
            let id = try #require(try plan.json()["id"] as? String)
            let ended = try await manager.call(.patch, "/api/v1/behaviour-support-plans/\(id)", json: #"{"endedOn":"\#(today)"}"#)
            #expect(try ended.status == .ok && ended.json()["title"] as? String == "PBS plan", "\(ended.text)")
            #expect((try await manager.call(.get, "/api/v1/behaviour-support-plans/needed").json()["items"] as? [Any])?.count == 1,
                    "a plan that ended today is no longer current")
        }
    }

    @Test("Bad plans are refused naming the field; only the unit's managers and the leads write them; others' units are 404")
    func badInputAndScope() async throws {
        try await Harness.run { client, harness in
            let manager = try await APIClient.signedIn(client, as: .manager)
            let oak = try await harness.unit("OAK"), ed = try await harness.unit("ED")
            func body(_ unit: String, starts: String = "2026-12-01", review: String = "2027-03-01") -> String {
                #"{"unitId":"\#(unit)","patientLocalId":"P-1","title":"Plan","summary":"What helps","startsOn":"\#(starts)","reviewOn":"\#(review)"}"#
            }
            let early = try await manager.call(.post, "/api/v1/behaviour-support-plans", json: body(oak.id, review: "2026-11-01"))
            #expect(early.status == .unprocessableContent && early.text.contains("reviewOn"))
            let late = try await manager.call(.post, "/api/v1/behaviour-support-plans", json: body(oak.id, review: "2028-01-01"))
            #expect(late.status == .unprocessableContent && late.text.contains("once a year"))
            let badDay = try await manager.call(.post, "/api/v1/behaviour-support-plans", json: body(oak.id, starts: "2026-02-30"))
            #expect(badDay.status == .unprocessableContent && badDay.text.contains("startsOn"))
            let elsewhere = try await manager.call(.post, "/api/v1/behaviour-support-plans", json: body(ed.id))
            #expect(elsewhere.status == .forbidden && elsewhere.text.contains("unitId"))
            let staff = try await APIClient.signedIn(client, as: .staff)
            #expect(try await staff.call(.post, "/api/v1/behaviour-support-plans", json: body(oak.id)).status == .forbidden)
            let lead = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
            let edPlan = try await lead.call(.post, "/api/v1/behaviour-support-plans", json: body(ed.id))
            #expect(edPlan.status == .created)
            let edId = try #require(try edPlan.json()["id"] as? String)
            #expect(try await manager.call(.get, "/api/v1/behaviour-support-plans/\(edId)").status == .notFound)
            #expect(try await manager.call(.get, "/api/v1/behaviour-support-plans").json()["total"] as? Int == 0)

            var page = try await Browser.signedIn(client, as: .manager)
            let form = try await page.get(client, "/use-of-force/plans/new?patientLocalId=OAK-0042&unitId=\(oak.id)")
            #expect(form.status == .ok && form.text.contains(#"value="OAK-0042""#))
            let refused = try await page.post(client, "/use-of-force/plans/new", [("unitId", oak.id), ("patientLocalId", "OAK-0042"), ("title", "Plan")])
            #expect(refused.status == .badRequest && refused.text.contains(##"href="#summary""##))
            let saved = try await page.post(client, "/use-of-force/plans/new", [("unitId", oak.id), ("patientLocalId", "OAK-0042"), ("title", "Plan"),
                                                                                 ("summary", "Offer time alone"), ("startsOn", "2026-12-01"), ("reviewOn", "2027-02-01")])
            #expect(saved.status == .seeOther)
            let list = try await page.get(client, "/use-of-force/plans")
            #expect(list.text.contains("OAK-0042") && list.text.contains("Plan"))
        }
    }
}
