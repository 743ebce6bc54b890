import Foundation
import HavenCore
import HavenData
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Incident reports: the six-question report, idempotency, remit")
struct IncidentWebTests {
    static func body(unitId: String, occurredAt: String? = nil, description: String = "Punched in the arm during medication round", extra: String = "") -> String {
        let time = occurredAt.map { #","occurredAt":"\#($0)""# } ?? ""
        return #"{"type":"physical-assault","unitId":"\#(unitId)","area":"Day room","perpetrator":"patient-or-service-user","harm":"first-aid","description":"\#(description)"\#(time)\#(extra)}"#
    }

    @Test("A report through the API is saved once however often it is sent, and only its reporter and its unit's manager see it")
    func apiAndRemit() async throws {
        try await Harness.run { client, harness in
            let oak = try await harness.unit("OAK"), ed = try await harness.unit("ED")
            let staff = try await APIClient.signedIn(client, as: .staff)
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "phone-retry-1"]
            let first = try await staff.call(.post, "/api/v1/incidents", json: Self.body(unitId: oak.id), headers: key)
            #expect(first.status == .created)
            let firstJSON = try first.json()
            #expect(firstJSON["usWorkplaceViolenceType"] as? Int == 2 && firstJSON["status"] as? String == "reported")
            let repeatCall = try await staff.call(.post, "/api/v1/incidents", json: Self.body(unitId: oak.id), headers: key)
            #expect(repeatCall.status == .ok && repeatCall.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(try repeatCall.json()["id"] as? String == firstJSON["id"] as? String)
            let edReport = try await staff.call(.post, "/api/v1/incidents", json: Self.body(unitId: ed.id, description: "Shouted at in the waiting room"))
            #expect(edReport.status == .created)
            let mine = try await staff.call(.get, "/api/v1/incidents").json()
            #expect(mine["total"] as? Int == 2, "two records, not three")

            let manager = try await APIClient.signedIn(client, as: .manager)
            let managed = try await manager.call(.get, "/api/v1/incidents").json()
            #expect(managed["total"] as? Int == 1, "the manager of Oak and Ash sees the Oak report only")
            let edId = try #require(try edReport.json()["id"] as? String)
            #expect(try await manager.call(.get, "/api/v1/incidents/\(edId)").status == .notFound, "no hint that it exists")
            let trainer = try await APIClient.signedIn(client, as: .trainer)
            #expect(try await trainer.call(.get, "/api/v1/incidents").json()["total"] as? Int == 0)
            let lead = try await APIClient.signedIn(client, as: .safetyLead)
            #expect(try await lead.call(.get, "/api/v1/incidents?unitId=\(ed.id)").json()["total"] as? Int == 1)
            #expect(try await lead.call(.get, "/api/v1/incidents/\(edId)").status == .ok)
            let reads = try await AuditLog.list(harness.database, filter: .init(organisationId: oak.organisationId, action: "incident.read"))
            #expect(reads.count == 1, "opening a report is audited")
        }
    }

    @Test("Bad reports are refused naming each field, and nothing is saved")
    func badInput() async throws {
        try await Harness.run { client, harness in
            let oak = try await harness.unit("OAK")
            let api = try await APIClient.signedIn(client, as: .staff)
            let future = (harness.clock.now() + 600).iso8601
            let cases: [(String, String)] = [
                (Self.body(unitId: oak.id, occurredAt: future), "occurredAt"),
                (Self.body(unitId: oak.id, occurredAt: "yesterday"), "occurredAt"),
                (Self.body(unitId: "no-such-unit"), "unitId"),
                (Self.body(unitId: oak.id, description: String(repeating: "x", count: 20_001)), "description"),
                (Self.body(unitId: oak.id, extra: #","reporterRole":"bystander""#), "reporterRole"),
                (#"{"unitId":"\#(oak.id)"}"#, "type"),
            ]
            for (body, field) in cases {
                let response = try await api.call(.post, "/api/v1/incidents", json: body)
                #expect(response.status == .badRequest, "\(field)")
                let fields = try #require((try response.json()["error"] as? [String: Any])?["fields"] as? [String: String])
                #expect(fields[field] != nil, "\(field): \(fields)")
            }
            let missing = try await api.call(.post, "/api/v1/incidents", json: "{}")
            let fields = try #require((try missing.json()["error"] as? [String: Any])?["fields"] as? [String: String])
            #expect(Set(fields.keys) == ["type", "unitId", "area", "perpetrator", "harm", "description"], "each missing answer is named")
            #expect(try await api.call(.get, "/api/v1/incidents?type=bogus").status == .badRequest)
            #expect(try await api.call(.get, "/api/v1/incidents?from=2026-02-30").status == .badRequest)
            #expect(try await api.call(.get, "/api/v1/incidents").json()["total"] as? Int == 0)
        }
    }

    @Test("The page: six questions, a thank-you, errors beside the fields, and a double tap saves once")
    func page() async throws {
        try await Harness.run { client, harness in
            var staff = try await Browser.signedIn(client, as: .staff)
            let form = try await staff.get(client, "/incidents/new")
            let submission = try #require(form.text.firstMatch(of: /name="submission" value="([^"]+)"/)?.1)
            let oak = try await harness.unit("OAK")
            #expect(form.text.contains("value=\"\(oak.id)\" selected"), "the reporter's own unit is chosen already")
            let empty = try await staff.post(client, "/incidents/new", [("submission", String(submission))])
            #expect(empty.status == .badRequest && empty.text.contains("Choose what happened") && empty.text.contains("Choose who did it"))
            let answers = [("submission", String(submission)), ("type", "verbal-abuse"), ("unitId", oak.id), ("area", "Corridor"),
                           ("perpetrator", "relative-or-visitor"), ("harm", "none"), ("description", "Called names at the door"), ("date", ""), ("time", "")]
            let sent = try await staff.post(client, "/incidents/new", answers)
            #expect(sent.status == .seeOther)
            let again = try await staff.post(client, "/incidents/new", answers)
            #expect(again.location == sent.location, "the same report, not a second one")
            let shown = try await staff.get(client, try #require(sent.location))
            #expect(shown.text.contains("Thank you. Your report is saved.") && shown.text.contains("Called names at the door"))
            let list = try await staff.get(client, "/incidents")
            #expect(list.text.contains("1 in all"))
            var trainer = try await Browser.signedIn(client, as: .trainer)
            let id = try #require(sent.location?.split(separator: "?").first.map(String.init))
            #expect(try await trainer.get(client, id).status == .notFound)
        }
    }
}

@Suite("Incident export")
struct IncidentExportTests {
    @Test("CSV and JSON Lines stream every report in the viewer's remit, across pages, with formulas defused")
    func export() async throws {
        try await Harness.run { client, harness in
            let oak = try await harness.unit("OAK"), ed = try await harness.unit("ED")
            let staff = try await harness.user(.staff)
            let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            let identity = Identity(user: staff, organisation: organisation, session: nil)
            let start = harness.clock.now() - 86_400 * 30
            // 1,050 reports on Oak (more than one page of 1,000) and 5 on the ED, outside the manager's remit.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<1055 {
                    group.addTask {
                        let unit = index < 1050 ? oak : ed
                        let answers = IncidentInput.Answers(type: "threat", occurredAt: start + Double(index) * 60, unitId: unit.id, area: "Ward",
                                                            perpetrator: "patient-or-service-user", harm: "none",
                                                            description: index == 0 ? "=HYPERLINK(\"http://evil\"), said \"go\"" : "Threatened at handover",
                                                            reporterRole: nil)
                        let report = try IncidentInput.report(answers, units: [oak, ed], identity: identity, now: harness.clock.now())
                        _ = try await harness.environment.incidents.create(report, timeZone: .gmt, idempotencyKey: nil,
                                                                           origin: Origin(organisationId: organisation.id, actorId: staff.id))
                    }
                }
                try await group.waitForAll()
            }
            let manager = try await APIClient.signedIn(client, as: .manager)
            let csv = try await manager.call(.get, "/api/v1/incidents/export?format=csv")
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = csv.text.split(separator: "\r\n")
            #expect(lines.count == 1 + 1050, "a header and every Oak report, none from the ED")
            #expect(csv.text.contains("\"'=HYPERLINK(\"\"http://evil\"\"), said \"\"go\"\"\""), "quoted, and the formula defused")
            let ids = Set(lines.dropFirst().map { $0.split(separator: ",")[0] })
            #expect(ids.count == 1050, "no report twice across pages")
            let lead = try await APIClient.signedIn(client, as: .safetyLead)
            let jsonl = try await lead.call(.get, "/api/v1/incidents/export?format=jsonl&unitId=\(ed.id)")
            #expect(jsonl.text.split(separator: "\n").count == 5)
            #expect(try await lead.call(.get, "/api/v1/incidents/export?format=pdf").status == .badRequest)
            let trainer = try await APIClient.signedIn(client, as: .trainer)
            #expect(try await trainer.call(.get, "/api/v1/incidents/export").text == IncidentExport.csvHeader, "nothing outside their remit")
        }
    }
}
