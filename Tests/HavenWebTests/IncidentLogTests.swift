import Foundation
import HavenCore
import HavenData
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The violent incident log: required columns, no personal identifiers, each viewer's remit")
struct IncidentLogTests {
    /// Reports an incident through the API as staff and adds the §15 A detail the way the case workflow will store it.
    static func report(_ client: any TestClientProtocol, _ harness: Harness, unitId: String, description: String,
                       detail: IncidentDetail = IncidentDetail()) async throws -> String {
        let staff = try await APIClient.signedIn(client, as: .staff)
        let response = try await staff.call(.post, "/api/v1/incidents", json: IncidentWebTests.body(unitId: unitId, description: description))
        #expect(response.status == .created)
        let id = try #require(try response.json()["id"] as? String)
        let json = String(decoding: try JSONEncoder().encode(detail), as: UTF8.self)
        try await harness.database.write { db in try await db.raw("UPDATE incidents SET detail = \(bind: json) WHERE id = \(bind: id)").run() }
        return id
    }

    static var identifyingDetail: IncidentDetail {
        var detail = IncidentDetail()
        detail.patientIdentifier = "RX-88412"
        detail.witnesses = "Dana Whitfield, Olu Adeyemi"
        detail.police = .init(attended: true, crimeReference: "CR/2026/55231", outcome: "Caution")
        detail.circumstances = [.loneWorking, .lowStaffing]
        detail.characteristics = [.physicalAttack, .weapon]
        detail.weapon = "A chair"
        detail.injuries = "Bruised forearm"
        detail.bodyParts = [.arm]
        detail.actionsTaken = "Patient moved to a quieter room; Dana Whitfield stayed with the nurse"
        detail.completedByName = "Alex Morgan"
        detail.completedByJobTitle = "Ward manager"
        detail.completedOn = "2026-11-20"
        return detail
    }

    static let identifyingDescription = "Patient RX-88412 threw a chair. Whitfield saw it. Family on 07700 900123, jo.bloggs@example.org. Ref CR/2026/55231."

    @Test("The CSV and JSON Lines logs carry the columns the law lists and none of the identifiers, and the export is audited")
    func columnsAndRedaction() async throws {
        try await Harness.run { client, harness in
            let oak = try await harness.unit("OAK")
            let id = try await Self.report(client, harness, unitId: oak.id, description: Self.identifyingDescription, detail: Self.identifyingDetail)
            let staffUser = try await harness.user(.staff)
            let lead = try await APIClient.signedIn(client, as: .safetyLead)

            let csv = try await lead.call(.get, "/api/v1/incidents/log?format=csv")
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = csv.text.split(separator: "\r\n").map(String.init)
            #expect(lines.count == 2)
            #expect(lines[0] == "date,time,time_zone,site,unit,specific_area,violence_type,perpetrator_classification,incident_type,description,"
                    + "circumstances,characteristics,weapon,contributing_factors,harm,injuries,body_parts,police_attended,actions_taken,"
                    + "completed_by_name,completed_by_job_title,completed_on")
            for expected in ["Riverside General Hospital", "Oak Ward (acute mental health)", "Day room", ",2,", "Patient or service user",
                             "Physical assault", "threw a chair", "Working alone; Low staffing", "Physical attack; A weapon or object used",
                             "First aid given", "Bruised forearm", "Arm", "yes", "Alex Morgan", "Ward manager", "2026-11-20", "Europe/London"] {
                #expect(lines[1].contains(expected), "\(expected) missing from \(lines[1])")
            }
            let identifiers = ["RX-88412", "Dana", "Whitfield", "Olu Adeyemi", "CR/2026/55231", "07700 900123", "jo.bloggs@example.org",
                               "example.org", staffUser.id, staffUser.name, id]
            for identifier in identifiers {
                #expect(!csv.text.contains(identifier), "\(identifier) is in the log")
            }

            let jsonl = try await lead.call(.get, "/api/v1/incidents/log?format=jsonl")
            #expect(jsonl.status == .ok && jsonl.headers[.contentType] == "application/x-ndjson")
            let entry = try #require(try JSONSerialization.jsonObject(with: Data(jsonl.text.split(separator: "\n")[0].utf8)) as? [String: Any])
            #expect(Set(entry.keys) == ["date", "time", "timeZone", "site", "unit", "specificArea", "violenceType", "perpetratorClassification",
                                        "incidentType", "description", "circumstances", "characteristics", "weapon", "contributingFactors", "harm",
                                        "injuries", "bodyParts", "policeAttended", "actionsTaken", "completedByName", "completedByJobTitle", "completedOn"])
            #expect(entry["violenceType"] as? Int == 2 && entry["policeAttended"] as? Bool == true)
            for identifier in identifiers { #expect(!jsonl.text.contains(identifier), "\(identifier) is in the JSON Lines log") }

            let exports = try await AuditLog.list(harness.database, filter: .init(organisationId: oak.organisationId, action: "incident.log-export"))
            #expect(exports.count == 2)
        }
    }

    @Test("A manager's log holds only their units; the partnership representative gets the whole organisation; staff are refused")
    func scope() async throws {
        try await Harness.run { client, harness in
            let oak = try await harness.unit("OAK"), ed = try await harness.unit("ED")
            _ = try await Self.report(client, harness, unitId: oak.id, description: "Oak incident")
            _ = try await Self.report(client, harness, unitId: ed.id, description: "Emergency department incident")

            let manager = try await APIClient.signedIn(client, as: .manager)
            let own = try await manager.call(.get, "/api/v1/incidents/log?format=csv").text
            #expect(own.contains("Oak incident") && !own.contains("Emergency department incident"), "Priya manages Oak and Ash, not ED")
            let asked = try await manager.call(.get, "/api/v1/incidents/log?format=csv&unitId=\(ed.id)")
            #expect(asked.status == .badRequest, "a unit outside the remit is refused, not quietly emptied")

            let rep = try await APIClient.signedIn(client, as: .partnershipRep)
            let all = try await rep.call(.get, "/api/v1/incidents/log?format=csv").text
            #expect(all.contains("Oak incident") && all.contains("Emergency department incident"))
            let oakOnly = try await rep.call(.get, "/api/v1/incidents/log?format=csv&unitId=\(oak.id)").text
            #expect(oakOnly.contains("Oak incident") && !oakOnly.contains("Emergency department"))
            let today = harness.clock.now().iso8601.prefix(10)
            #expect(try await rep.call(.get, "/api/v1/incidents/log?format=csv&to=2020-01-01").text.split(separator: "\r\n").count == 1, "header only")
            #expect(try await rep.call(.get, "/api/v1/incidents/log?format=csv&from=\(today)&to=\(today)").text.contains("Oak incident"))

            let staff = try await APIClient.signedIn(client, as: .staff)
            #expect(try await staff.call(.get, "/api/v1/incidents/log").status == .forbidden, "staff use the ordinary export of their own reports")
            for bad in ["format=xml", "from=2026-02-30", "from=2026-11-20&to=2026-11-01", "unitId=nope"] {
                #expect(try await rep.call(.get, "/api/v1/incidents/log?\(bad)").status == .badRequest, "\(bad)")
            }
        }
    }

    @Test("The page: linked from the home page for the roles that may export it, a form, errors beside the fields, the file")
    func page() async throws {
        try await Harness.run { client, harness in
            let oak = try await harness.unit("OAK")
            _ = try await Self.report(client, harness, unitId: oak.id, description: "Shoved at handover")
            var rep = try await Browser.signedIn(client, as: .partnershipRep)
            #expect(try await rep.get(client, "/").text.contains("href=\"/incidents/log\""))
            let form = try await rep.get(client, "/incidents/log")
            #expect(form.status == .ok && form.text.contains("Violent incident log") && form.text.contains("name=\"from\""))
            let wrong = try await rep.get(client, "/incidents/log?from=2026-13-01&to=&unitId=&format=csv")
            #expect(wrong.status == .badRequest && wrong.text.contains("href=\"#from\"") && wrong.text.contains("must be a real date"))
            let hostile = Browser.encode("2026\(EscapingTests.quoteWithAccent) onfocus=alert(1)")
            let escaped = try await rep.get(client, "/incidents/log?from=\(hostile)&format=csv")
            #expect(escaped.status == .badRequest && !escaped.text.contains(EscapingTests.quoteWithAccent) && escaped.text.contains("&quot;\u{0301}"))
            let file = try await rep.get(client, "/incidents/log?from=&to=&unitId=&format=csv")
            #expect(file.status == .ok && file.headers[.contentDisposition]?.contains("violent-incident-log.csv") == true)
            #expect(file.text.contains("Shoved at handover"))
            var staff = try await Browser.signedIn(client, as: .staff)
            #expect(!(try await staff.get(client, "/").text.contains("href=\"/incidents/log\"")))
            #expect(try await staff.get(client, "/incidents/log").status == .forbidden)
        }
    }
}
