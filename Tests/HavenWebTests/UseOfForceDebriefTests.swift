import Foundation
import HavenCore
import HavenData
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Use of force: debriefs and their targets")
struct UseOfForceDebriefTests {
    @Test("Each record owes a staff and a patient debrief due from its end; overdue ones reach the manager; each is recorded once")
    func debriefs() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let id = try #require(try await staff.call(.post, "/api/v1/use-of-force", json: try await UseOfForceAPITests.body(harness)).json()["id"] as? String)
            let listed = try #require(try await staff.call(.get, "/api/v1/use-of-force/\(id)/debriefs").json()["items"] as? [[String: Any]])
            let ended = harness.clock.now() - 60
            #expect(listed.map { $0["kind"] as? String } == ["staff", "patient"])
            #expect(listed.map { $0["dueAt"] as? String } == [(ended + 3 * 3600).iso8601, (ended + 168 * 3600).iso8601])

            harness.clock.advance(by: 4 * 3600)
            let manager = try await harness.user(.manager)
            let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            #expect(try await harness.environment.attention(for: manager, organisation: organisation).contains { $0.title == "A use-of-force debrief is overdue" })
            let managerAPI = try await APIClient.signedIn(client, as: .manager)
            #expect(try await managerAPI.call(.get, "/api/v1/use-of-force?debrief=overdue").json()["total"] as? Int == 1)

            let now = harness.clock.now()
            let noNotes = try await staff.call(.put, "/api/v1/use-of-force/\(id)/debriefs/staff", json: #"{"heldAt":"\#((now - 600).iso8601)"}"#)
            #expect(noNotes.status == .unprocessableContent && noNotes.text.contains("notes"))
            let future = try await staff.call(.put, "/api/v1/use-of-force/\(id)/debriefs/staff", json: #"{"heldAt":"\#((now + 3600).iso8601)","notes":"x"}"#)
            #expect(future.status == .unprocessableContent && future.text.contains("future"))
            let held = try await staff.call(.put, "/api/v1/use-of-force/\(id)/debriefs/staff",
                                            json: #"{"heldAt":"\#((now - 600).iso8601)","notes":"Hold went well; call for help earlier","attendees":"Sam, Kim"}"#)
            #expect(held.status == .ok, "\(held.text)")
            #expect(try await staff.call(.put, "/api/v1/use-of-force/\(id)/debriefs/staff", json: #"{"heldAt":"\#((now - 600).iso8601)","notes":"Again"}"#).status == .conflict)
            let noAccount = try await staff.call(.put, "/api/v1/use-of-force/\(id)/debriefs/patient", json: #"{"heldAt":"\#((now - 60).iso8601)"}"#)
            #expect(noAccount.status == .unprocessableContent && noAccount.text.contains("patientAccount"))
            let declined = try await staff.call(.put, "/api/v1/use-of-force/\(id)/debriefs/patient", json: #"{"heldAt":"\#((now - 60).iso8601)","patientDeclined":true}"#)
            #expect(try declined.status == .ok && declined.json()["patientDeclined"] as? Bool == true)
            #expect(try await harness.environment.attention(for: manager, organisation: organisation).allSatisfy { !$0.title.contains("debrief") })
            #expect(try await staff.call(.put, "/api/v1/use-of-force/\(id)/debriefs/family", json: #"{"heldAt":"\#((now - 60).iso8601)"}"#).status == .notFound)
        }
    }

    @Test("The targets are set by a lead (bad hours refused) and apply to records made after")
    func settings() async throws {
        try await Harness.run { client, harness in
            let lead = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
            #expect(try await lead.call(.get, "/api/v1/use-of-force/settings").json()["staffDebriefHours"] as? Int == 3)
            let bad = try await lead.call(.put, "/api/v1/use-of-force/settings", json: #"{"staffDebriefHours":0,"patientDebriefHours":72}"#)
            #expect(bad.status == .badRequest && bad.text.contains("staffDebriefHours"))
            #expect(try await lead.call(.put, "/api/v1/use-of-force/settings", json: #"{"staffDebriefHours":2,"patientDebriefHours":72}"#).status == .ok)
            let manager = try await APIClient.signedIn(client, as: .manager)
            #expect(try await manager.call(.put, "/api/v1/use-of-force/settings", json: #"{"staffDebriefHours":2,"patientDebriefHours":72}"#).status == .forbidden)
            let staff = try await APIClient.signedIn(client, as: .staff)
            let id = try #require(try await staff.call(.post, "/api/v1/use-of-force", json: try await UseOfForceAPITests.body(harness)).json()["id"] as? String)
            let listed = try #require(try await staff.call(.get, "/api/v1/use-of-force/\(id)/debriefs").json()["items"] as? [[String: Any]])
            let ended = harness.clock.now() - 60
            #expect(listed.map { $0["dueAt"] as? String } == [(ended + 2 * 3600).iso8601, (ended + 72 * 3600).iso8601])

            var page = try await Browser.signedIn(client, as: .restrictivePracticeLead)
            try await page.get(client, "/use-of-force/settings")
            let refused = try await page.post(client, "/use-of-force/settings", [("staffDebriefHours", "three"), ("patientDebriefHours", "72")])
            #expect(refused.status == .badRequest && refused.text.contains("Enter a whole number of hours"))
        }
    }

    @Test("On the record page: the debrief forms, an error beside the field, and the debrief once recorded")
    func page() async throws {
        try await Harness.run { client, harness in
            let api = try await APIClient.signedIn(client, as: .staff)
            let id = try #require(try await api.call(.post, "/api/v1/use-of-force", json: try await UseOfForceAPITests.body(harness)).json()["id"] as? String)
            var staff = try await Browser.signedIn(client, as: .staff)
            let page = try await staff.get(client, "/use-of-force/\(id)")
            #expect(page.text.contains("Staff debrief") && page.text.contains("Patient debrief") && page.text.contains(#"id="patient-patientAccount""#))
            let (day, time) = UseOfForceForm.local(harness.clock.now() - 30, TimeZone(identifier: "Europe/London")!)
            let missing = try await staff.post(client, "/use-of-force/\(id)/debriefs/patient", [("heldDate", day), ("heldTime", time)])
            #expect(missing.status == .badRequest && missing.text.contains(##"href="#patient-patientAccount""##))
            let done = try await staff.post(client, "/use-of-force/\(id)/debriefs/patient",
                                            [("heldDate", day), ("heldTime", time), ("patientAccount", "They grabbed me too hard")])
            #expect(done.status == .seeOther)
            #expect(try await staff.get(client, "/use-of-force/\(id)").text.contains("They grabbed me too hard"))
        }
    }
}
