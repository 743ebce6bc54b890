import Foundation
import HavenCore
import HavenData
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Finding incidents: search and filters on the page and through the API")
struct IncidentSearchWebTests {
    static func q(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    static func report(_ api: APIClient, unit: CareUnit, description: String, type: String = "physical-assault", harm: String = "none",
                       perpetrator: String = "patient-or-service-user") async throws -> String {
        let body = #"{"type":"\#(type)","unitId":"\#(unit.id)","area":"Corridor","perpetrator":"\#(perpetrator)","harm":"\#(harm)","description":"\#(description)"}"#
        let response = try await api.call(.post, "/api/v1/incidents", json: body)
        #expect(response.status == .created)
        return try #require(try response.json()["id"] as? String)
    }

    static func fields(_ response: TestResponse) throws -> [String: String] {
        try #require((try response.json()["error"] as? [String: Any])?["fields"] as? [String: String])
    }

    @Test("The API searches descriptions within the remit, combines q with the other filters, and refuses a bad q or date naming it")
    func api() async throws {
        try await Harness.run { client, harness in
            let oak = try await harness.unit("OAK"), ed = try await harness.unit("ED")
            let staff = try await APIClient.signedIn(client, as: .staff)
            try await Self.report(staff, unit: oak, description: "Kicked in the shin during the medication round", harm: "minor")
            try await Self.report(staff, unit: oak, description: "Shouted at by a relative at visiting time", type: "verbal-abuse")
            try await Self.report(staff, unit: ed, description: "Kicked by a man waiting for an X-ray")

            let manager = try await APIClient.signedIn(client, as: .manager)
            let kicked = try await manager.call(.get, "/api/v1/incidents?q=kicked").json()
            #expect(kicked["total"] as? Int == 1 && kicked["totalIsCapped"] as? Bool == false, "the ED report is outside the manager's remit")
            #expect(try await manager.call(.get, "/api/v1/incidents?q=\(Self.q("x-ray"))").json()["total"] as? Int == 0)
            #expect(try await manager.call(.get, "/api/v1/incidents?q=\(Self.q("x-ray"))&unitId=\(ed.id)").json()["total"] as? Int == 0)
            let lead = try await APIClient.signedIn(client, as: .safetyLead)
            #expect(try await lead.call(.get, "/api/v1/incidents?q=kicked").json()["total"] as? Int == 2)
            #expect(try await lead.call(.get, "/api/v1/incidents?q=medicat").json()["total"] as? Int == 1, "the last word is a prefix")
            #expect(try await lead.call(.get, "/api/v1/incidents?q=kicked&harm=minor&unitId=\(oak.id)").json()["total"] as? Int == 1)
            #expect(try await lead.call(.get, "/api/v1/incidents?q=kicked&type=verbal-abuse").json()["total"] as? Int == 0)

            for hostile in ["\"", "kicked*", "-kicked", "NEAR(kicked shin)", "kicked:*", "a & b", "!kicked", "((", "'", "😀", "%25", "OR"] {
                let response = try await lead.call(.get, "/api/v1/incidents?q=\(Self.q(hostile))")
                #expect(response.status == .ok, "\(hostile) answered \(response.status)")
            }
            #expect(try await lead.call(.get, "/api/v1/incidents?q=\(Self.q("-kicked"))").json()["total"] as? Int == 2, "a minus is not NOT")

            for (path, field) in [("/api/v1/incidents?q=", "q"), ("/api/v1/incidents?q=\(String(repeating: "a", count: 201))", "q"),
                                  ("/api/v1/incidents?from=2026-13-01", "from"), ("/api/v1/incidents?to=soon", "to"),
                                  ("/api/v1/incidents?from=2026-03-02&to=2026-03-01", "to"),
                                  ("/api/v1/incidents/export?q=\(String(repeating: "b", count: 201))", "q")] {
                let response = try await lead.call(.get, path)
                #expect(response.status == .badRequest, "\(path)")
                #expect(try Self.fields(response)[field] != nil, "\(path) names \(field)")
            }
            #expect(try await lead.call(.get, "/api/v1/incidents?q=\(String(repeating: "a", count: 200))").status == .ok)

            let csv = try await manager.call(.get, "/api/v1/incidents/export?format=csv&q=kicked")
            #expect(csv.text.split(separator: "\r\n").count == 2, "a header and the one Oak report that says kicked")

            // A staff-on-staff case is confidential to HR: its words find it for HR and its reporter, never for the unit's manager.
            try await Self.report(staff, unit: oak, description: "Belittled by a colleague in the office", type: "verbal-abuse", perpetrator: "colleague")
            #expect(try await manager.call(.get, "/api/v1/incidents?q=belittled").json()["total"] as? Int == 0)
            #expect(try await manager.call(.get, "/api/v1/incidents?q=belittled&unitId=\(oak.id)").json()["total"] as? Int == 0)
            #expect(try await lead.call(.get, "/api/v1/incidents?q=belittled").json()["total"] as? Int == 0)
            let hr = try await APIClient.signedIn(client, as: .hrCaseHandler)
            #expect(try await hr.call(.get, "/api/v1/incidents?q=belittled").json()["total"] as? Int == 1)
            #expect(try await staff.call(.get, "/api/v1/incidents?q=belittled").json()["total"] as? Int == 1)
        }
    }

    @Test("The page: a GET form that keeps its values, pages of 50 with the filters in the links, errors beside bad dates, and an export link")
    func page() async throws {
        try await Harness.run { client, harness in
            let oak = try await harness.unit("OAK"), ed = try await harness.unit("ED")
            let staffAPI = try await APIClient.signedIn(client, as: .staff)
            for index in 1...55 {
                try await Self.report(staffAPI, unit: oak, description: "Slapped at handover, report \(index)")
            }
            try await Self.report(staffAPI, unit: oak, description: "Bitten on the hand")
            try await Self.report(staffAPI, unit: ed, description: "Slapped in the waiting area")

            var manager = try await Browser.signedIn(client, as: .manager)
            let first = try await manager.get(client, "/incidents?q=slapped&unitId=&type=&mine=")
            #expect(first.status == .ok)
            #expect(first.text.contains("Showing 1–50 of 55"), "the ED report is outside the remit")
            #expect(first.text.contains(#"value="slapped""#), "the search box keeps what was typed")
            let spaced = try await manager.get(client, "/incidents?q=slapped+handover")
            #expect(spaced.text.contains(#"value="slapped handover""#) && spaced.text.contains("Showing 1–50 of 55"), "a form writes a space as +")
            #expect(first.text.contains("<legend>Find reports</legend>") && first.text.contains(#"<label class="label" for="q">"#))
            let next = try #require(first.text.firstMatch(of: /href="([^"]+)" rel="next"/)?.1).replacingOccurrences(of: "&amp;", with: "&")
            #expect(next == "/incidents?q=slapped&page=2", "empty fields are left out of links, the search is kept")
            let second = try await manager.get(client, next)
            #expect(second.text.contains("Showing 51–55 of 55") && second.text.contains(#"rel="prev""#) && !second.text.contains(#"rel="next""#))
            #expect(first.text.contains(#"<option value="\#(oak.id)""#) && !first.text.contains(#"<option value="\#(ed.id)""#),
                    "only units in the manager's remit are offered")
            let export = try #require(first.text.firstMatch(of: /href="(\/incidents\/export\?[^"]+)"/)?.1).replacingOccurrences(of: "&amp;", with: "&")
            #expect(export.contains("q=slapped") && export.contains("format=csv"))
            let csv = try await manager.get(client, export)
            #expect(csv.status == .ok && csv.text.split(separator: "\r\n").count == 56, "the export carries the filters")

            let bad = try await manager.get(client, "/incidents?from=2026-02-30&to=tomorrow&q=bitten")
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("There is a problem") && bad.text.contains(#"id="from-error""#) && bad.text.contains(#"id="to-error""#))
            #expect(bad.text.contains("From date must be a real date") && bad.text.contains(#"value="2026-02-30""#), "the value typed is kept")
            #expect(try await manager.get(client, "/incidents?q=\(String(repeating: "z", count: 201))").status == .badRequest)
            #expect(try await manager.get(client, "/incidents?page=abc&q=%22%2A").status == .ok, "nonsense gives a page, never a 500")

            var staff = try await Browser.signedIn(client, as: .staff)
            let own = try await staff.get(client, "/incidents?q=bitten")
            #expect(own.text.contains("Showing 1–1 of 1"))
            #expect(!own.text.contains("/incidents/export") && !own.text.contains(#"id="unitId""#), "no export or unit choice for someone who sees only their own")
        }
    }
}
