import AsyncHTTPClient
import Crypto
import Foundation
import HavenCore
import HavenData
import Logging
import NIOCore
import NIOHTTP1

/// Sends stored deliveries when their timer falls due: webhooks signed with HMAC-SHA256, e-mail through the
/// configured sendmail command. A failure is retried with backoff for 24 hours, then marked failed.
public struct DeliveryWorker: Sendable {
    let deliveries: DeliveryStore
    let httpClient: HTTPClient
    let sendmailCommand: String?
    let addressPolicy: WebhookAddressPolicy
    let clock: any HavenClock
    let logger: Logger

    public init(deliveries: DeliveryStore, httpClient: HTTPClient, sendmailCommand: String?, addressPolicy: WebhookAddressPolicy,
                clock: any HavenClock, logger: Logger) {
        self.deliveries = deliveries
        self.httpClient = httpClient
        self.sendmailCommand = sendmailCommand
        self.addressPolicy = addressPolicy
        self.clock = clock
        self.logger = logger
    }

    public func handle(_ timer: DueTimer) async throws {
        guard let delivery = try await deliveries.delivery(id: timer.subjectId), delivery.status == .pending else { return }
        let outcome: (succeeded: Bool, status: Int?, error: String?)
        switch delivery.channel {
        case .webhook: outcome = await sendWebhook(delivery)
        case .email: outcome = await sendEmail(delivery)
        case .inApp: outcome = (true, nil, nil)
        }
        let now = clock.now()
        let retryAt = outcome.succeeded ? nil
            : DeliveryBackoff.nextAttempt(after: delivery.attempts + 1, firstAttemptAt: delivery.firstAttemptAt ?? now, now: now)
        if !outcome.succeeded {
            logger.warning("Delivery \(delivery.id) to \(delivery.recipient) failed: \(outcome.error ?? "?")\(retryAt == nil ? "; giving up" : "")")
        }
        try await deliveries.recordAttempt(delivery, succeeded: outcome.succeeded, responseStatus: outcome.status,
                                           error: outcome.error, retryAt: retryAt)
    }

    /// `sha256=` and the hex HMAC-SHA256 of the raw body with the endpoint's secret.
    public static func signature(body: String, secret: String) -> String { signature(bytes: Data(body.utf8), secret: secret) }

    /// The same over raw bytes: inbound alarm events are checked with this convention (LoneWorkingAlarmEvents).
    public static func signature(bytes: Data, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: bytes, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + SecretHash.hex(mac)
    }

    /// Posts to a webhook endpoint, or to an alarm receiving centre's address when the delivery names its integration;
    /// the address and secret are read now, so a changed address or a revocation applies to calls still waiting.
    func sendWebhook(_ delivery: Delivery) async -> (Bool, Int?, String?) {
        let target: (url: String, secret: String)
        if let integrationId = delivery.integrationId {
            guard let found = try? await deliveries.callTarget(integrationId: integrationId, organisationId: delivery.organisationId) else {
                return (false, nil, "The alarm receiving centre was revoked or has no address to call")
            }
            target = found
        } else {
            guard let endpointId = delivery.endpointId,
                  let endpoint = try? await deliveries.endpoint(id: endpointId, organisationId: delivery.organisationId) else {
                return (false, nil, "The webhook endpoint no longer exists")
            }
            target = (endpoint.url, endpoint.secret)
        }
        if let problem = await addressPolicy.problem(with: target.url) { return (false, nil, problem) }
        var request = HTTPClientRequest(url: target.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Haven-Webhooks/1")
        request.headers.add(name: "X-Haven-Event", value: delivery.event)
        request.headers.add(name: "X-Haven-Delivery", value: delivery.id)
        request.headers.add(name: "X-Haven-Signature", value: Self.signature(body: delivery.payload, secret: target.secret))
        request.body = .bytes(ByteBuffer(string: delivery.payload))
        do {
            let response = try await httpClient.execute(request, timeout: .seconds(10))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let code = Int(response.status.code)
            return ((200..<300).contains(code), code, (200..<300).contains(code) ? nil : "The endpoint answered \(code)")
        } catch {
            return (false, nil, String(describing: error).prefix(300).description)
        }
    }

    func sendEmail(_ delivery: Delivery) async -> (Bool, Int?, String?) {
        guard let command = sendmailCommand, !command.isEmpty else { return (false, nil, "E-mail is not configured") }
        guard let message = EmailMessage.decode(delivery.payload) else { return (false, nil, "The stored e-mail cannot be read") }
        // Header values lose line breaks so a subject cannot add headers of its own.
        func header(_ text: String) -> String { text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ") }
        let text = "To: \(header(message.to))\nSubject: \(header(message.subject))\nContent-Type: text/plain; charset=utf-8\n\n\(message.body)\n"
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", command]
                let input = Pipe()
                let errors = Pipe()
                process.standardInput = input
                process.standardError = errors
                process.standardOutput = FileHandle.nullDevice
                do {
                    try process.run()
                    input.fileHandleForWriting.write(Data(text.utf8))
                    try? input.fileHandleForWriting.close()
                    process.waitUntilExit()
                    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    let ok = process.terminationStatus == 0
                    continuation.resume(returning: (ok, nil, ok ? nil : "sendmail exited \(process.terminationStatus): \(stderr.prefix(200))"))
                } catch {
                    continuation.resume(returning: (false, nil, "Cannot run the sendmail command: \(error)"))
                }
            }
        }
    }
}
