import Foundation
import HavenCore
import HavenData
import SQLKit

/// Notifications staged inside a write that is already running, so an escalation step, its log entry and its
/// messages commit together: the step is either wholly sent (queued durably) or not at all, and never twice.
extension Notifier {
    func stage(on db: any SQLDatabase, to contact: Contact, channels: [NotificationChannel], _ message: Message, now: Date) async throws {
        if channels.contains(.inApp) {
            try await NotificationStore.insert(on: db, InAppNotification(id: Identifier.make(), organisationId: contact.organisationId,
                                                                         userId: contact.id, title: message.title, body: message.body,
                                                                         link: message.link, createdAt: now, readAt: nil))
        }
        if channels.contains(.email) && emailEnabled {
            let email = EmailMessage(to: contact.email, subject: message.title, body: message.body + (message.link.map { "\n\n\($0)" } ?? ""))
            _ = try await DeliveryStore.enqueue(on: db, organisationId: contact.organisationId, channel: .email, endpointId: nil,
                                                recipient: contact.email, event: message.event.rawValue, payload: email.encoded, now: now)
        }
    }

    /// Queues the event for every webhook endpoint subscribed to it. A lone-working event links each delivery to its
    /// session, so the board can show an alert whose delivery failed as not delivered.
    @discardableResult
    func stageWebhooks(on db: any SQLDatabase, organisationId: String, event: WebhookEvent, sessionId: String? = nil, data: [String: String],
                       now: Date) async throws -> Int {
        let payload = WebhookPayload(event: event.rawValue, occurredAt: now.iso8601, organisationId: organisationId, data: data)
        let ids = try await DeliveryStore.enqueueWebhookDeliveries(on: db, organisationId: organisationId, event: event.rawValue,
                                                                  payload: payload.encoded, now: now)
        if let sessionId {
            for id in ids { try await LoneWorkingStore.link(on: db, deliveryId: id, sessionId: sessionId, organisationId: organisationId) }
        }
        return ids.count
    }

    /// Queues an escalation step's call to an alarm receiving centre: a signed POST to its own address (not to the
    /// organisation's webhooks), linked to the session like any lone-working delivery, retried with backoff like them.
    func stageCall(on db: any SQLDatabase, to centre: LoneWorkingIntegration, event: WebhookEvent, sessionId: String, data: [String: String],
                   now: Date) async throws {
        let payload = WebhookPayload(event: event.rawValue, occurredAt: now.iso8601, organisationId: centre.organisationId, data: data)
        let id = try await DeliveryStore.enqueue(on: db, organisationId: centre.organisationId, channel: .webhook, endpointId: nil,
                                                 integrationId: centre.id, recipient: centre.outboundURL, event: event.rawValue,
                                                 payload: payload.encoded, now: now)
        try await LoneWorkingStore.link(on: db, deliveryId: id, sessionId: sessionId, organisationId: centre.organisationId)
    }

    /// After the commit: wakes the timer loop so staged deliveries and new timers are looked at at once, and hands it
    /// the deliveries the write staged already claimed (`handoff`), so they go out without another commit.
    func scheduled(_ handoff: TimerHandoff? = nil, wake: Bool = true) {
        if let timers = handoff?.take(), !timers.isEmpty { onHandedOver(timers) }
        if wake { onScheduled() }
    }

    /// After a commit whose only new work is one timer due at `dueAt`: the timer loop looks again only if it would
    /// otherwise sleep past it.
    func timerScheduled(dueAt: Date) {
        if let onTimerScheduled { onTimerScheduled(dueAt) } else { onScheduled() }
    }

    /// Runs a write whose deliveries due now this instance sends itself the moment it commits: the timers are written
    /// already claimed, so the path from the commit to the webhook call holds no second commit. The work may be run
    /// again after a rollback (group commit), so each attempt starts with an empty handoff.
    /// `wake: false` is for a caller that wakes the loop itself (`timerScheduled(dueAt:)`) once it knows what it scheduled.
    func writeHandingOver<T: Sendable>(_ database: Database, wake: Bool = true,
                                       _ work: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let handoff = makeHandoff()
        let result = try await database.write { db in
            handoff?.begin()
            return try await TimerHandoff.$current.withValue(handoff) { try await work(db) }
        }
        scheduled(handoff, wake: wake)
        return result
    }
}
