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

@Suite("Use of force: reduction analytics, populations and exports")
struct UseOfForceAnalyticsWebTests {
    /// Two supine holds on OAK (Black African patient, then White British), 400 bed days this month, and OAK's patients.
    static func seed(_ client: any TestClientProtocol, _ harness: Harness) async throws -> (month: String, oak: CareUnit) {
        let staff = try await APIClient.signedIn(client, as: .staff)
        let now = harness.clock.now()
        #expect(try await staff.call(.post, "/api/v1/use-of-force", json: try await UseOfForceAPITests.body(harness)).status == .created)
        let second: [String: Any] = ["patientLocalId": "OAK-0043", "characteristics": ["ethnicity": "A", "sex": "female"],
                                     "interventions": [["type": "01", "startedAt": (now - 2000).iso8601, "endedAt": (now - 1300).iso8601, "plannedInCarePlan": false]],
                                     "proneJustification": "Fell forward; turned within a minute"]
        #expect(try await staff.call(.post, "/api/v1/use-of-force", json: try await UseOfForceAPITests.body(harness, second)).status == .created)
        let month = CalendarMonth(now, in: TimeZone(identifier: "Europe/London")!).description
        let oak = try await harness.unit("OAK")
        let admin = try await APIClient.signedIn(client, as: .admin)
        #expect(try await admin.call(.put, "/api/v1/units/\(oak.id)/activity/\(month)", json: #"{"occupiedBedDays":400}"#).status == .ok)
        let lead = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
        let population = try await lead.call(.put, "/api/v1/use-of-force/populations", json: """
            {"unitId":"\(oak.id)","from":"\(month)","to":"\(month)","patients":{"ethnicity":{"N":10,"A":30,"not-known":4}}}
            """)
        #expect(population.status == .ok, "\(population.text)")
        return (month, oak)
    }

    @Test("Statistics give restraints per 1,000 bed days, prone, minutes and the ratio against the population, with no personal data")
    func statistics() async throws {
        try await Harness.run { client, harness in
            let (month, oak) = try await Self.seed(client, harness)
            let executive = try await APIClient.signedIn(client, as: .executive)
            let response = try await executive.call(.get, "/api/v1/use-of-force/statistics?from=\(month)&to=\(month)&unitId=\(oak.id)")
            #expect(response.status == .ok, "\(response.text)")
            let json = try response.json()
            let totals = try #require(json["totals"] as? [String: Any])
            #expect(totals["restraints"] as? Int == 2 && totals["prone"] as? Int == 1 && totals["proneTenMinutes"] as? Int == 1)
            #expect(totals["occupiedBedDays"] as? Int == 400 && totals["restraintsPer1000BedDays"] as? Double == 5)
            let minutes = try #require(totals["restraintMinutes"] as? [String: Any])
            #expect(minutes["median"] as? Double == 8.5 && minutes["maximum"] as? Int == 12, "5 and 12 minutes (700 seconds rounds to 12)")
            let ethnicity = try #require((json["characteristics"] as? [[String: Any]])?.first { $0["characteristic"] as? String == "ethnicity" })
            let black = try #require((ethnicity["values"] as? [[String: Any]])?.first { $0["value"] as? String == "N" })
            // 1 of 2 episodes against 10 of 40 known patients: 0.5 ÷ 0.25 = 2.
            #expect(black["episodeRatio"] as? Double == 2 && black["patients"] as? Int == 10)
            // Median and longest restraint by value: the Black African patient's 5-minute hold, the White British patient's 12.
            #expect(black["restraintMinutesMedian"] as? Double == 5 && black["restraintMinutesMaximum"] as? Int == 5)
            let white = try #require((ethnicity["values"] as? [[String: Any]])?.first { $0["value"] as? String == "A" })
            #expect(white["restraintMinutesMedian"] as? Double == 12 && white["restraintMinutesMaximum"] as? Int == 12)
            for secret in ["OAK-0042", "OAK-0043", "Alex Doe", "9434765919", "Sam Okafor", "Hitting another patient"] {
                #expect(!response.text.contains(secret), "statistics must not carry \(secret)")
            }
            // A manager sees their unit's figures; a partnership representative sees the same aggregates.
            let manager = try await APIClient.signedIn(client, as: .manager)
            #expect(try await manager.call(.get, "/api/v1/use-of-force/statistics?unitId=\(oak.id)").status == .ok)
            let rep = try await APIClient.signedIn(client, as: .partnershipRep)
            #expect(try await rep.call(.get, "/api/v1/use-of-force/statistics").status == .ok)
            #expect(try await APIClient.signedIn(client, as: .staff).call(.get, "/api/v1/use-of-force/statistics").status == .forbidden)
        }
    }

    /// A path, who asks, the status and the field the error must name.
    static let badInputs: [(String, Role, Int, String)] = [
        ("/api/v1/use-of-force/statistics?from=2026-13", .executive, 400, "from"),
        ("/api/v1/use-of-force/statistics?from=2026-05&to=2026-04", .executive, 400, "to"),
        ("/api/v1/use-of-force/statistics?from=2000-01&to=2026-04", .executive, 400, "to"),
        ("/api/v1/use-of-force/statistics?to=2026-4-1", .executive, 400, "to"),
        ("/api/v1/use-of-force/statistics?unitId=nowhere", .executive, 400, "unitId"),
        ("/api/v1/use-of-force/statistics?unitId=ED", .manager, 403, "unitId"),
        ("/api/v1/use-of-force/export?format=xml", .manager, 400, "format"),
        ("/api/v1/use-of-force/export?from=2026-05-02&to=2026-05-01", .manager, 400, "to"),
        ("/api/v1/use-of-force/export?unitId=ED", .manager, 403, "unitId"),
        ("/api/v1/use-of-force/export/anonymised?format=mhsds-csv", .partnershipRep, 400, "format"),
        ("/api/v1/use-of-force/export/anonymised?colour=red", .partnershipRep, 400, "colour"),
        ("/api/v1/use-of-force/populations?unitId=nowhere", .restrictivePracticeLead, 400, "unitId"),
    ]

    @Test("Bad months, ranges, units, formats and population counts get a 4xx naming the field, never a 500")
    func badInput() async throws {
        try await Harness.run { client, harness in
            let ed = try await harness.unit("ED"), oak = try await harness.unit("OAK")
            for (path, role, status, field) in Self.badInputs {
                let api = try await APIClient.signedIn(client, as: role)
                let response = try await api.call(.get, path.replacingOccurrences(of: "unitId=ED", with: "unitId=\(ed.id)"))
                #expect(response.status.code == status, "\(path): \(response.text)")
                let fields = (try response.json()["error"] as? [String: Any])?["fields"] as? [String: String]
                #expect(fields?[field] != nil, "\(path) should name \(field): \(response.text)")
            }
            let lead = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
            let bodies: [(String, Int, String)] = [
                (#"{"unitId":"\#(oak.id)","from":"2026-04","to":"2027-03","patients":{"ethnicity":{"Z":3}}}"#, 400, "patients.ethnicity.Z"),
                (#"{"unitId":"\#(oak.id)","from":"2026-04","to":"2027-03","patients":{"ethnicity":{"A":-1}}}"#, 400, "patients.ethnicity.A"),
                (#"{"unitId":"\#(oak.id)","from":"2026-04","to":"2027-03","patients":{"eyeColour":{"A":1}}}"#, 400, "patients.eyeColour"),
                (#"{"unitId":"\#(oak.id)","from":"2026-04","to":"2026-03","patients":{"ethnicity":{"A":1}}}"#, 400, "to"),
                (#"{"unitId":"\#(oak.id)","from":"April","to":"2026-03","patients":{"ethnicity":{"A":1}}}"#, 400, "from"),
                (#"{"unitId":"nowhere","from":"2026-04","to":"2027-03","patients":{"ethnicity":{"A":1}}}"#, 400, "unitId"),
                (#"{"unitId":"\#(oak.id)","from":"2026-04","to":"2027-03"}"#, 400, "patients"),
            ]
            for (body, status, field) in bodies {
                let response = try await lead.call(.put, "/api/v1/use-of-force/populations", json: body)
                #expect(response.status.code == status, "\(body): \(response.text)")
                #expect(((try response.json()["error"] as? [String: Any])?["fields"] as? [String: String])?[field] != nil, "\(body): \(response.text)")
            }
            #expect(try await harness.environment.useOfForce.store.populations(organisationId: oak.organisationId, unitIds: nil).isEmpty)
            let first = #"{"unitId":"\#(oak.id)","from":"2026-04","to":"2027-03","patients":{"ethnicity":{"A":1}}}"#
            #expect(try await lead.call(.put, "/api/v1/use-of-force/populations", json: first).status == .ok)
            let clash = try await lead.call(.put, "/api/v1/use-of-force/populations", json: first.replacingOccurrences(of: "\"2026-04\"", with: "\"2026-10\""))
            #expect(clash.status == .conflict && clash.text.contains("\"from\""))
            let manager = try await APIClient.signedIn(client, as: .manager)
            #expect(try await manager.call(.put, "/api/v1/use-of-force/populations", json: first.replacingOccurrences(of: oak.id, with: ed.id)).status == .forbidden)
        }
    }

    @Test("The analytics page draws SVG charts with tables beside them, keeps a bad month beside its field, and stays in the remit")
    func page() async throws {
        try await Harness.run { client, harness in
            let (month, oak) = try await Self.seed(client, harness)
            var lead = try await Browser.signedIn(client, as: .restrictivePracticeLead)
            let page = try await lead.get(client, "/use-of-force/analytics?from=\(month)&to=\(month)")
            #expect(page.status == .ok)
            #expect(page.text.contains("<svg") && page.text.contains("role=\"img\"") && page.text.contains("<title id=\"rate-chart-title\">"))
            #expect(page.text.contains("<caption>Restraints per 1,000 occupied bed days, by month</caption>"))
            #expect(page.text.contains("<th scope=\"row\">Black or Black British: African</th><td>1</td><td>50.0%</td><td>10</td><td>25.0%</td><td>2</td>"))
            #expect(page.text.contains("1 = in proportion") && page.text.contains("/use-of-force/export/anonymised?format=csv"))
            #expect(!page.text.contains("OAK-0042") && !page.text.contains("Alex Doe"))
            let bad = try await lead.get(client, "/use-of-force/analytics?from=2026-13")
            #expect(bad.status == .badRequest && bad.text.contains("from must be a month as YYYY-MM"))
            var manager = try await Browser.signedIn(client, as: .manager)
            #expect(try await manager.get(client, "/use-of-force/analytics?unitId=\(oak.id)").status == .ok)
            let ed = try await harness.unit("ED")
            #expect(try await manager.get(client, "/use-of-force/analytics?unitId=\(ed.id)").status == .forbidden)
            var staff = try await Browser.signedIn(client, as: .staff)
            #expect(try await staff.get(client, "/use-of-force/analytics").status == .forbidden)

            // The population form saves through the page and the ratio follows it.
            try await manager.get(client, "/use-of-force/population")
            let saved = try await manager.post(client, "/use-of-force/population", [
                ("unitId", oak.id), ("from", month), ("to", month), ("patients.ethnicity.N", "20"), ("patients.ethnicity.A", "20")])
            #expect(saved.status == .seeOther)
            let after = try await lead.get(client, "/use-of-force/analytics?from=\(month)&to=\(month)")
            #expect(after.text.contains("<th scope=\"row\">Black or Black British: African</th><td>1</td><td>50.0%</td><td>20</td><td>50.0%</td><td>1</td>"))
            try await manager.get(client, "/use-of-force/population")
            let wrong = try await manager.post(client, "/use-of-force/population", [("unitId", oak.id), ("from", month), ("to", month), ("patients.ethnicity.N", "many")])
            #expect(wrong.status == .badRequest && wrong.text.contains("Enter a whole number of patients"))
        }
    }

    @Test("Exports: MHSDS rows with the local identifier and no name; the anonymised file has no identifier, name, staff or free text; audited")
    func exports() async throws {
        try await Harness.run { client, harness in
            _ = try await Self.seed(client, harness)
            let manager = try await APIClient.signedIn(client, as: .manager)
            let mhsds = try await manager.call(.get, "/api/v1/use-of-force/export?format=mhsds-csv")
            #expect(mhsds.status == .ok && mhsds.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = mhsds.text.split(separator: "\r\n")
            #expect(lines.count == 3 && lines[0].hasPrefix("LocalPatientId,RestrictiveIntIncID,RestrictiveIntType"))
            #expect(lines.contains { $0.hasPrefix("OAK-0042,") && $0.contains(",09,") } && lines.contains { $0.hasPrefix("OAK-0043,") && $0.contains(",01,") })
            #expect(!mhsds.text.contains("Alex Doe") && !mhsds.text.contains("9434765919"))
            let jsonl = try await manager.call(.get, "/api/v1/use-of-force/export?format=jsonl")
            #expect(jsonl.status == .ok && jsonl.text.split(separator: "\n").count == 2 && jsonl.text.contains("\"patientLocalId\":\"OAK-0042\""))

            let rep = try await APIClient.signedIn(client, as: .partnershipRep)
            #expect(try await rep.call(.get, "/api/v1/use-of-force/export?format=csv").status == .forbidden, "records are not for representatives")
            for format in ["csv", "jsonl"] {
                let anonymised = try await rep.call(.get, "/api/v1/use-of-force/export/anonymised?format=\(format)")
                #expect(anonymised.status == .ok)
                for secret in ["OAK-0042", "OAK-0043", "Alex Doe", "9434765919", "Sam Okafor", "Staff nurse", "Hitting", "Lounge", "Talking down", "Fell forward"] {
                    #expect(!anonymised.text.contains(secret), "\(format) must not carry \(secret)")
                }
            }
            let csv = try await rep.call(.get, "/api/v1/use-of-force/export/anonymised?format=csv")
            // One Black African patient on the unit that month: the value is suppressed (UseOfForceSmallNumbersTests has more).
            #expect(csv.text.split(separator: "\r\n").count == 3 && csv.text.contains(",01,") && !csv.text.contains(",N,") && csv.text.contains(",*,"))
            var browser = try await Browser.signedIn(client, as: .manager)
            #expect(try await browser.get(client, "/use-of-force/export?format=mhsds-csv").text.hasPrefix("LocalPatientId"))
            let audited = try await harness.database.read { db in
                try await db.raw("SELECT action FROM audit_events WHERE action LIKE 'use-of-force.export%'").all().map { try $0.decode(column: "action", as: String.self) }
            }
            #expect(audited.filter { $0 == "use-of-force.export" }.count == 3 && audited.filter { $0 == "use-of-force.export-anonymised" }.count == 3)
        }
    }
}

@Suite("Use of force: download and analytics links")
struct UseOfForceLinkTests {
    @Test("The list offers downloads with its filters to readers of records; representatives reach the analytics from the navigation")
    func links() async throws {
        try await Harness.run { client, harness in
            let oak = try await harness.unit("OAK")
            var manager = try await Browser.signedIn(client, as: .manager)
            let list = try await manager.get(client, "/use-of-force?unitId=\(oak.id)&from=2026-01-01")
            #expect(list.text.contains("/use-of-force/export?format=mhsds-csv&amp;unitId=\(oak.id)&amp;from=2026-01-01")
                    || list.text.contains("/use-of-force/export?format=mhsds-csv&unitId=\(oak.id)&from=2026-01-01"), "\(list.text)")
            #expect(list.text.contains("href=\"/use-of-force/analytics\""))
            var staff = try await Browser.signedIn(client, as: .staff)
            let own = try await staff.get(client, "/use-of-force")
            #expect(!own.text.contains("/use-of-force/export") && !own.text.contains("/use-of-force/analytics"))
            var rep = try await Browser.signedIn(client, as: .partnershipRep)
            let home = try await rep.get(client, "/")
            #expect(home.text.contains("href=\"/use-of-force/analytics\""))
            let analytics = try await rep.get(client, "/use-of-force/analytics")
            #expect(analytics.status == .ok && analytics.text.contains("/use-of-force/export/anonymised?format=csv"))
            #expect(!analytics.text.contains("/use-of-force/export?format="), "no record downloads for a representative")
        }
    }
}
