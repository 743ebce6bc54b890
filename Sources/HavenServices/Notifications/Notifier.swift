import Foundation
import HavenCore
import HavenData
import SQLKit

/// Tells people and systems that something happened. Every message is stored first, in the same transaction
/// as its in-app notification, and then sent by the delivery timers, so a crash or restart loses nothing.
public struct Notifier: Sendable {
    let database: Database
    let clock: any HavenClock
    /// Whether e-mail is set up (a sendmail command is configured).
    let emailEnabled: Bool
    /// Called after a commit that scheduled deliveries, so they go out at once.
    let onScheduled: @Sendable () -> Void
    /// Called after a commit whose only new work is one timer due at the given time (nil: `onScheduled` instead).
    let onTimerScheduled: (@Sendable (Date) -> Void)?
    /// A handoff for a write whose deliveries this instance sends itself once it commits (nil: none, the timer loop
    /// claims them), and where the committed write's handed-over timers go.
    let makeHandoff: @Sendable () -> TimerHandoff?
    let onHandedOver: @Sendable ([DueTimer]) -> Void

    public init(database: Database, clock: any HavenClock, emailEnabled: Bool, onScheduled: @escaping @Sendable () -> Void,
                onTimerScheduled: (@Sendable (Date) -> Void)? = nil,
                makeHandoff: @escaping @Sendable () -> TimerHandoff? = { nil }, onHandedOver: @escaping @Sendable ([DueTimer]) -> Void = { _ in }) {
        self.database = database
        self.clock = clock
        self.emailEnabled = emailEnabled
        self.onScheduled = onScheduled
        self.onTimerScheduled = onTimerScheduled
        self.makeHandoff = makeHandoff
        self.onHandedOver = onHandedOver
    }

    public struct Message: Sendable {
        public var title: String
        public var body: String
        /// A path inside Haven, such as /notifications.
        public var link: String?
        public var event: WebhookEvent

        public init(title: String, body: String, link: String?, event: WebhookEvent) {
            self.title = title
            self.body = body
            self.link = link
            self.event = event
        }
    }

    /// Notifies one user in-app (and by e-mail where set up) and the organisation's webhooks for the event.
    @discardableResult
    public func notify(user: User, _ message: Message) async throws -> InAppNotification {
        let now = clock.now()
        let notification = InAppNotification(id: Identifier.make(), organisationId: user.organisationId, userId: user.id,
                                             title: message.title, body: message.body, link: message.link, createdAt: now, readAt: nil)
        let emailEnabled = self.emailEnabled
        try await database.write { db in
            try await NotificationStore.insert(on: db, notification)
            if emailEnabled {
                let email = EmailMessage(to: user.email, subject: message.title, body: message.body + (message.link.map { "\n\n\($0)" } ?? ""))
                _ = try await DeliveryStore.enqueue(on: db, organisationId: user.organisationId, channel: .email, endpointId: nil,
                                                    recipient: user.email, event: message.event.rawValue, payload: email.encoded, now: now)
            }
            let payload = WebhookPayload(event: message.event.rawValue, occurredAt: now.iso8601, organisationId: user.organisationId,
                                         data: ["notificationId": notification.id, "title": message.title, "link": message.link ?? ""])
            _ = try await DeliveryStore.enqueueWebhooks(on: db, organisationId: user.organisationId, event: message.event.rawValue,
                                                        payload: payload.encoded, now: now)
        }
        onScheduled()
        return notification
    }

    /// Sends an event to the organisation's webhooks only (for events no person needs to see).
    public func publish(organisationId: String, event: WebhookEvent, data: [String: String]) async throws -> Int {
        let now = clock.now()
        let payload = WebhookPayload(event: event.rawValue, occurredAt: now.iso8601, organisationId: organisationId, data: data)
        let count = try await database.write { db in
            try await DeliveryStore.enqueueWebhooks(on: db, organisationId: organisationId, event: event.rawValue, payload: payload.encoded, now: now)
        }
        if count > 0 { onScheduled() }
        return count
    }
}

/// The JSON body of every webhook call.
struct WebhookPayload: Codable {
    var event: String
    var occurredAt: String
    var organisationId: String
    var data: [String: String]

    var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

struct EmailMessage: Codable {
    var to: String
    var subject: String
    var body: String

    var encoded: String { String(decoding: (try? JSONEncoder().encode(self)) ?? Data("{}".utf8), as: UTF8.self) }
    static func decode(_ text: String) -> EmailMessage? { try? JSONDecoder().decode(EmailMessage.self, from: Data(text.utf8)) }
}
