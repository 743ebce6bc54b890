import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// The device register (administrators and safety leads) and the integrations allowed to post alarm events
/// (administrators) through the API.
struct DevicesAPI {
    let web: WebContext
    var store: LoneWorkingStore { web.environment.loneWorking.store }
    var now: Date { web.environment.clock.now() }
    static let devices = "/api/v1/lone-working/devices"
    static let integrations = "/api/v1/integrations"

    func register(_ routes: Routes) {
        routes.add(.post, Self.devices, .manageLoneWorkingDevices, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            let fields = DeviceInput.fields(&input, isNew: true)
            try input.finish()
            // Field errors become a 400 naming the fields (ErrorMiddleware).
            let device = try await DeviceInput.apply(fields, to: nil, organisationId: identity.organisation.id, environment: web.environment, now: now)
            try await store.save(device, isNew: true, origin: context.origin())
            return try jsonResponse(DeviceJSON(device), status: .created)
        }
        routes.add(.get, Self.devices, .manageLoneWorkingDevices, api: true) { request, _, identity in
            let paging = try Pagination(request)
            let all = try await store.devices(organisationId: identity.organisation.id)
            let items = all.dropFirst(paging.offset).prefix(paging.limit).map(DeviceJSON.init)
            return try jsonResponse(Page(items: Array(items), total: all.count, limit: paging.limit, offset: paging.offset))
        }
        routes.add(.get, Self.devices + "/{id}", .manageLoneWorkingDevices, api: true) { _, context, identity in
            try jsonResponse(DeviceJSON(try await device(context, identity)))
        }
        routes.add(.patch, Self.devices + "/{id}", .manageLoneWorkingDevices, api: true) { request, context, identity in
            let existing = try await device(context, identity)
            var input = try await JSONInput(request, context: context)
            let fields = DeviceInput.fields(&input, isNew: false)
            try input.finish()
            let device = try await DeviceInput.apply(fields, to: existing, organisationId: identity.organisation.id, environment: web.environment, now: now)
            try await store.save(device, isNew: false, origin: context.origin())
            return try jsonResponse(DeviceJSON(device))
        }

        routes.add(.post, Self.integrations, .manageIntegrations, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            let fields = IntegrationInput.fields(&input, isNew: true)
            try input.finish()
            let details = try await IntegrationInput.apply(fields, to: nil, organisationId: identity.organisation.id,
                                                           policy: web.environment.webhookPolicy, now: now)
            let (integration, token, secret) = try await store.createIntegration(details, origin: context.origin())
            return try jsonResponse(IntegrationJSON(integration, token: token, secret: secret), status: .created)
        }
        routes.add(.get, Self.integrations + "/{id}", .manageIntegrations, api: true) { _, context, identity in
            try jsonResponse(IntegrationJSON(try await integration(context, identity)))
        }
        routes.add(.patch, Self.integrations + "/{id}", .manageIntegrations, api: true) { request, context, identity in
            let existing = try await integration(context, identity)
            var input = try await JSONInput(request, context: context)
            let fields = IntegrationInput.fields(&input, isNew: false)
            try input.finish()
            let integration = try await IntegrationInput.apply(fields, to: existing, organisationId: identity.organisation.id,
                                                               policy: web.environment.webhookPolicy, now: now)
            _ = try await store.updateIntegration(integration, origin: context.origin())
            return try jsonResponse(IntegrationJSON(integration))
        }
        // The delivery log of the calls escalation steps made to an alarm receiving centre.
        routes.add(.get, Self.integrations + "/{id}/deliveries", .manageIntegrations, api: true) { request, context, identity in
            let paging = try Pagination(request)
            let found = try await integration(context, identity)
            let all = try await web.environment.deliveries.deliveries(integrationId: found.id, organisationId: identity.organisation.id, limit: 500)
            let items = all.dropFirst(paging.offset).prefix(paging.limit).map(DeliveryJSON.init)
            return try jsonResponse(Page(items: Array(items), total: all.count, limit: paging.limit, offset: paging.offset))
        }
        routes.add(.get, Self.integrations, .manageIntegrations, api: true) { request, _, identity in
            let paging = try Pagination(request)
            let all = try await store.integrations(organisationId: identity.organisation.id)
            let items = all.dropFirst(paging.offset).prefix(paging.limit).map { IntegrationJSON($0) }
            return try jsonResponse(Page(items: Array(items), total: all.count, limit: paging.limit, offset: paging.offset))
        }
        routes.add(.post, Self.integrations + "/{id}/revoke", .manageIntegrations, api: true) { request, context, identity in
            let input = try await JSONInput(request, context: context)
            try input.finish()
            let id = try context.parameter("id")
            guard try await store.revokeIntegration(id: id, organisationId: identity.organisation.id, origin: context.origin()),
                  let integration = try await store.integration(id: id, organisationId: identity.organisation.id) else {
                throw APIError.notFound("active integration")
            }
            return try jsonResponse(IntegrationJSON(integration))
        }
    }

    func integration(_ context: HavenRequestContext, _ identity: Identity) async throws -> LoneWorkingIntegration {
        guard let found = try await store.integration(id: try context.parameter("id"), organisationId: identity.organisation.id) else {
            throw APIError.notFound("integration")
        }
        return found
    }

    func device(_ context: HavenRequestContext, _ identity: Identity) async throws -> LoneWorkingDevice {
        guard let device = try await store.device(id: try context.parameter("id"), organisationId: identity.organisation.id) else {
            throw APIError.notFound("device")
        }
        return device
    }
}
