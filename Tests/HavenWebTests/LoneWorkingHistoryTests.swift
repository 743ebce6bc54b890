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

@Suite("Lone working: history, reports and the sessions export")
struct LoneWorkingHistoryTests {
    /// Three visits on Oak (one overdue then acknowledged after 90 s, one false panic alarm acknowledged after 30 s, one quiet)
    /// and one on ED, outside the Oak manager's remit.
    static func history(_ client: any TestClientProtocol, _ harness: Harness) async throws {
        let (staff, overdue) = try await LoneWorkingTests.startVisit(client, harness)
        let manager = try await APIClient.signedIn(client, as: .manager)
        let lead = try await APIClient.signedIn(client, as: .safetyLead)
        harness.clock.advance(by: 11 * 60)
        await harness.environment.timerService.runDue()
        harness.clock.advance(by: 90)
        #expect(try await manager.call(.post, "/api/v1/lone-working/sessions/\(overdue)/acknowledge", json: "{}").status == .ok)
        #expect(try await manager.call(.post, "/api/v1/lone-working/sessions/\(overdue)/resolve", json: #"{"outcome":"safe"}"#).status == .ok)
        let panic = try #require(try await staff.call(.post, "/api/v1/lone-working/sessions", json: #"{"location":"Clinic 2, Hill Road","expectedDurationSeconds":3600}"#).json()["id"] as? String)
        #expect(try await staff.call(.post, "/api/v1/lone-working/sessions/\(panic)/alarm", json: "{}").status == .ok)
        harness.clock.advance(by: 30)
        #expect(try await lead.call(.post, "/api/v1/lone-working/sessions/\(panic)/resolve", json: #"{"outcome":"false-alarm"}"#).status == .ok)
        let quiet = try #require(try await staff.call(.post, "/api/v1/lone-working/sessions", json: #"{"location":"Office","expectedDurationSeconds":600}"#).json()["id"] as? String)
        #expect(try await staff.call(.post, "/api/v1/lone-working/sessions/\(quiet)/end", json: "{}").status == .ok)
        let ed = try await harness.unit("ED")
        #expect(try await staff.call(.post, "/api/v1/lone-working/sessions", json: #"{"location":"ED triage","expectedDurationSeconds":600,"unitId":"\#(ed.id)"}"#).status == .created)
    }

    @Test("The report counts visits, overdue, alarms and false alarms, and the median and longest time to acknowledgement, within the viewer's remit")
    func report() async throws {
        try await Harness.run { client, harness in
            try await Self.history(client, harness)
            let lead = try await APIClient.signedIn(client, as: .safetyLead)
            let all = try await lead.call(.get, "/api/v1/lone-working/reports")
            #expect(all.status == .ok, "\(all.text)")
            let total = try #require(try all.json()["total"] as? [String: Any])
            #expect(total["sessions"] as? Int == 4 && total["overdue"] as? Int == 1 && total["alarms"] as? Int == 1 && total["falseAlarms"] as? Int == 1)
            #expect(total["acknowledged"] as? Int == 2 && total["medianSecondsToAcknowledge"] as? Int == 60 && total["maxSecondsToAcknowledge"] as? Int == 90)
            let byPerson = try #require(try all.json()["byPerson"] as? [[String: Any]])
            let staffId = try await harness.user(.staff).id
            #expect(byPerson.count == 1 && byPerson[0]["id"] as? String == staffId)
            let oak = try await harness.unit("OAK"), ed = try await harness.unit("ED")
            // The Oak and Ash manager sees Oak's three visits only, and may not ask for ED's.
            let manager = try await APIClient.signedIn(client, as: .manager)
            let mine = try await manager.call(.get, "/api/v1/lone-working/reports").json()
            #expect((mine["total"] as? [String: Any])?["sessions"] as? Int == 3)
            #expect(((mine["byUnit"] as? [[String: Any]])?.compactMap { $0["id"] as? String }) == [oak.id])
            let other = try await manager.call(.get, "/api/v1/lone-working/reports?unit=\(ed.id)")
            #expect(other.status == .badRequest && other.text.contains("\"unit\""))
            // Dates: a period with nothing in it, and bad dates naming the field.
            let before = try await lead.call(.get, "/api/v1/lone-working/reports?from=2020-01-01&to=2020-01-31").json()
            #expect((before["total"] as? [String: Any])?["sessions"] as? Int == 0)
            #expect(try await lead.call(.get, "/api/v1/lone-working/reports?from=2026-02-30").text.contains("\"from\""))
            #expect(try await lead.call(.get, "/api/v1/lone-working/reports?from=2026-03-01&to=2026-02-01").text.contains("\"to\""))
            #expect(try await lead.call(.get, "/api/v1/lone-working/reports?from=2020-01-01&to=2026-01-01").status == .badRequest, "over a year")
            #expect(try await APIClient.signedIn(client, as: .staff).call(.get, "/api/v1/lone-working/reports").status == .forbidden)
        }
    }

    @Test("The CSV export streams the remit's visits without locations, escapes fields, and is audited; the page shows the tables")
    func export() async throws {
        try await Harness.run { client, harness in
            try await Self.history(client, harness)
            let manager = try await APIClient.signedIn(client, as: .manager)
            let csv = try await manager.call(.get, "/api/v1/lone-working/reports/sessions")
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = csv.text.split(separator: "\r\n")
            #expect(lines.count == 4, "header and Oak's three visits")
            #expect(lines[0].hasPrefix("session_id,worker,unit,started_at"))
            #expect(!csv.text.contains("Elm Road") && !csv.text.contains("Clinic 2"), "no locations")
            #expect(csv.text.contains("false-alarm") && csv.text.contains(",90,"), "the overdue visit took 90 s to acknowledge")
            let audited = try await harness.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'lone-working.history-export'").first()?.decode(column: "n", as: Int.self)
            }
            #expect(audited == 1)

            var browser = try await Browser.signedIn(client, as: .manager)
            let page = try await browser.get(client, "/lone-working/history")
            #expect(page.status == .ok && page.text.contains("By person") && page.text.contains("Sam Okafor") && page.text.contains("1 min 30 s"))
            let download = try #require(page.text.firstMatch(of: /href="(\/lone-working\/history\/export\?[^"]+)"/)?.1)
            let file = try await browser.get(client, String(download).replacingOccurrences(of: "&amp;", with: "&"))
            #expect(file.status == .ok && file.text.split(separator: "\r\n").count == 4)
            let bad = try await browser.get(client, "/lone-working/history?from=yesterday")
            #expect(bad.status == .badRequest && bad.text.contains("href=\"#from\""))
            var staff = try await Browser.signedIn(client, as: .staff)
            #expect(try await staff.get(client, "/lone-working/history").status == .forbidden)
        }
    }
}
