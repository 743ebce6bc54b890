import Foundation
import HavenCore
import HavenData
import Hummingbird

/// The organisation, sites, units and monthly activity in the JSON API.
struct OrganisationAPI {
    let web: WebContext
    var store: OrganisationStore { web.environment.organisations }

    func register(_ routes: Routes) {
        routes.add(.get, "/api/v1/organisation", .viewOrganisation, api: true) { _, _, identity in
            try jsonResponse(OrganisationJSON(identity.organisation))
        }
        routes.add(.patch, "/api/v1/organisation", .manageOrganisation, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            let name = input.string("name"), timeZone = input.string("timeZone"), rulePack = input.string("rulePack")
            let unsigned = input.bool("allowsUnsignedReports"), twoFactor = input.bool("requiresTwoFactorForPrivileged")
            let reviewDays = input.int("reviewTargetDays", range: 1...60).map(String.init)
            let welfareHours = input.int("welfareCheckHours", range: 1...336).map(String.init)
            try input.finish()
            let updated = try OrganisationInput.organisation(identity.organisation, name: name, timeZone: timeZone, rulePack: rulePack,
                                                             allowsUnsignedReports: unsigned, requiresTwoFactor: twoFactor,
                                                             reviewTargetDays: reviewDays, welfareCheckHours: welfareHours)
            try await store.update(updated, origin: context.origin())
            web.tokenCache.clear()
            return try jsonResponse(OrganisationJSON(updated))
        }

        routes.add(.get, "/api/v1/sites", .viewOrganisation, api: true) { request, _, identity in
            try jsonResponse(try Pagination(request).page(try await store.sites(organisationId: identity.organisation.id).map(SiteJSON.init)))
        }
        routes.add(.post, "/api/v1/sites", .manageOrganisation, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            let name = input.string("name", required: true), address = input.string("address")
            try input.finish()
            let site = try OrganisationInput.site(id: Identifier.make(), organisationId: identity.organisation.id, name: name, address: address)
            try await store.save(site, origin: context.origin())
            return try jsonResponse(SiteJSON(site), status: .created)
        }
        routes.add(.get, "/api/v1/sites/{id}", .viewOrganisation, api: true) { _, context, identity in
            guard let site = try await store.site(id: try context.parameter("id"), organisationId: identity.organisation.id) else { throw APIError.notFound("site") }
            return try jsonResponse(SiteJSON(site))
        }
        routes.add(.patch, "/api/v1/sites/{id}", .manageOrganisation, api: true) { request, context, identity in
            guard let site = try await store.site(id: try context.parameter("id"), organisationId: identity.organisation.id) else { throw APIError.notFound("site") }
            var input = try await JSONInput(request, context: context)
            let name = input.string("name"), address = input.string("address")
            try input.finish()
            let updated = try OrganisationInput.site(id: site.id, organisationId: site.organisationId, name: name ?? site.name, address: address ?? site.address)
            try await store.save(updated, origin: context.origin())
            return try jsonResponse(SiteJSON(updated))
        }

        routes.add(.get, "/api/v1/units", .viewOrganisation, api: true) { request, _, identity in
            var units = try await store.units(organisationId: identity.organisation.id)
            if let kind = request.uri.queryParameters["kind"] {
                guard let kind = UnitKind(rawValue: String(kind)) else {
                    throw APIError.validation(FieldErrors("kind", "kind must be one of \(UnitKind.allCases.map(\.rawValue).joined(separator: ", "))"))
                }
                units = units.filter { $0.kind == kind }
            }
            if let siteId = request.uri.queryParameters["siteId"] { units = units.filter { $0.siteId == String(siteId) } }
            return try jsonResponse(try Pagination(request).page(units.map(UnitJSON.init)))
        }
        routes.add(.post, "/api/v1/units", .manageOrganisation, api: true) { request, context, identity in
            let text = try await unitText(request, context, partial: false)
            let unit = try OrganisationInput.unit(id: Identifier.make(), organisationId: identity.organisation.id, text)
            try await store.save(unit, origin: context.origin())
            return try jsonResponse(UnitJSON(unit), status: .created)
        }
        routes.add(.get, "/api/v1/units/{id}", .viewOrganisation, api: true) { _, context, identity in
            try jsonResponse(UnitJSON(try await unit(context, identity)))
        }
        routes.add(.patch, "/api/v1/units/{id}", .manageOrganisation, api: true) { request, context, identity in
            let unit = try await unit(context, identity)
            var text = try await unitText(request, context, partial: true)
            text.siteId = text.siteId ?? unit.siteId
            text.code = text.code ?? unit.code
            text.name = text.name ?? unit.name
            text.kind = text.kind ?? unit.kind.rawValue
            text.beds = text.beds ?? unit.beds.map(String.init)
            text.staffWTE = text.staffWTE ?? unit.staffWTE.map { String($0) }
            let updated = try OrganisationInput.unit(id: unit.id, organisationId: unit.organisationId, text)
            try await store.save(updated, origin: context.origin())
            return try jsonResponse(UnitJSON(updated))
        }
        routes.add(.get, "/api/v1/units/{id}/activity", .viewOrganisation, api: true) { request, context, identity in
            let unit = try await unit(context, identity)
            return try jsonResponse(try Pagination(request).page(try await store.activity(unitId: unit.id, organisationId: unit.organisationId).map(ActivityJSON.init)))
        }
        routes.add(.put, "/api/v1/units/{id}/activity/{month}", .recordActivity, api: true) { request, context, identity in
            let unit = try await unit(context, identity)
            guard Access.allows(identity.actor, .recordActivity, unitId: unit.id) else { throw APIError.forbidden }
            var input = try await JSONInput(request, context: context)
            let days = input.int("occupiedBedDays", range: 0...1_000_000), wte = input.double("staffWTE", range: 0...100_000)
            try input.finish()
            let activity = try OrganisationInput.activity(unitId: unit.id, month: try context.parameter("month"),
                                                          occupiedBedDays: days.map(String.init), staffWTE: wte.map { String($0) })
            try await store.record(activity, origin: context.origin())
            return try jsonResponse(ActivityJSON(activity))
        }
    }

    func unit(_ context: HavenRequestContext, _ identity: Identity) async throws -> CareUnit {
        guard let unit = try await store.unit(id: try context.parameter("id"), organisationId: identity.organisation.id) else { throw APIError.notFound("unit") }
        return unit
    }

    /// Reads a unit body; numbers arrive as JSON numbers and are checked by the same rules as the form.
    func unitText(_ request: Request, _ context: HavenRequestContext, partial: Bool) async throws -> OrganisationInput.UnitText {
        var input = try await JSONInput(request, context: context)
        let text = OrganisationInput.UnitText(
            siteId: input.string("siteId", required: !partial), code: input.string("code", required: !partial),
            name: input.string("name", required: !partial), kind: input.string("kind", required: !partial),
            beds: input.int("beds", range: 0...5000).map(String.init), staffWTE: input.double("staffWTE", range: 0...100_000).map { String($0) })
        try input.finish()
        return text
    }
}
