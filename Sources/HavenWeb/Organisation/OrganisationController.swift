import Foundation
import HavenCore
import HavenData
import Hummingbird

/// Organisation settings and sites, for administrators.
struct OrganisationController {
    let web: WebContext
    var store: OrganisationStore { web.environment.organisations }

    func register(_ routes: Routes) {
        routes.add(.get, OrganisationRoute.organisation.path, .manageOrganisation) { request, context, identity in
            try await settingsPage(request, context, identity.organisation, errors: .init(),
                                   flash: request.uri.queryParameters["done"] == "1" ? "The organisation settings have been saved." : nil)
        }
        routes.add(.post, OrganisationRoute.organisation.path, .manageOrganisation) { request, context, identity in
            let form = try await FormInput(request, context: context)
            do {
                let updated = try OrganisationInput.organisation(
                    identity.organisation, name: form["name"] ?? "", timeZone: form["timeZone"] ?? "", rulePack: form["rulePack"] ?? "",
                    allowsUnsignedReports: form["allowsUnsignedReports"] == "yes", requiresTwoFactor: form["requiresTwoFactor"] == "yes",
                    reviewTargetDays: form["reviewTargetDays"] ?? "", welfareCheckHours: form["welfareCheckHours"] ?? "")
                try await store.update(updated, origin: context.origin())
                return .redirect(to: OrganisationRoute.organisation.path + "?done=1")
            } catch let errors as FieldErrors {
                var typed = identity.organisation
                typed.name = form["name"] ?? ""
                typed.timeZone = form["timeZone"] ?? ""
                return try await settingsPage(request, context, typed, errors: errors, status: .badRequest,
                                              typedNumbers: (form["reviewTargetDays"] ?? "", form["welfareCheckHours"] ?? ""))
            }
        }
        routes.add(.get, OrganisationRoute.sites.path, .manageOrganisation) { request, context, identity in
            try await sitesPage(request, context, identity, name: "", address: "", errors: .init())
        }
        routes.add(.post, OrganisationRoute.sites.path, .manageOrganisation) { request, context, identity in
            let form = try await FormInput(request, context: context)
            do {
                let site = try OrganisationInput.site(id: Identifier.make(), organisationId: identity.organisation.id, name: form["name"], address: form["address"])
                try await store.save(site, origin: context.origin())
                return .redirect(to: OrganisationRoute.sites.path + "?done=1")
            } catch let errors as FieldErrors {
                return try await sitesPage(request, context, identity, name: form["name"] ?? "", address: form["address"] ?? "", errors: errors, status: .badRequest)
            }
        }
        routes.add(.get, "/admin/sites/{id}", .manageOrganisation) { request, context, identity in
            guard let site = try await store.site(id: try context.parameter("id"), organisationId: identity.organisation.id) else { throw PageError.notFound }
            return try await sitePage(request, context, site, errors: .init())
        }
        routes.add(.post, "/admin/sites/{id}", .manageOrganisation) { request, context, identity in
            guard let existing = try await store.site(id: try context.parameter("id"), organisationId: identity.organisation.id) else { throw PageError.notFound }
            let form = try await FormInput(request, context: context)
            do {
                let site = try OrganisationInput.site(id: existing.id, organisationId: existing.organisationId, name: form["name"], address: form["address"])
                try await store.save(site, origin: context.origin())
                return .redirect(to: OrganisationRoute.sites.path + "?done=1")
            } catch let errors as FieldErrors {
                let typed = Site(id: existing.id, organisationId: existing.organisationId, name: form["name"] ?? "", address: form["address"] ?? "")
                return try await sitePage(request, context, typed, errors: errors, status: .badRequest)
            }
        }
    }

    func settingsPage(_ request: Request, _ context: HavenRequestContext, _ organisation: Organisation, errors: FieldErrors,
                      status: HTTPResponse.Status = .ok, flash: String? = nil, typedNumbers: (String, String)? = nil) async throws -> Response {
        let page = OrganisationPage(
            errors: .init(errors), csrfToken: context.csrfToken,
            name: FormField("name", "Organisation name", value: organisation.name, errors: errors),
            timeZone: FormField("timeZone", "Time zone", value: organisation.timeZone,
                                hint: "Used for dates, weeks and months in reports, for example Europe/London", errors: errors),
            rulePacks: RulePack.allCases.map { Choice(value: $0.rawValue, label: $0.displayName, selected: $0 == organisation.rulePack) },
            rulePackError: errors["rulePack"],
            allowsUnsignedReports: organisation.allowsUnsignedReports,
            requiresTwoFactor: organisation.requiresTwoFactorForPrivileged,
            reviewTargetDays: FormField("reviewTargetDays", "Review incident reports within (working days)",
                                        value: typedNumbers?.0 ?? String(organisation.reviewTargetDays),
                                        hint: "Reports not reviewed by then appear under “needs your attention” and their handlers are reminded",
                                        type: "number", errors: errors),
            welfareCheckHours: FormField("welfareCheckHours", "Offer a welfare check within (hours)", value: typedNumbers?.1 ?? String(organisation.welfareCheckHours), type: "number",
                                         errors: errors))
        return try await web.page("admin/organisation", page, title: "Organisation settings", request: request, context: context, status: status, flash: flash)
    }

    func sitesPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, name: String, address: String,
                   errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let sites = try await store.sites(organisationId: identity.organisation.id)
        let page = SitesPage(
            sites: sites.map { SitesPage.Row(name: $0.name, address: $0.address, href: OrganisationRoute.site(id: $0.id).path) },
            errors: .init(errors), csrfToken: context.csrfToken,
            name: FormField("name", "Site name", value: name, errors: errors),
            address: FormField("address", "Address", value: address, required: false, errors: errors))
        return try await web.page("admin/sites", page, title: "Sites", request: request, context: context, status: status,
                                  flash: request.uri.queryParameters["done"] == "1" ? "The site has been saved." : nil)
    }

    func sitePage(_ request: Request, _ context: HavenRequestContext, _ site: Site, errors: FieldErrors,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let page = SitePage(action: OrganisationRoute.site(id: site.id).path, errors: .init(errors), csrfToken: context.csrfToken,
                            name: FormField("name", "Site name", value: site.name, errors: errors),
                            address: FormField("address", "Address", value: site.address, required: false, errors: errors))
        return try await web.page("admin/site", page, title: "Edit site", request: request, context: context, status: status)
    }
}

struct OrganisationPage: Sendable {
    var errors: ErrorSummary
    var csrfToken: String
    var name: FormField
    var timeZone: FormField
    var rulePacks: [Choice]
    var rulePackError: String?
    var allowsUnsignedReports: Bool
    var requiresTwoFactor: Bool
    var reviewTargetDays: FormField
    var welfareCheckHours: FormField
}

struct SitesPage: Sendable {
    struct Row: Sendable {
        var name: String
        var address: String
        var href: String
    }
    var sites: [Row]
    var errors: ErrorSummary
    var csrfToken: String
    var name: FormField
    var address: FormField
}

struct SitePage: Sendable {
    var action: String
    var errors: ErrorSummary
    var csrfToken: String
    var name: FormField
    var address: FormField
}
