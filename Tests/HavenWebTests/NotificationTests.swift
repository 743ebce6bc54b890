import Crypto
import Foundation
import HavenCore
import HavenData
import HavenServices
import HavenTestSupport
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// A webhook receiver on a loopback port that records what it is sent and answers with a chosen status.
actor WebhookReceiver {
    struct Received: Sendable {
        var body: String
        var signature: String?
        var event: String?
    }
    private(set) var received: [Received] = []
    var answer: HTTPResponse.Status = .ok

    func record(_ item: Received) -> HTTPResponse.Status {
        received.append(item)
        return answer
    }
    func setAnswer(_ status: HTTPResponse.Status) { answer = status }

    /// Runs the receiver for the duration of `body`, passing its URL.
    func serve(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            let status = await self.record(Received(body: String(buffer: bytes), signature: request.headers[HTTPField.Name("X-Haven-Signature")!],
                                                    event: request.headers[HTTPField.Name("X-Haven-Event")!]))
            return Response(status: status)
        }
        let port = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "receiver")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.continuation.yield(channel.localAddress!.port!) }, logger: logger)
        let task = Task { try await app.run() }
        var iterator = port.stream.makeAsyncIterator()
        let bound = await iterator.next()!
        do { try await body("http://127.0.0.1:\(bound)/hook") } catch {
            task.cancel()
            throw error
        }
        task.cancel()
    }
}

@Suite("Notifications, webhooks and the delivery timers")
struct NotificationTests {
    static func signature(_ body: String, secret: String) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    @Test("A notification appears under the bell and is sent, signed, to the subscribed webhook")
    func delivered() async throws {
        let receiver = WebhookReceiver()
        try await receiver.serve { url in
            try await Harness.run { client, harness in
                let api = try await APIClient.signedIn(client, as: .admin)
                let secret = "a-long-shared-secret-123"
                let created = try await api.call(.post, "/api/v1/webhooks", json: #"{"url":"\#(url)","secret":"\#(secret)","events":["notification.created"]}"#)
                #expect(created.status == .created)
                let webhookId = try #require(try created.json()["id"] as? String)
                let staff = try await harness.user(.staff)
                try await harness.environment.notifier.notify(user: staff, .init(title: "Your report was reviewed", body: "Thank you.",
                                                                                link: "/notifications", event: .notificationCreated))
                #expect(await harness.environment.timerService.runDue() == 1)
                let received = await receiver.received
                #expect(received.count == 1)
                let call = try #require(received.first)
                #expect(call.event == "notification.created")
                #expect(call.signature == Self.signature(call.body, secret: secret))
                #expect(call.body.contains("Your report was reviewed"))
                let log = try await api.call(.get, "/api/v1/webhooks/\(webhookId)/deliveries").json()
                let entry = try #require((log["items"] as? [[String: Any]])?.first)
                #expect(entry["status"] as? String == "delivered" && entry["responseStatus"] as? Int == 200)

                var browser = try await Browser.signedIn(client, as: .staff)
                let home = try await browser.get(client, "/")
                #expect(home.text.contains("bell__count\">1<"))
                let list = try await browser.get(client, "/notifications")
                #expect(list.text.contains("Your report was reviewed"))
                try await browser.post(client, "/notifications/read", [])
                #expect(try await harness.environment.notifications.unreadCount(userId: staff.id) == 0)
            }
        }
    }

    @Test("A failing endpoint is retried with backoff and given up after 24 hours")
    func retries() async throws {
        let receiver = WebhookReceiver()
        await receiver.setAnswer(.internalServerError)
        try await receiver.serve { url in
            try await Harness.run { client, harness in
                let api = try await APIClient.signedIn(client, as: .admin)
                let created = try await api.call(.post, "/api/v1/webhooks", json: #"{"url":"\#(url)","secret":"0123456789abcdef","events":["*"]}"#)
                let webhookId = try #require(try created.json()["id"] as? String)
                let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
                _ = try await harness.environment.notifier.publish(organisationId: organisation.id, event: .test, data: [:])
                #expect(await harness.environment.timerService.runDue() == 1)
                #expect(await harness.environment.timerService.runDue() == 0, "the retry is not due yet")
                harness.clock.advance(by: 31)
                #expect(await harness.environment.timerService.runDue() == 1)
                var attempts = 2
                while await harness.environment.timerService.runDue() == 0 && attempts < 200 {
                    harness.clock.advance(by: 3600)
                    attempts += await harness.environment.timerService.runDue()
                    if (try await harness.environment.deliveries.deliveries(endpointId: webhookId, organisationId: organisation.id)).first?.status == .failed { break }
                }
                let delivery = try #require(try await harness.environment.deliveries.deliveries(endpointId: webhookId, organisationId: organisation.id).first)
                #expect(delivery.status == .failed)
                #expect(delivery.attempts > 10 && delivery.attempts < 60)
                #expect(delivery.responseStatus == 500)
                #expect(await receiver.received.count == delivery.attempts)
                #expect(try await harness.environment.deliveries.failedCount(organisationId: organisation.id) == 1)
                var admin = try await Browser.signedIn(client, as: .admin)
                #expect(try await admin.get(client, "/").text.contains("webhook delivery has failed"))
            }
        }
    }

    @Test("A pending delivery stored before a restart is sent after it")
    func survivesRestart() async throws {
        let receiver = WebhookReceiver()
        try await receiver.serve { url in
            try await TestDatabase.with { database in
                let clock = ManualClock(Date())
                try await Harness.run(database: database, clock: clock) { client, harness in
                    let api = try await APIClient.signedIn(client, as: .admin)
                    #expect(try await api.call(.post, "/api/v1/webhooks", json: #"{"url":"\#(url)","secret":"0123456789abcdef","events":["webhook.test"]}"#).status == .created)
                    let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
                    let queued = try await harness.environment.notifier.publish(organisationId: organisation.id, event: .test, data: ["n": "1"])
                    #expect(queued == 1)
                    #expect(try await harness.environment.timers.openCount() == 1)
                    // The process "dies" here: nothing was sent.
                }
                #expect(await receiver.received.isEmpty)
                try await Harness.run(database: database, clock: clock) { _, harness in
                    let open = try await harness.environment.timers.openCount()
                    #expect(open == 1)
                    #expect(await harness.environment.timerService.runDue() == 1)
                }
                #expect(await receiver.received.count == 1)
            }
        }
    }

    @Test("Webhooks to private or loopback addresses are refused unless the installation allows them")
    func ssrf() async throws {
        try await Harness.run(configuration: Harness.configuration(allowPrivateWebhooks: false)) { client, _ in
            let api = try await APIClient.signedIn(client, as: .admin)
            for url in ["http://127.0.0.1:9/hook", "http://10.1.2.3/hook", "http://[::1]/hook", "http://169.254.169.254/latest", "ftp://example.org/x"] {
                let response = try await api.call(.post, "/api/v1/webhooks", json: #"{"url":"\#(url)","secret":"0123456789abcdef","events":["webhook.test"]}"#)
                #expect(response.status == .badRequest, "\(url)")
                #expect(response.text.contains("\"url\""), "\(url)")
            }
            let badEvent = try await api.call(.post, "/api/v1/webhooks", json: #"{"url":"http://example.org/x","secret":"0123456789abcdef","events":["bogus"]}"#)
            #expect(badEvent.status == .badRequest)
        }
    }

    @Test("E-mail goes through the configured sendmail command")
    func email() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haven-mail-\(Identifier.secret(length: 6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outbox = folder.appendingPathComponent("outbox.txt").path
        try await Harness.run(configuration: Harness.configuration(sendmail: "cat >> '\(outbox)'")) { _, harness in
            let staff = try await harness.user(.staff)
            try await harness.environment.notifier.notify(user: staff, .init(title: "Welfare check\nBcc: x@evil.example", body: "How are you?", link: nil, event: .notificationCreated))
            #expect(await harness.environment.timerService.runDue() == 1)
        }
        let mail = try String(contentsOfFile: outbox, encoding: .utf8)
        #expect(mail.contains("To: staff@demo.haven.example"))
        #expect(mail.contains("Subject: Welfare check Bcc: x@evil.example"), "a line break cannot add a header")
        #expect(mail.contains("How are you?"))
    }
}
