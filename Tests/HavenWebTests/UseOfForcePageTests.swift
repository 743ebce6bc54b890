import Foundation
import HavenCore
import HavenData
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Use of force: the pages")
struct UseOfForcePageTests {
    /// The form as a nurse fills it in, in the organisation's local time (Europe/London).
    static func fields(_ harness: Harness, type: String = "09") async throws -> [(String, String)] {
        let oak = try await harness.unit("OAK")
        // Each time carries its own date: a run just after midnight starts the intervention yesterday and ends it today.
        let (startDay, start) = UseOfForceForm.local(harness.clock.now() - 1800, TimeZone(identifier: "Europe/London")!)
        let (endDay, end) = UseOfForceForm.local(harness.clock.now() - 1500, TimeZone(identifier: "Europe/London")!)
        return [("unitId", oak.id), ("place", "Lounge"), ("reason", "Hitting another patient"),
                ("interventionRows", "2"), ("interventions[1].type", type), ("interventions[1].startDate", startDay),
                ("interventions[1].startTime", start), ("interventions[1].endDate", endDay), ("interventions[1].endTime", end),
                ("interventions[1].planned", "no"),
                ("effortsToAvoid", "Talking down"), ("description", "Supine hold by two"), ("outcome", "Settled"), ("harm", "none"),
                ("staffRows", "3"), ("staff[0].name", "Sam Okafor"), ("staff[0].jobTitle", "Staff nurse"), ("nonStaffInvolved", "no"),
                ("patientLocalId", "OAK-0042"), ("patientName", "Alex Doe"), ("nhsNumber", "9434765919"), ("mentalDisorder", "Psychosis"),
                ("detained", "yes"), ("detentionSection", "3"), ("learningDisabilityOrAutism", "no"),
                ("characteristicsStatus", "recorded"), ("characteristics.ethnicity", "M"), ("carePlanContactsNotified", "yes")]
    }

    @Test("A nurse records on the form (a blank first row is ignored); the record page hides the name from them but not from the manager")
    func recordOnTheForm() async throws {
        try await Harness.run { client, harness in
            var staff = try await Browser.signedIn(client, as: .staff)
            let form = try await staff.get(client, "/use-of-force/new")
            #expect(form.status == .ok && form.text.contains("s6(5)(a) Reason for the use of force"))
            let saved = try await staff.post(client, "/use-of-force/new", try await Self.fields(harness))
            #expect(saved.status == .seeOther, "\(saved.text.prefix(2000))")
            let location = try #require(saved.location)
            let page = try await staff.get(client, location)
            #expect(page.text.contains("The use of force has been recorded") && page.text.contains("Supine"))
            #expect(!page.text.contains("Alex Doe") && !page.text.contains("9434765919"))
            #expect(page.text.contains("Black or Black British: Caribbean"))
            var manager = try await Browser.signedIn(client, as: .manager)
            let managerPage = try await manager.get(client, location)
            #expect(managerPage.text.contains("Alex Doe") && managerPage.text.contains("9434765919"))
            let list = try await manager.get(client, "/use-of-force")
            #expect(list.text.contains(location.components(separatedBy: "?")[0]))
        }
    }

    @Test("Errors stand beside their fields with the values kept; 'Add another' adds a row and saves nothing")
    func errorsAndRows() async throws {
        try await Harness.run { client, harness in
            var staff = try await Browser.signedIn(client, as: .staff)
            try await staff.get(client, "/use-of-force/new")
            var fields = try await Self.fields(harness).filter { $0.0 != "reason" && $0.0 != "nhsNumber" }
            fields.append(("nhsNumber", "9434765918"))
            let refused = try await staff.post(client, "/use-of-force/new", fields)
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains(##"href="#reason""##) && refused.text.contains("s6(5)(a) reason for the use of force: say why force was used"))
            #expect(refused.text.contains("9434765918 is not a valid NHS number"))
            #expect(refused.text.contains(#"value="Lounge""#), "values are kept")
            #expect(refused.text.contains(#"name="interventions[0].type""#) && refused.text.contains(#"<option value="09" selected>"#),
                    "the filled row moved up to be the first")
            let more = try await staff.post(client, "/use-of-force/new", fields + [("add", "intervention")])
            #expect(more.status == .ok && more.text.contains("Intervention 3") && !more.text.contains("There is a problem"))
            #expect(try await UseOfForceAPITests.recorded(harness) == 0)
        }
    }

    @Test("A restrictive-practice lead records the senior review on the page; a manager may not")
    func reviewOnThePage() async throws {
        try await Harness.run { client, harness in
            var staff = try await Browser.signedIn(client, as: .staff)
            try await staff.get(client, "/use-of-force/new")
            var fields = try await Self.fields(harness, type: "01")
            fields.append(("proneJustification", "Fell forward; turned onto the side at once"))
            let location = try #require(try await staff.post(client, "/use-of-force/new", fields).location).components(separatedBy: "?")[0]
            var lead = try await Browser.signedIn(client, as: .restrictivePracticeLead)
            let page = try await lead.get(client, location)
            #expect(page.text.contains("Prone restraint") && page.text.contains("Record the review"))
            let empty = try await lead.post(client, location + "/review", [("note", " ")])
            #expect(empty.status == .badRequest && empty.text.contains("Enter what the review found"))
            let done = try await lead.post(client, location + "/review", [("note", "Unplanned; released within a minute")])
            #expect(done.status == .seeOther)
            #expect(try await lead.get(client, location).text.contains("Unplanned; released within a minute"))
            var manager = try await Browser.signedIn(client, as: .manager)
            try await manager.get(client, location)
            #expect(try await manager.post(client, location + "/review", [("note", "x")]).status == .forbidden)
            let corrected = try await manager.get(client, location + "/edit")
            #expect(corrected.status == .ok && corrected.text.contains(#"value="Lounge""#))
        }
    }

    @Test("An episode links to its incident and back; the form opened from an incident starts with its unit and reference")
    func incidentLink() async throws {
        try await Harness.run { client, harness in
            let api = try await APIClient.signedIn(client, as: .staff)
            let incident = try await IncidentCaseTests.report(api, harness)
            var staff = try await Browser.signedIn(client, as: .staff)
            let form = try await staff.get(client, "/use-of-force/new?incidentId=\(incident)")
            #expect(form.text.contains(#"value="\#(incident)""#))
            let unknown = try await api.call(.post, "/api/v1/use-of-force", json: try await UseOfForceAPITests.body(harness, ["incidentId": "no-such-report"]))
            #expect(unknown.status == .unprocessableContent && unknown.text.contains("incidentId"))
            let created = try await api.call(.post, "/api/v1/use-of-force", json: try await UseOfForceAPITests.body(harness, ["incidentId": incident]))
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(try created.json()["id"] as? String)
            var manager = try await Browser.signedIn(client, as: .manager)
            let report = try await manager.get(client, "/incidents/\(incident)")
            #expect(report.text.contains("/use-of-force/\(id)") && report.text.contains("Record a use of force for this incident"))
            let episode = try await manager.get(client, "/use-of-force/\(id)")
            #expect(episode.text.contains("/incidents/\(incident)"))
            #expect(try await APIClient.signedIn(client, as: .manager).call(.get, "/api/v1/use-of-force?incidentId=\(incident)").json()["total"] as? Int == 1)
        }
    }
}
