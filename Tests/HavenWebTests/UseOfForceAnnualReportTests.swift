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

@Suite("Use of force: the annual report")
struct UseOfForceAnnualReportTests {
    @Test("The report gives the year's totals against the year before, the trend and the ratios, and the links the lead adds")
    func report() async throws {
        try await Harness.run { client, harness in
            let (month, _) = try await UseOfForceAnalyticsWebTests.seed(client, harness)
            let year = String(month.prefix(4))
            var executive = try await Browser.signedIn(client, as: .executive)
            let page = try await executive.get(client, "/use-of-force/annual-report?year=\(year)")
            #expect(page.status == .ok)
            // Published figures: counts from 1 to 7 are "*" (UseOfForceSmallNumbersTests shows them with a lower threshold).
            #expect(page.text.contains("<th scope=\"row\">Physical restraints (of which prone)</th><td>* (*)</td><td>0 (0)</td>"), "\(page.text)")
            #expect(page.text.contains("<th scope=\"row\">Prone restraints of 10 minutes or more</th><td>*</td>"))
            #expect(page.text.contains("<title id=\"trend-chart-title\">") && page.text.contains("Black or Black British: African</th><td>*</td><td>*</td><td>10</td>"))
            #expect(page.text.contains("No links to the policy") && !page.text.contains("Save the links"), "only the lead and administrators add links")
            #expect(!page.text.contains("OAK-0042") && !page.text.contains("Alex Doe"))
            let bad = try await executive.get(client, "/use-of-force/annual-report?year=twenty")
            #expect(bad.status == .badRequest && bad.text.contains("year must be a year from 2000"))
            var staff = try await Browser.signedIn(client, as: .staff)
            #expect(try await staff.get(client, "/use-of-force/annual-report").status == .forbidden)

            var lead = try await Browser.signedIn(client, as: .restrictivePracticeLead)
            try await lead.get(client, "/use-of-force/annual-report")
            let wrong = try await lead.post(client, "/use-of-force/annual-report/links", [("policyURL", "javascript:alert(1)"), ("patientInformationURL", "")])
            #expect(wrong.status == .badRequest && wrong.text.contains("Enter a web address starting with https://"))
            let saved = try await lead.post(client, "/use-of-force/annual-report/links", [
                ("policyURL", "https://www.example.nhs.uk/use-of-force-policy"), ("patientInformationURL", "https://www.example.nhs.uk/leaflet")])
            #expect(saved.status == .seeOther)
            let after = try await executive.get(client, "/use-of-force/annual-report?year=\(year)")
            #expect(after.text.contains("href=\"https://www.example.nhs.uk/use-of-force-policy\"") && after.text.contains("href=\"https://www.example.nhs.uk/leaflet\""))
            var partner = try await Browser.signedIn(client, as: .partnershipRep)
            try await partner.get(client, "/use-of-force/annual-report")
            #expect(try await partner.post(client, "/use-of-force/annual-report/links", [("policyURL", "https://x.example")]).status == .forbidden)
        }
    }
}
