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

@Suite("Use of force: small numbers in the anonymised export and the annual report")
struct UseOfForceSmallNumbersTests {
    /// The anonymised CSV as rows of column → value.
    static func rows(_ text: String) -> [[String: String]] {
        let lines = text.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0).map { ($0, $1) }) }
    }

    @Test("The threshold is an organisation setting from 1 to 20, 7 by default, on the settings page and in the API")
    func setting() async throws {
        try await Harness.run { client, harness in
            let lead = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
            #expect(try await lead.call(.get, "/api/v1/use-of-force/settings").json()["suppressionThreshold"] as? Int == 7)
            for bad in [0, 21] {
                let refused = try await lead.call(.put, "/api/v1/use-of-force/settings", json: #"{"suppressionThreshold":\#(bad)}"#)
                #expect(refused.status == .badRequest && refused.text.contains("suppressionThreshold"))
            }
            #expect(try await lead.call(.put, "/api/v1/use-of-force/settings", json: #"{"suppressionThreshold":5}"#).status == .ok)
            let after = try await lead.call(.get, "/api/v1/use-of-force/settings").json()
            #expect(after["suppressionThreshold"] as? Int == 5 && after["staffDebriefHours"] as? Int == 3, "other settings kept")
            var page = try await Browser.signedIn(client, as: .restrictivePracticeLead)
            let form = try await page.get(client, "/use-of-force/settings")
            #expect(form.text.contains("id=\"suppressionThreshold\"") && form.text.contains("value=\"5\""))
            let wrong = try await page.post(client, "/use-of-force/settings", [("staffDebriefHours", "3"), ("patientDebriefHours", "168"),
                                                                                ("negligibleMaximumSeconds", "0"), ("suppressionThreshold", "none"), ("investigationTargetDays", "60")])
            #expect(wrong.status == .badRequest && wrong.text.contains(##"href="#suppressionThreshold""##))
            let saved = try await page.post(client, "/use-of-force/settings", [("staffDebriefHours", "3"), ("patientDebriefHours", "168"),
                                                                                ("negligibleMaximumSeconds", "0"), ("suppressionThreshold", "3"), ("investigationTargetDays", "60")])
            #expect(saved.status == .seeOther)
            #expect(try await lead.call(.get, "/api/v1/use-of-force/settings").json()["suppressionThreshold"] as? Int == 3)
        }
    }

    @Test("The anonymised file writes * for a value few episodes of the unit and month share, and the value itself above the threshold")
    func export() async throws {
        try await Harness.run { client, harness in
            // Two episodes on OAK this month: Black African male 18–24 and White British female (the seed), both detained.
            _ = try await UseOfForceAnalyticsWebTests.seed(client, harness)
            let rep = try await APIClient.signedIn(client, as: .partnershipRep)
            let standard = Self.rows(try await rep.call(.get, "/api/v1/use-of-force/export/anonymised?format=csv").text)
            #expect(standard.count == 2)
            for row in standard {
                #expect(row["ethnicity"] == "*" && row["sex"] == "*" && row["harm"] == "*" && row["detained"] == "*", "\(row)")
                #expect(row["type"] != "*" && row["duration_minutes"] != "*", "what was done is not a characteristic")
            }
            let lead = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
            #expect(try await lead.call(.put, "/api/v1/use-of-force/settings", json: #"{"suppressionThreshold":1}"#).status == .ok)
            let low = Self.rows(try await rep.call(.get, "/api/v1/use-of-force/export/anonymised?format=csv").text)
            // With 1 as the threshold: both detained and no harm (2 each) are shown; each ethnicity (1 each) is not.
            #expect(low.allSatisfy { $0["detained"] == "yes" && $0["harm"] == "none" && $0["ethnicity"] == "*" }, "\(low)")
            #expect(low.contains { $0["sex"] == "*" } && low.allSatisfy { $0["religion"] == "not-known" }, "two not known are shown")
            let lines = try await rep.call(.get, "/api/v1/use-of-force/export/anonymised?format=jsonl").text.split(separator: "\n")
            let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
            #expect(first["detained"] as? String == "yes" && (first["characteristics"] as? [String: String])?["ethnicity"] == "*")
            // A third Black African episode the same month: two share the value now, so it is written out.
            let staff = try await APIClient.signedIn(client, as: .staff)
            #expect(try await staff.call(.post, "/api/v1/use-of-force", json: try await UseOfForceAPITests.body(harness, ["patientLocalId": "OAK-0044",
                "interventions": [["type": "09", "startedAt": (harness.clock.now() - 3000).iso8601, "endedAt": (harness.clock.now() - 2900).iso8601,
                                   "plannedInCarePlan": false]]])).status == .created)
            let three = Self.rows(try await rep.call(.get, "/api/v1/use-of-force/export/anonymised?format=csv").text)
            #expect(three.filter { $0["ethnicity"] == "N" }.count == 2 && three.filter { $0["ethnicity"] == "*" }.count == 1)
        }
    }

    @Test("The annual report shows * for counts from 1 to the threshold and for the rates, minutes and ratios worked out from them")
    func annualReport() async throws {
        try await Harness.run { client, harness in
            let (month, _) = try await UseOfForceAnalyticsWebTests.seed(client, harness)
            let year = String(month.prefix(4))
            var executive = try await Browser.signedIn(client, as: .executive)
            let standard = try await executive.get(client, "/use-of-force/annual-report?year=\(year)")
            #expect(standard.text.contains("Counts from 1 to 7 are shown as *"))
            #expect(standard.text.contains("<th scope=\"row\">Episodes of force</th><td>*</td><td>0</td>"))
            #expect(standard.text.contains("<th scope=\"row\">Restraints per 1,000 occupied bed days</th><td>*</td>"), "a rate gives its count back")
            #expect(standard.text.contains("<th scope=\"row\">Minutes of restraint: mean, median, maximum</th><td>*</td>"))
            #expect(standard.text.contains("* (small number)"), "the chart says a bar is withheld, not missing")
            #expect(!standard.text.contains(">5</text>"), "the rate of 5 per 1,000 is not drawn")
            let lead = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
            #expect(try await lead.call(.put, "/api/v1/use-of-force/settings", json: #"{"suppressionThreshold":1}"#).status == .ok)
            let low = try await executive.get(client, "/use-of-force/annual-report?year=\(year)")
            #expect(low.text.contains("Counts from 1 to 1 are shown as *"))
            #expect(low.text.contains("<th scope=\"row\">Physical restraints (of which prone)</th><td>2 (*)</td><td>0 (0)</td>"), "\(low.text)")
            #expect(!low.text.contains("<th scope=\"row\">Restraints per 1,000 occupied bed days</th><td>*</td>"), "2 restraints are above 1")
            // One Black African episode: its count, share and ratio are withheld; the 10 patients of the population are not.
            #expect(low.text.contains("Black or Black British: African</th><td>*</td><td>*</td><td>10</td><td>25.0%</td><td>*</td>"))
            // The analytics page, inside the organisation, is not suppressed.
            let analytics = try await executive.get(client, "/use-of-force/analytics?from=\(month)&to=\(month)")
            #expect(analytics.text.contains("<th scope=\"row\">Black or Black British: African</th><td>1</td><td>50.0%</td><td>10</td>"))
        }
    }
}
