import Foundation
import HavenCore
import HavenData
import Hummingbird

/// Webhooks and in-app notifications in the JSON API.
struct NotificationsAPI {
    let web: WebContext

    func register(_ routes: Routes) {
        routes.add(.post, "/api/v1/webhooks", .manageWebhooks, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            let url = input.string("url", required: true), secret = input.string("secret", required: true)
            let events = input.strings("events", required: true)
            try input.finish()
            let valid = try await WebhookInput.validate(url: url, secret: secret, events: events, policy: web.environment.webhookPolicy)
            let endpoint = try await web.environment.deliveries.createEndpoint(url: valid.url, secret: valid.secret, events: valid.events,
                                                                               origin: context.origin())
            return try jsonResponse(WebhookJSON(endpoint), status: .created)
        }
        routes.add(.get, "/api/v1/webhooks", .manageWebhooks, api: true) { request, _, identity in
            let endpoints = try await web.environment.deliveries.endpoints(organisationId: identity.organisation.id)
            return try jsonResponse(try Pagination(request).page(endpoints.map(WebhookJSON.init)))
        }
        routes.add(.get, "/api/v1/webhooks/{id}/deliveries", .manageWebhooks, api: true) { request, context, identity in
            guard let endpoint = try await web.environment.deliveries.endpoint(id: try context.parameter("id"), organisationId: identity.organisation.id) else {
                throw APIError.notFound("webhook")
            }
            let deliveries = try await web.environment.deliveries.deliveries(endpointId: endpoint.id, organisationId: identity.organisation.id, limit: 500)
            return try jsonResponse(try Pagination(request).page(deliveries.map(DeliveryJSON.init)))
        }
        routes.add(.get, "/api/v1/notifications", .viewNotifications, api: true) { request, _, identity in
            let items = try await web.environment.notifications.list(userId: identity.user.id, limit: 200)
            return try jsonResponse(try Pagination(request).page(items.map(NotificationJSON.init)))
        }
        routes.add(.post, "/api/v1/notifications/read", .viewNotifications, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            let id = input.string("id")
            try input.finish()
            try await web.environment.notifications.markRead(userId: identity.user.id, id: id)
            return Response(status: .noContent)
        }
    }
}

struct WebhookJSON: Encodable {
    var id: String
    var url: String
    var events: [String]
    var active: Bool
    var createdAt: Date

    init(_ endpoint: WebhookEndpoint) {
        id = endpoint.id
        url = endpoint.url
        events = endpoint.events
        active = endpoint.active
        createdAt = endpoint.createdAt
    }
}

struct DeliveryJSON: Encodable {
    var id: String
    var event: String
    var status: String
    var attempts: Int
    var createdAt: Date
    var lastAttemptAt: Date?
    var responseStatus: Int?
    var lastError: String?
    var deliveredAt: Date?

    init(_ delivery: Delivery) {
        id = delivery.id
        event = delivery.event
        status = delivery.status.rawValue
        attempts = delivery.attempts
        createdAt = delivery.createdAt
        lastAttemptAt = delivery.lastAttemptAt
        responseStatus = delivery.responseStatus
        lastError = delivery.lastError
        deliveredAt = delivery.deliveredAt
    }

}

struct NotificationJSON: Encodable {
    var id: String
    var title: String
    var body: String
    var link: String?
    var createdAt: Date
    var readAt: Date?

    init(_ notification: InAppNotification) {
        id = notification.id
        title = notification.title
        body = notification.body
        link = notification.link
        createdAt = notification.createdAt
        readAt = notification.readAt
    }

}
