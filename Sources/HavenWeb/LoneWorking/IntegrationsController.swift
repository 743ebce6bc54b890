import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// Pages for the integrations that post alarm events and the alarm receiving centres escalation steps call
/// (administrators). Plain forms: everything works without JavaScript.
struct IntegrationsController {
    let web: WebContext
    var store: LoneWorkingStore { web.environment.loneWorking.store }
    var now: Date { web.environment.clock.now() }

    func register(_ routes: Routes) {
        routes.add(.get, LoneWorkingRoute.integrations.path, .manageIntegrations) { request, context, identity in
            try await listPage(request, context, identity, form: nil, errors: FieldErrors())
        }
        routes.add(.post, LoneWorkingRoute.integrations.path, .manageIntegrations) { request, context, identity in
            let form = try await FormInput(request, context: context)
            do {
                let details = try await IntegrationInput.apply(IntegrationInput.fields(form), to: nil, organisationId: identity.organisation.id,
                                                               policy: web.environment.webhookPolicy, now: now)
                let (integration, token, secret) = try await store.createIntegration(details, origin: context.origin())
                // The token and secret are shown on this answer only: they are not stored in a form anyone can read back.
                return try await integrationPage(request, context, identity, integration, issued: (token, secret), status: .created)
            } catch let errors as FieldErrors {
                return try await listPage(request, context, identity, form: form, errors: errors, status: .badRequest)
            }
        }
        routes.add(.get, "/admin/integrations/{id}", .manageIntegrations) { request, context, identity in
            try await integrationPage(request, context, identity, try await integration(context, identity), issued: nil)
        }
        routes.add(.post, "/admin/integrations/{id}", .manageIntegrations) { request, context, identity in
            let existing = try await integration(context, identity)
            let form = try await FormInput(request, context: context)
            do {
                let integration = try await IntegrationInput.apply(IntegrationInput.fields(form), to: existing, organisationId: identity.organisation.id,
                                                                   policy: web.environment.webhookPolicy, now: now)
                guard try await store.updateIntegration(integration, origin: context.origin()) else { throw PageError.notFound }
                return .redirect(to: LoneWorkingRoute.integration(integration.id).path + "?done=saved", type: .normal)
            } catch let errors as FieldErrors {
                return try await integrationPage(request, context, identity, existing, issued: nil, form: form, errors: errors, status: .badRequest)
            }
        }
        routes.add(.post, "/admin/integrations/{id}/revoke", .manageIntegrations) { _, context, identity in
            let id = try context.parameter("id")
            guard try await store.revokeIntegration(id: id, organisationId: identity.organisation.id, origin: context.origin()) else { throw PageError.notFound }
            return .redirect(to: LoneWorkingRoute.integration(id).path + "?done=revoked", type: .normal)
        }
    }

    func integration(_ context: HavenRequestContext, _ identity: Identity) async throws -> LoneWorkingIntegration {
        guard let found = try await store.integration(id: try context.parameter("id"), organisationId: identity.organisation.id) else { throw PageError.notFound }
        return found
    }

    func listPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, form: FormInput?, errors: FieldErrors,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let organisation = identity.organisation
        let integrations = try await store.integrations(organisationId: organisation.id)
        let page = IntegrationsPage(
            csrfToken: context.csrfToken,
            rows: integrations.map { integration in
                IntegrationsPage.Row(href: LoneWorkingRoute.integration(integration.id).path, name: integration.name, kind: integration.kind.displayName,
                                     status: integration.active ? "Active" : "Revoked",
                                     lastUsed: integration.lastUsedAt.map { DisplayDate.dateTime($0, organisation) } ?? "Never")
            },
            hasRows: !integrations.isEmpty,
            form: IntegrationForm(form: form, integration: nil, errors: errors, action: LoneWorkingRoute.integrations.path))
        return try await web.page("lone-working/integrations", page, title: "Integrations", request: request, context: context, status: status)
    }

    func integrationPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, _ integration: LoneWorkingIntegration,
                         issued: (token: String, secret: String)?, form: FormInput? = nil, errors: FieldErrors = FieldErrors(),
                         status: HTTPResponse.Status = .ok) async throws -> Response {
        let organisation = identity.organisation
        let rejections = try await store.rejections(integrationId: integration.id, organisationId: organisation.id)
        let calls = try await web.environment.deliveries.deliveries(integrationId: integration.id, organisationId: organisation.id, limit: 50)
        let page = IntegrationPage(
            csrfToken: context.csrfToken, name: integration.name, kind: integration.kind.displayName, active: integration.active,
            status: integration.active ? "Active" : "Revoked \(integration.revokedAt.map { DisplayDate.dateTime($0, organisation) } ?? "")",
            created: DisplayDate.dateTime(integration.createdAt, organisation),
            lastUsed: integration.lastUsedAt.map { DisplayDate.dateTime($0, organisation) } ?? "Never",
            certification: integration.bs8484Certified ? "Certified to BS 8484: \(integration.certificateReference)" : "Not recorded as certified",
            police: Self.police(integration),
            responseAgreement: integration.responseAgreement.isEmpty ? "Not recorded" : integration.responseAgreement,
            token: issued?.token, secret: issued?.secret, endpoint: AlarmEventsAPI.path,
            revokeAction: LoneWorkingRoute.revokeIntegration(integration.id).path,
            form: IntegrationForm(form: form, integration: integration, errors: errors, action: LoneWorkingRoute.integration(integration.id).path),
            calls: calls.map { call in
                IntegrationPage.Call(when: DisplayDate.dateTime(call.createdAt, organisation), status: Self.describe(call),
                                     detail: call.lastError ?? call.responseStatus.map { "Answered \($0)" } ?? "")
            },
            hasCalls: !calls.isEmpty, isCentre: integration.kind == .alarmReceivingCentre,
            rejections: rejections.map { IntegrationPage.Rejection(when: DisplayDate.dateTime($0.at, organisation), reason: $0.reason, address: $0.address) },
            hasRejections: !rejections.isEmpty)
        let flash: String? = switch request.uri.queryParameters["done"] {
        case "revoked": "The integration has been revoked: its token no longer works, and escalation steps no longer call it."
        case "saved": "The integration has been saved."
        default: nil
        }
        return try await web.page("lone-working/integration", page, title: "Integration \(integration.name)", request: request, context: context,
                                  status: status, flash: flash)
    }

    static func police(_ integration: LoneWorkingIntegration) -> String {
        if integration.policeURN.isEmpty { return "No police URN recorded" }
        return "URN \(integration.policeURN)" + (integration.level1Response ? ", Level 1 (immediate) response agreed" : ", no Level 1 response agreed")
    }

    static func describe(_ call: Delivery) -> String {
        switch call.status {
        case .delivered: "Delivered"
        case .pending: call.attempts == 0 ? "Sending" : "Not delivered yet: retrying (\(call.attempts) attempts)"
        case .failed: "Not delivered: gave up after \(call.attempts) attempts"
        }
    }
}
