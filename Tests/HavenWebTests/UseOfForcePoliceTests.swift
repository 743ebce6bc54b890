import Foundation
import HavenCore
import HavenData
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Use of force: police body cameras and footage (s12)")
struct UseOfForcePoliceTests {
    static var police: [String: Any] { ["nonStaffInvolved": true, "nonStaffReason": "Police called: a weapon was reported"] }

    @Test("The API keeps what police cameras did and where the footage is, corrects it by PATCH, and audits which item changed")
    func recordAndCorrect() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let body = try await UseOfForceAPITests.body(harness, Self.police.merging([
                "policeBodyCameras": "on-in-part", "policeForce": "Metropolitan Police Service",
                "policeBodyCameraReason": "One officer's camera was knocked off in the hold", "footageReference": "MPS DEMS 4471",
            ]) { $1 })
            let created = try await staff.call(.post, "/api/v1/use-of-force", json: body)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(try created.json()["id"] as? String)
            let manager = try await APIClient.signedIn(client, as: .manager)
            let read = try await manager.call(.get, "/api/v1/use-of-force/\(id)").json()
            #expect(read["policeBodyCameras"] as? String == "on-in-part" && read["policeForce"] as? String == "Metropolitan Police Service")
            #expect(read["policeBodyCameraReason"] as? String == "One officer's camera was knocked off in the hold")
            #expect(read["footageReference"] as? String == "MPS DEMS 4471")

            let fixed = try await staff.call(.patch, "/api/v1/use-of-force/\(id)",
                                             json: #"{"policeBodyCameras":"on-throughout","policeBodyCameraReason":null,"footageReference":"MPS DEMS 4472"}"#)
            #expect(fixed.status == .ok, "\(fixed.text)")
            let after = try await manager.call(.get, "/api/v1/use-of-force/\(id)").json()
            #expect(after["policeBodyCameras"] as? String == "on-throughout" && after["policeBodyCameraReason"] == nil)
            #expect(after["footageReference"] as? String == "MPS DEMS 4472")
            let changes = try await harness.database.read { db in
                try await db.raw("SELECT changes FROM audit_events WHERE action = 'use-of-force.update' AND entity_id = \(bind: id)").first()?
                    .decode(column: "changes", as: String.self)
            }
            #expect(changes?.contains("policeBodyCameras footageReference") == true, "\(changes ?? "no audit")")
            #expect(changes?.contains("MPS DEMS") == false, "the audit names the items, not their values")

            // Saying no-one other than staff was involved, while the police still stand in the record, is refused by name.
            let contradicts = try await staff.call(.patch, "/api/v1/use-of-force/\(id)", json: #"{"nonStaffInvolved":false}"#)
            #expect(contradicts.status == .unprocessableContent && contradicts.text.contains("policeBodyCameras"), "\(contradicts.text)")
        }
    }

    @Test("Contradictory or incomplete police answers get a 422 naming the field, and save nothing")
    func badInput() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let cases: [([String: Any], String, String)] = [
                (["policeBodyCameras": "not-worn"], "policeBodyCameras", "police officers are not staff"),
                (Self.police.merging(["policeBodyCameras": "switched-off"]) { $1 }, "policeBodyCameras", "no-police, on-throughout"),
                (Self.police.merging(["policeBodyCameras": "not-worn"]) { $1 }, "policeBodyCameraReason", "say why the body cameras were not on"),
                (Self.police.merging(["policeBodyCameras": "on-in-part", "policeBodyCameraReason": "  "]) { $1 }, "policeBodyCameraReason", "not on throughout"),
                (["policeBodyCameras": "no-police", "policeForce": "Kent Police"], "policeForce", "only when police officers attended"),
                (["policeBodyCameraReason": "It was dark"], "policeBodyCameraReason", "only when police officers attended"),
                (["footageReference": String(repeating: "x", count: 201)], "footageReference", "200 characters or fewer"),
                (["footageReference": "clip\u{7}7"], "footageReference", "control characters"),
            ]
            for (changes, field, words) in cases {
                let response = try await staff.call(.post, "/api/v1/use-of-force", json: try await UseOfForceAPITests.body(harness, changes))
                #expect(response.status == .unprocessableContent, "\(changes): \(response.text)")
                let errors = (try response.json()["error"] as? [String: Any])?["fields"] as? [String: String]
                #expect(errors?[field]?.contains(words) == true, "\(changes): \(response.text)")
            }
            #expect(try await UseOfForceAPITests.recorded(harness) == 0)
            // A footage reference needs no police: the unit's own cameras have clips too.
            let own = try await staff.call(.post, "/api/v1/use-of-force", json: try await UseOfForceAPITests.body(harness, ["footageReference": "Ward BWC clip 0193"]))
            #expect(own.status == .created, "\(own.text)")
        }
    }

    @Test("On the form: the answer is a list that can be taken back, errors stand beside the field, and the record page shows it")
    func form() async throws {
        try await Harness.run { client, harness in
            var staff = try await Browser.signedIn(client, as: .staff)
            let page = try await staff.get(client, "/use-of-force/new")
            #expect(page.text.contains(#"<select class="select" id="policeBodyCameras" name="policeBodyCameras""#))
            #expect(page.text.contains(#"<option value="" selected>Not recorded</option>"#))
            let fields = try await UseOfForcePageTests.fields(harness).filter { $0.0 != "nonStaffInvolved" }
                + [("nonStaffInvolved", "yes"), ("nonStaffReason", "Police helped move the patient"), ("policeBodyCameras", "not-worn"),
                   ("footageReference", "Ward clip <7>")]
            let refused = try await staff.post(client, "/use-of-force/new", fields)
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains(##"href="#policeBodyCameraReason""##) && refused.text.contains("say why the body cameras were not on throughout"))
            #expect(refused.text.contains(#"<option value="not-worn" selected>"#), "the answer is kept")
            #expect(refused.text.contains("Ward clip &lt;7&gt;"), "the reference is kept, escaped")
            let saved = try await staff.post(client, "/use-of-force/new", fields + [("policeBodyCameraReason", "Officers came from a road incident without cameras")])
            #expect(saved.status == .seeOther, "\(saved.text.prefix(1500))")
            let record = try await staff.get(client, try #require(saved.location))
            #expect(record.text.contains("Police attended without body cameras") && record.text.contains("Officers came from a road incident without cameras"))
            #expect(record.text.contains("Ward clip &lt;7&gt;"))
        }
    }
}
