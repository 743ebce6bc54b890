import Foundation
import HavenCore
import SQLKit

public struct WebhookEndpoint: Sendable, Codable, Equatable {
    public var id: String
    public var organisationId: String
    public var url: String
    /// Used to sign each body; never shown again after creation.
    public var secret: String
    public var events: [String]
    public var active: Bool
    public var createdAt: Date
}

public enum DeliveryStatus: String, Sendable, Codable {
    case pending
    case delivered
    /// Given up after 24 hours of retries.
    case failed
}

/// One message to send outside Haven (a webhook call or an e-mail), kept as its delivery log.
public struct Delivery: Sendable, Codable, Equatable {
    public var id: String
    public var organisationId: String
    public var channel: NotificationChannel
    public var endpointId: String?
    /// For a call to an alarm receiving centre: the lone-working integration whose address and secret it uses.
    public var integrationId: String?
    public var recipient: String
    public var event: String
    public var payload: String
    public var status: DeliveryStatus
    public var attempts: Int
    public var createdAt: Date
    public var firstAttemptAt: Date?
    public var lastAttemptAt: Date?
    public var lastError: String?
    public var responseStatus: Int?
    public var deliveredAt: Date?
}

public struct DeliveryStore: Sendable {
    public let database: Database
    public let clock: any HavenClock
    /// The timer kind that drives delivery attempts.
    public static let timerKind = "delivery"

    public init(database: Database, clock: any HavenClock) {
        self.database = database
        self.clock = clock
    }

    // MARK: Webhook endpoints

    public func createEndpoint(url: String, secret: String, events: [String], origin: Origin) async throws -> WebhookEndpoint {
        let now = clock.now()
        let endpoint = WebhookEndpoint(id: Identifier.make(), organisationId: origin.organisationId, url: url, secret: secret,
                                       events: events, active: true, createdAt: now)
        try await database.write { [database] db in
            try await db.raw("""
                INSERT INTO webhook_endpoints (id, organisation_id, url, secret, events, active, created_at)
                VALUES (\(bind: endpoint.id), \(bind: endpoint.organisationId), \(bind: url), \(bind: secret),
                        \(bind: events.joined(separator: ",")), 1, \(bind: now.epochMilliseconds))
                """).run()
            try await database.audit(db, origin, "webhook.create", entity: "webhook", id: endpoint.id,
                                     changes: ["url": url, "events": events.joined(separator: ",")], at: now)
        }
        return endpoint
    }

    public func endpoints(organisationId: String) async throws -> [WebhookEndpoint] {
        try await database.read { db in
            try await db.raw("SELECT * FROM webhook_endpoints WHERE organisation_id = \(bind: organisationId) ORDER BY created_at DESC").all().map(Self.decodeEndpoint)
        }
    }

    public func endpoint(id: String, organisationId: String) async throws -> WebhookEndpoint? {
        try await database.read { db in
            try await db.raw("SELECT * FROM webhook_endpoints WHERE id = \(bind: id) AND organisation_id = \(bind: organisationId)").first().map(Self.decodeEndpoint)
        }
    }

    static func decodeEndpoint(_ row: any SQLRow) throws -> WebhookEndpoint {
        WebhookEndpoint(id: try row.string("id"), organisationId: try row.string("organisation_id"), url: try row.string("url"),
                        secret: try row.string("secret"), events: try row.string("events").split(separator: ",").map(String.init),
                        active: try row.flag("active"), createdAt: try row.date("created_at"))
    }

    // MARK: Deliveries

    /// Stores a delivery and its first timer inside a write that is already running: the message is on disk
    /// before anything is sent, and a restart picks it up.
    public static func enqueue(on db: any SQLDatabase, organisationId: String, channel: NotificationChannel, endpointId: String?,
                               integrationId: String? = nil, recipient: String, event: String, payload: String, now: Date) async throws -> String {
        let id = Identifier.make()
        try await db.raw("""
            INSERT INTO deliveries (id, organisation_id, channel, endpoint_id, integration_id, recipient, event, payload, status, attempts, created_at)
            VALUES (\(bind: id), \(bind: organisationId), \(bind: channel.rawValue), \(bind: endpointId), \(bind: integrationId), \(bind: recipient),
                    \(bind: event), \(bind: payload), 'pending', 0, \(bind: now.epochMilliseconds))
            """).run()
        _ = try await TimerStore.schedule(on: db, organisationId: organisationId, kind: timerKind, subjectId: id, dueAt: now, now: now)
        return id
    }

    /// Queues a webhook call to every active endpoint of the organisation subscribed to the event.
    public static func enqueueWebhooks(on db: any SQLDatabase, organisationId: String, event: String, payload: String, now: Date) async throws -> Int {
        try await enqueueWebhookDeliveries(on: db, organisationId: organisationId, event: event, payload: payload, now: now).count
    }

    /// The same, returning the deliveries' ids (lone working links them to the session, so its board can show one that failed).
    public static func enqueueWebhookDeliveries(on db: any SQLDatabase, organisationId: String, event: String, payload: String,
                                                now: Date) async throws -> [String] {
        let endpoints = try await db.raw("SELECT * FROM webhook_endpoints WHERE organisation_id = \(bind: organisationId) AND active = 1").all().map(decodeEndpoint)
        var ids: [String] = []
        for endpoint in endpoints where endpoint.events.contains(event) || endpoint.events.contains("*") {
            ids.append(try await enqueue(on: db, organisationId: organisationId, channel: .webhook, endpointId: endpoint.id,
                                         recipient: endpoint.url, event: event, payload: payload, now: now))
        }
        return ids
    }

    public func delivery(id: String) async throws -> Delivery? {
        try await database.read { db in try await db.raw("SELECT * FROM deliveries WHERE id = \(bind: id)").first().map(Self.decodeDelivery) }
    }

    public func deliveries(endpointId: String, organisationId: String, limit: Int = 100) async throws -> [Delivery] {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM deliveries WHERE endpoint_id = \(bind: endpointId) AND organisation_id = \(bind: organisationId)
                ORDER BY created_at DESC, id LIMIT \(unsafeRaw: String(max(1, min(limit, 500))))
                """).all().map(Self.decodeDelivery)
        }
    }

    /// The calls made to one alarm receiving centre, newest first: its delivery log.
    public func deliveries(integrationId: String, organisationId: String, limit: Int = 100) async throws -> [Delivery] {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM deliveries WHERE integration_id = \(bind: integrationId) AND organisation_id = \(bind: organisationId)
                ORDER BY created_at DESC, id LIMIT \(unsafeRaw: String(max(1, min(limit, 500))))
                """).all().map(Self.decodeDelivery)
        }
    }

    /// Where a call to an alarm receiving centre goes and the secret it is signed with, read when it is sent; nil when
    /// the integration was revoked or no longer has an address.
    public func callTarget(integrationId: String, organisationId: String) async throws -> (url: String, secret: String)? {
        try await database.read { db in
            guard let row = try await db.raw("""
                SELECT outbound_url, secret FROM lone_working_integrations
                WHERE id = \(bind: integrationId) AND organisation_id = \(bind: organisationId) AND active = 1 AND outbound_url <> ''
                """).first() else { return nil }
            return (try row.string("outbound_url"), try row.string("secret"))
        }
    }

    public func failedCount(organisationId: String) async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM deliveries WHERE organisation_id = \(bind: organisationId) AND status = 'failed'").first()?.int("n") ?? 0
        }
    }

    /// Records one attempt. On failure, `retryAt` schedules the next attempt; nil gives the delivery up.
    public func recordAttempt(_ delivery: Delivery, succeeded: Bool, responseStatus: Int?, error: String?, retryAt: Date?) async throws {
        let now = clock.now()
        let status: DeliveryStatus = succeeded ? .delivered : (retryAt == nil ? .failed : .pending)
        try await database.write { db in
            try await db.raw("""
                UPDATE deliveries SET status = \(bind: status.rawValue), attempts = attempts + 1,
                    first_attempt_at = COALESCE(first_attempt_at, \(bind: now.epochMilliseconds)),
                    last_attempt_at = \(bind: now.epochMilliseconds), last_error = \(bind: error),
                    response_status = \(bind: responseStatus), delivered_at = \(bind: succeeded ? now.epochMilliseconds : nil)
                WHERE id = \(bind: delivery.id)
                """).run()
            if let retryAt, !succeeded {
                _ = try await TimerStore.schedule(on: db, organisationId: delivery.organisationId, kind: Self.timerKind,
                                                  subjectId: delivery.id, dueAt: retryAt, now: now)
            }
        }
    }

    static func decodeDelivery(_ row: any SQLRow) throws -> Delivery {
        Delivery(id: try row.string("id"), organisationId: try row.string("organisation_id"),
                 channel: NotificationChannel(rawValue: try row.string("channel")) ?? .webhook,
                 endpointId: try row.optionalString("endpoint_id"), integrationId: try row.optionalString("integration_id"), recipient: try row.string("recipient"),
                 event: try row.string("event"), payload: try row.string("payload"),
                 status: DeliveryStatus(rawValue: try row.string("status")) ?? .pending, attempts: try row.int("attempts"),
                 createdAt: try row.date("created_at"), firstAttemptAt: try row.optionalDate("first_attempt_at"),
                 lastAttemptAt: try row.optionalDate("last_attempt_at"), lastError: try row.optionalString("last_error"),
                 responseStatus: try row.optionalInt("response_status"), deliveredAt: try row.optionalDate("delivered_at"))
    }
}
