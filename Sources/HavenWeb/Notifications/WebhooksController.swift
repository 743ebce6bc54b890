import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// Administrators configure outbound webhooks and read their delivery log.
struct WebhooksController {
    let web: WebContext

    func register(_ routes: Routes) {
        routes.add(.get, NotificationRoute.webhooks.path, .manageWebhooks) { request, context, identity in
            try await listPage(request, context, identity, url: "", events: [], errors: .init())
        }
        routes.add(.post, NotificationRoute.webhooks.path, .manageWebhooks) { request, context, identity in
            let form = try await FormInput(request, context: context)
            do {
                let valid = try await WebhookInput.validate(url: form["url"], secret: form["secret"], events: form.all("events"),
                                                            policy: web.environment.webhookPolicy)
                let endpoint = try await web.environment.deliveries.createEndpoint(url: valid.url, secret: valid.secret, events: valid.events,
                                                                                   origin: context.origin())
                return .redirect(to: NotificationRoute.webhook(id: endpoint.id).path + "?done=created")
            } catch let errors as FieldErrors {
                return try await listPage(request, context, identity, url: form["url"] ?? "", events: form.all("events"), errors: errors, status: .badRequest)
            }
        }
        routes.add(.get, "/admin/webhooks/{id}", .manageWebhooks) { request, context, identity in
            guard let endpoint = try await web.environment.deliveries.endpoint(id: try context.parameter("id"), organisationId: identity.organisation.id) else { throw PageError.notFound }
            let deliveries = try await web.environment.deliveries.deliveries(endpointId: endpoint.id, organisationId: identity.organisation.id)
            let page = WebhookPage(
                url: endpoint.url, events: endpoint.events.joined(separator: ", "),
                deliveries: deliveries.map { delivery in
                    WebhookPage.Row(event: delivery.event, status: delivery.status.rawValue, attempts: String(delivery.attempts),
                                    created: DisplayDate.dateTime(delivery.createdAt, identity.organisation),
                                    lastAttempt: delivery.lastAttemptAt.map { DisplayDate.dateTime($0, identity.organisation) } ?? "Not yet",
                                    response: delivery.responseStatus.map(String.init) ?? "–", error: delivery.lastError ?? "")
                },
                hasDeliveries: !deliveries.isEmpty, testAction: NotificationRoute.testWebhook(id: endpoint.id).path, csrfToken: context.csrfToken)
            let flash: String? = switch request.uri.queryParameters["done"] {
            case "created": "The webhook has been added."
            case "test": "A test event has been queued. Reload this page to see the delivery."
            default: nil
            }
            return try await web.page("admin/webhook", page, title: "Webhook", request: request, context: context, flash: flash)
        }
        routes.add(.post, "/admin/webhooks/{id}/test", .manageWebhooks) { _, context, identity in
            guard let endpoint = try await web.environment.deliveries.endpoint(id: try context.parameter("id"), organisationId: identity.organisation.id) else { throw PageError.notFound }
            _ = try await web.environment.notifier.publish(organisationId: identity.organisation.id, event: .test,
                                                           data: ["message": "Test event from Haven", "endpointId": endpoint.id])
            return .redirect(to: NotificationRoute.webhook(id: endpoint.id).path + "?done=test")
        }
    }

    func listPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, url: String, events: [String],
                  errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let endpoints = try await web.environment.deliveries.endpoints(organisationId: identity.organisation.id)
        let page = WebhooksPage(
            endpoints: endpoints.map { WebhooksPage.Row(url: $0.url, events: $0.events.joined(separator: ", "), href: NotificationRoute.webhook(id: $0.id).path) },
            hasEndpoints: !endpoints.isEmpty, errors: .init(errors), csrfToken: context.csrfToken,
            url: FormField("url", "URL", value: url, hint: "Where Haven sends a POST with a JSON body", type: "url", errors: errors),
            secret: FormField("secret", "Signing secret", hint: "At least 16 characters. Each call carries X-Haven-Signature: sha256=HMAC of the body with this secret.",
                              type: "password", autocomplete: "off", errors: errors),
            events: WebhookEvent.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue, selected: events.contains($0.rawValue)) },
            eventsError: errors["events"])
        return try await web.page("admin/webhooks", page, title: "Webhooks", request: request, context: context, status: status)
    }
}

struct WebhooksPage: Sendable {
    struct Row: Sendable {
        var url: String
        var events: String
        var href: String
    }
    var endpoints: [Row]
    var hasEndpoints: Bool
    var errors: ErrorSummary
    var csrfToken: String
    var url: FormField
    var secret: FormField
    var events: [Choice]
    var eventsError: String?
}

struct WebhookPage: Sendable {
    struct Row: Sendable {
        var event: String
        var status: String
        var attempts: String
        var created: String
        var lastAttempt: String
        var response: String
        var error: String
    }
    var url: String
    var events: String
    var deliveries: [Row]
    var hasDeliveries: Bool
    var testAction: String
    var csrfToken: String
}
