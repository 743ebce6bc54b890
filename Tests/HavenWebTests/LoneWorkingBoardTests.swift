import Foundation
import HavenCore
import HavenData
import HavenServices
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Lone working: the live board and undelivered alerts")
struct LoneWorkingBoardTests {
    @Test("The board's event stream sends the board as JSON, most urgent first, with the page's words; only monitors may open it")
    func events() async throws {
        try await Harness.run { client, harness in
            let (staff, id) = try await LoneWorkingTests.startVisit(client, harness, minutes: 60)
            #expect(try await staff.call(.post, "/api/v1/lone-working/sessions/\(id)/alarm", json: "{}").status == .ok)
            var manager = try await Browser.signedIn(client, as: .manager)
            let stream = try await manager.get(client, "/lone-working/board/events")
            #expect(stream.status == .ok && stream.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            let data = try #require(stream.text.split(separator: "\n").first { $0.hasPrefix("data: ") }?.dropFirst("data: ".count))
            let board = try #require(try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any])
            let rows = try #require(board["rows"] as? [[String: Any]])
            #expect(rows.first?["id"] as? String == id && rows.first?["status"] as? String == "ALARM (panic)")
            #expect(board["alarmText"] as? String == "1 alarm needs a response now")
            #expect(stream.text.contains("event: board"))
            // The page carries what the script needs, and the script is served from Static (no inline script).
            let page = try await manager.get(client, "/lone-working/board")
            #expect(page.text.contains(#"data-events="/lone-working/board/events""#) && page.text.contains(#"aria-live="assertive""#))
            #expect(page.text.contains(#"<script src="/static/lone-board.js" defer></script>"#) && !page.text.contains("<script>"))
            let script = try await client.execute(uri: "/static/lone-board.js", method: .get)
            #expect(script.status == .ok && script.text.contains("EventSource") && !script.text.contains("innerHTML"))
            var other = try await Browser.signedIn(client, as: .staff)
            #expect(try await other.get(client, "/lone-working/board/events").status == .forbidden)
        }
    }

    @Test("An alert whose webhook delivery failed shows on the board as not delivered until a retry gets through")
    func undelivered() async throws {
        let receiver = WebhookReceiver()
        try await receiver.serve { url in
            try await Harness.run { client, harness in
                await receiver.setAnswer(.serviceUnavailable)
                let admin = try await APIClient.signedIn(client, as: .admin)
                #expect(try await admin.call(.post, "/api/v1/webhooks", json: #"{"url":"\#(url)","secret":"0123456789abcdef","events":["lone-working.alarm"]}"#).status == .created)
                let (staff, id) = try await LoneWorkingTests.startVisit(client, harness, minutes: 60)
                var manager = try await Browser.signedIn(client, as: .manager)
                #expect(!(try await manager.get(client, "/lone-working/board").text.contains("not delivered")), "nothing sent, nothing failed")
                #expect(try await staff.call(.post, "/api/v1/lone-working/sessions/\(id)/alarm", json: "{}").status == .ok)
                #expect(!(try await manager.get(client, "/lone-working/board").text.contains("not delivered")), "not yet tried")
                await harness.environment.timerService.runDue()
                #expect(await receiver.received.count == 1)
                let board = try await manager.get(client, "/lone-working/board")
                #expect(board.text.contains("Alert not delivered to a webhook: retrying"))
                #expect(try await manager.get(client, "/lone-working/board/events").text.contains("not delivered"))
                // The receiver is back: the retry (30 s later) gets through and the warning goes.
                await receiver.setAnswer(.ok)
                harness.clock.advance(by: 31)
                await harness.environment.timerService.runDue()
                #expect(await receiver.received.count == 2)
                #expect(!(try await manager.get(client, "/lone-working/board").text.contains("not delivered")))
            }
        }
    }
}
