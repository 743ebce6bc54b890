import Foundation
import HavenCore
import HavenData
import HavenServices
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Use of force: the analytics a partnership representative sees withhold small numbers")
struct UseOfForceAnalyticsSuppressionTests {
    static func figures(_ json: [String: Any], _ key: String = "totals") throws -> [String: Any] {
        try #require(json[key] as? [String: Any])
    }

    static func ethnicity(_ json: [String: Any], _ code: String) throws -> [String: Any] {
        let ethnicity = try #require((json["characteristics"] as? [[String: Any]])?.first { $0["characteristic"] as? String == "ethnicity" })
        return try #require((ethnicity["values"] as? [[String: Any]])?.first { $0["value"] as? String == code })
    }

    @Test("Statistics API: counts from 1 to the threshold and what is worked out from them are left out for a representative, not for the board")
    func statisticsAPI() async throws {
        try await Harness.run { client, harness in
            // Two restraints on OAK this month (one Black African, one White British patient), 400 bed days, a population.
            let (month, oak) = try await UseOfForceAnalyticsWebTests.seed(client, harness)
            let path = "/api/v1/use-of-force/statistics?from=\(month)&to=\(month)&unitId=\(oak.id)"
            let board = try await APIClient.signedIn(client, as: .executive).call(.get, path).json()
            #expect(board["suppression"] == nil)
            #expect(try Self.figures(board)["restraints"] as? Int == 2 && Self.figures(board)["restraintsPer1000BedDays"] as? Double == 5)

            let rep = try await APIClient.signedIn(client, as: .partnershipRep)
            let response = try await rep.call(.get, path)
            #expect(response.status == .ok)
            let withheld = try response.json()
            let suppression = try #require(withheld["suppression"] as? [String: Any])
            #expect(suppression["threshold"] as? Int == 7 && (suppression["explanation"] as? String)?.contains("1 to 7") == true)
            let totals = try Self.figures(withheld)
            for key in ["episodes", "restraints", "prone", "proneTenMinutes", "distinctPatients", "restraintsPer1000BedDays"] {
                #expect(totals[key] == nil, "\(key) is worked out from 2 restraints: \(totals)")
            }
            #expect((totals["restraintMinutes"] as? [String: Any])?.isEmpty == true, "minutes of two restraints are withheld")
            // Nothing is not a small number, and bed days say nothing about a patient.
            #expect(totals["seclusions"] as? Int == 0 && totals["deaths"] as? Int == 0 && totals["occupiedBedDays"] as? Int == 400)
            let black = try Self.ethnicity(withheld, "N")
            #expect(black["episodes"] == nil && black["episodeRatio"] == nil && black["patients"] as? Int == 10 && black["populationShare"] != nil)

            // With 1 as the threshold, the two restraints are shown and the single Black African episode still is not.
            let lead = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
            #expect(try await lead.call(.put, "/api/v1/use-of-force/settings", json: #"{"suppressionThreshold":1}"#).status == .ok)
            let low = try await rep.call(.get, path).json()
            #expect(try Self.figures(low)["restraints"] as? Int == 2 && Self.figures(low)["restraintsPer1000BedDays"] as? Double == 5)
            #expect(try Self.ethnicity(low, "N")["episodes"] == nil && Self.ethnicity(low, "N")["episodeRatio"] == nil)
            #expect((low["suppression"] as? [String: Any])?["threshold"] as? Int == 1)
        }
    }

    @Test("A manager who is also a representative sees their own ward exactly and the rest of the organisation withheld")
    func managerWhoIsARepresentative() async throws {
        try await Harness.run { client, harness in
            let (month, oak) = try await UseOfForceAnalyticsWebTests.seed(client, harness)
            let admin = try await APIClient.signedIn(client, as: .admin)
            let manager = try await harness.user(.manager)
            let patched = try await admin.call(.patch, "/api/v1/users/\(manager.id)", json: #"{"roles":["manager","partnership-rep"]}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            let both = try await APIClient.signedIn(client, as: .manager)
            let own = try await both.call(.get, "/api/v1/use-of-force/statistics?from=\(month)&to=\(month)&unitId=\(oak.id)").json()
            #expect(try own["suppression"] == nil && Self.figures(own)["restraints"] as? Int == 2)
            let all = try await both.call(.get, "/api/v1/use-of-force/statistics?from=\(month)&to=\(month)").json()
            #expect(try all["suppression"] != nil && Self.figures(all)["restraints"] == nil)
        }
    }

    @Test("The analytics page says small numbers are withheld and shows * in the summary, tables and charts for a representative")
    func page() async throws {
        try await Harness.run { client, harness in
            let (month, _) = try await UseOfForceAnalyticsWebTests.seed(client, harness)
            var rep = try await Browser.signedIn(client, as: .partnershipRep)
            let page = try await rep.get(client, "/use-of-force/analytics?from=\(month)&to=\(month)")
            #expect(page.status == .ok)
            #expect(page.text.contains("Small numbers withheld.") && page.text.contains("Counts from 1 to 7 are shown as *"))
            #expect(page.text.contains("<dt>Physical restraints (codes 01, 07–13)</dt><dd>*</dd>"), "\(page.text)")
            #expect(page.text.contains("<dt>Restraints per 1,000 occupied bed days</dt><dd>*</dd>"))
            #expect(page.text.contains("<th scope=\"row\">Black or Black British: African</th><td>*</td><td>*</td><td>10</td>"))
            #expect(!page.text.contains("<dt>Physical restraints (codes 01, 07–13)</dt><dd>2</dd>"))

            var lead = try await Browser.signedIn(client, as: .restrictivePracticeLead)
            let exact = try await lead.get(client, "/use-of-force/analytics?from=\(month)&to=\(month)")
            #expect(!exact.text.contains("Small numbers withheld.") && exact.text.contains("<dt>Physical restraints (codes 01, 07–13)</dt><dd>2</dd>"))
        }
    }

    @Test("Secondary suppression: a small count that the total would give back is protected by withholding the next smallest too")
    func secondarySuppression() async throws {
        try await Harness.run { client, harness in
            // Twelve episodes on OAK this month: nine White British patients and three Black African. The total (12) is
            // shown, so withholding only the 3 would give it back as 12 - 9.
            let staff = try await APIClient.signedIn(client, as: .staff)
            for index in 0..<12 {
                let body = try await UseOfForceAPITests.body(harness, ["patientLocalId": "OAK-\(500 + index)",
                                                                       "characteristics": ["ethnicity": index < 9 ? "A" : "N", "sex": "male"]])
                #expect(try await staff.call(.post, "/api/v1/use-of-force", json: body).status == .created)
            }
            let month = CalendarMonth(harness.clock.now(), in: TimeZone(identifier: "Europe/London")!).description
            let oak = try await harness.unit("OAK")
            let path = "/api/v1/use-of-force/statistics?from=\(month)&to=\(month)&unitId=\(oak.id)"

            let board = try await APIClient.signedIn(client, as: .executive).call(.get, path).json()
            #expect(try Self.ethnicity(board, "A")["episodes"] as? Int == 9 && Self.ethnicity(board, "N")["episodes"] as? Int == 3)

            let rep = try await APIClient.signedIn(client, as: .partnershipRep).call(.get, path).json()
            #expect(try Self.figures(rep)["episodes"] as? Int == 12 && Self.figures(rep)["restraints"] as? Int == 12)
            let white = try Self.ethnicity(rep, "A"), black = try Self.ethnicity(rep, "N")
            #expect(black["episodes"] == nil && black["restraints"] == nil)
            #expect(white["episodes"] == nil && white["restraints"] == nil && white["episodeShare"] == nil && white["restraintMinutesMedian"] == nil,
                    "9 would give the 3 away: \(white)")
            #expect(try Self.ethnicity(rep, "B")["episodes"] as? Int == 0, "a zero is still shown")
            // Sex: all twelve are male, nothing small to protect.
            let sex = try #require((rep["characteristics"] as? [[String: Any]])?.first { $0["characteristic"] as? String == "sex" })
            #expect((sex["values"] as? [[String: Any]])?.first { $0["value"] as? String == "male" }?["episodes"] as? Int == 12)

            var browser = try await Browser.signedIn(client, as: .partnershipRep)
            let page = try await browser.get(client, "/use-of-force/analytics?from=\(month)&to=\(month)&unitId=\(oak.id)")
            #expect(page.status == .ok)
            #expect(page.text.contains("<th scope=\"row\">White: British</th><td>*</td><td>*</td>"), "\(page.text)")
            #expect(page.text.contains("<th scope=\"row\">Black or Black British: African</th><td>*</td><td>*</td>"))
            #expect(page.text.contains("<dt>Episodes of force</dt><dd>12</dd>"))
        }
    }
}
