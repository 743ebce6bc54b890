import Foundation
import HavenCore
import HavenData
import Hummingbird

/// Units: everyone sees the list; administrators add and edit them; managers record monthly activity
/// for their own units.
struct UnitsController {
    let web: WebContext
    var store: OrganisationStore { web.environment.organisations }

    func register(_ routes: Routes) {
        routes.add(.get, OrganisationRoute.units.path, .viewOrganisation) { request, context, identity in
            let organisationId = identity.organisation.id
            let sites = Dictionary(uniqueKeysWithValues: try await store.sites(organisationId: organisationId).map { ($0.id, $0.name) })
            let activityScope = Access.scope(of: identity.actor, for: .recordActivity)
            let units = try await store.units(organisationId: organisationId).map { unit in
                UnitsPage.Row(code: unit.code, name: unit.name, kind: unit.kind.displayName, site: sites[unit.siteId] ?? "",
                              beds: unit.beds.map(String.init) ?? "–", wte: unit.staffWTE.map(Self.format) ?? "–",
                              href: OrganisationRoute.unit(id: unit.id).path, yours: identity.user.unitIds.contains(unit.id),
                              canRecordActivity: activityScope.contains(unit.id))
            }
            let page = UnitsPage(units: units, canAdd: Access.allows(identity.actor, .manageOrganisation), newHref: OrganisationRoute.newUnit.path)
            return try await web.page("units/list", page, title: "Units", request: request, context: context,
                                      flash: request.uri.queryParameters["done"] == "1" ? "The unit has been saved." : nil)
        }
        routes.add(.get, OrganisationRoute.newUnit.path, .manageOrganisation) { request, context, identity in
            try await editPage(request, context, identity, unit: nil, text: .init(), errors: .init())
        }
        routes.add(.post, OrganisationRoute.newUnit.path, .manageOrganisation) { request, context, identity in
            let form = try await FormInput(request, context: context)
            let text = Self.unitText(form)
            do {
                let unit = try OrganisationInput.unit(id: Identifier.make(), organisationId: identity.organisation.id, text)
                try await store.save(unit, origin: context.origin())
                return .redirect(to: OrganisationRoute.units.path + "?done=1")
            } catch let errors as FieldErrors {
                return try await editPage(request, context, identity, unit: nil, text: text, errors: errors, status: .badRequest)
            }
        }
        routes.add(.get, "/units/{id}", .viewOrganisation) { request, context, identity in
            let unit = try await findUnit(context, identity)
            return try await unitPage(request, context, identity, unit: unit, activityText: (nil, nil, nil), errors: .init())
        }
        routes.add(.get, "/units/{id}/edit", .manageOrganisation) { request, context, identity in
            let unit = try await findUnit(context, identity)
            return try await editPage(request, context, identity, unit: unit, text: .init(), errors: .init())
        }
        routes.add(.post, "/units/{id}", .manageOrganisation) { request, context, identity in
            let unit = try await findUnit(context, identity)
            let form = try await FormInput(request, context: context)
            let text = Self.unitText(form)
            do {
                let updated = try OrganisationInput.unit(id: unit.id, organisationId: unit.organisationId, text)
                try await store.save(updated, origin: context.origin())
                return .redirect(to: OrganisationRoute.unit(id: unit.id).path + "?done=unit")
            } catch let errors as FieldErrors {
                return try await editPage(request, context, identity, unit: unit, text: text, errors: errors, status: .badRequest)
            }
        }
        routes.add(.post, "/units/{id}/activity", .recordActivity) { request, context, identity in
            let unit = try await findUnit(context, identity)
            // A manager records activity for the units they manage, not for others.
            guard Access.allows(identity.actor, .recordActivity, unitId: unit.id) else { throw PageError.forbidden }
            let form = try await FormInput(request, context: context)
            do {
                let activity = try OrganisationInput.activity(unitId: unit.id, month: form["month"], occupiedBedDays: form["occupiedBedDays"], staffWTE: form["staffWTE"])
                try await store.record(activity, origin: context.origin())
                return .redirect(to: OrganisationRoute.unit(id: unit.id).path + "?done=activity")
            } catch let errors as FieldErrors {
                return try await unitPage(request, context, identity, unit: unit,
                                          activityText: (form["month"], form["occupiedBedDays"], form["staffWTE"]), errors: errors, status: .badRequest)
            }
        }
    }

    func findUnit(_ context: HavenRequestContext, _ identity: Identity) async throws -> CareUnit {
        guard let unit = try await store.unit(id: try context.parameter("id"), organisationId: identity.organisation.id) else { throw PageError.notFound }
        return unit
    }

    static func unitText(_ form: FormInput) -> OrganisationInput.UnitText {
        .init(siteId: form["siteId"], code: form["code"], name: form["name"], kind: form["kind"], beds: form["beds"], staffWTE: form["staffWTE"])
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    func unitPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, unit: CareUnit,
                  activityText: (String?, String?, String?), errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let site = try await store.site(id: unit.siteId, organisationId: unit.organisationId)
        let activity = try await store.activity(unitId: unit.id, organisationId: unit.organisationId).map {
            UnitPage.ActivityRow(month: $0.month, occupiedBedDays: $0.occupiedBedDays.map(String.init) ?? "–", wte: $0.staffWTE.map(Self.format) ?? "–")
        }
        let page = UnitPage(
            name: unit.name, code: unit.code, kind: unit.kind.displayName, site: site?.name ?? "",
            beds: unit.beds.map(String.init) ?? "–", wte: unit.staffWTE.map(Self.format) ?? "–",
            canEdit: Access.allows(identity.actor, .manageOrganisation), editHref: OrganisationRoute.unit(id: unit.id).path + "/edit",
            activity: activity, hasActivity: !activity.isEmpty,
            canRecordActivity: Access.allows(identity.actor, .recordActivity, unitId: unit.id),
            activityAction: OrganisationRoute.unitActivity(id: unit.id).path,
            errors: .init(errors), csrfToken: context.csrfToken,
            month: FormField("month", "Month", value: activityText.0 ?? "", hint: "As YYYY-MM, for example 2026-10", errors: errors),
            occupiedBedDays: FormField("occupiedBedDays", "Occupied bed days", value: activityText.1 ?? "", hint: "Leave blank for teams without beds", type: "text", required: false, errors: errors),
            staffWTE: FormField("staffWTE", "Staff whole-time equivalent (WTE)", value: activityText.2 ?? "", required: false, errors: errors))
        let flash: String? = switch request.uri.queryParameters["done"] {
        case "activity": "The activity figures have been saved."
        case "unit": "The unit has been saved."
        default: nil
        }
        return try await web.page("units/show", page, title: unit.name, request: request, context: context, status: status, flash: flash)
    }

    func editPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, unit: CareUnit?,
                  text: OrganisationInput.UnitText, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let sites = try await store.sites(organisationId: identity.organisation.id)
        let siteId = text.siteId ?? unit?.siteId ?? ""
        let kind = text.kind ?? unit?.kind.rawValue ?? ""
        let page = UnitEditPage(
            action: unit.map { OrganisationRoute.unit(id: $0.id).path } ?? OrganisationRoute.newUnit.path,
            isNew: unit == nil, errors: .init(errors), csrfToken: context.csrfToken,
            sites: sites.map { Choice(value: $0.id, label: $0.name, selected: $0.id == siteId) }, siteError: errors["siteId"],
            code: FormField("code", "Code", value: text.code ?? unit?.code ?? "", hint: "A short code people know the unit by, for example OAK", errors: errors),
            name: FormField("name", "Unit name", value: text.name ?? unit?.name ?? "", errors: errors),
            kinds: UnitKind.allCases.map { Choice(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == kind) }, kindError: errors["kind"],
            beds: FormField("beds", "Beds", value: text.beds ?? unit?.beds.map(String.init) ?? "", hint: "Leave blank for teams without beds", required: false, errors: errors),
            staffWTE: FormField("staffWTE", "Staff whole-time equivalent (WTE)", value: text.staffWTE ?? unit?.staffWTE.map(Self.format) ?? "", required: false, errors: errors))
        return try await web.page("units/edit", page, title: unit == nil ? "Add a unit" : "Edit \(unit!.name)", request: request, context: context, status: status)
    }
}

struct UnitsPage: Sendable {
    struct Row: Sendable {
        var code: String
        var name: String
        var kind: String
        var site: String
        var beds: String
        var wte: String
        var href: String
        var yours: Bool
        var canRecordActivity: Bool
    }
    var units: [Row]
    var canAdd: Bool
    var newHref: String
}

struct UnitPage: Sendable {
    struct ActivityRow: Sendable {
        var month: String
        var occupiedBedDays: String
        var wte: String
    }
    var name: String
    var code: String
    var kind: String
    var site: String
    var beds: String
    var wte: String
    var canEdit: Bool
    var editHref: String
    var activity: [ActivityRow]
    var hasActivity: Bool
    var canRecordActivity: Bool
    var activityAction: String
    var errors: ErrorSummary
    var csrfToken: String
    var month: FormField
    var occupiedBedDays: FormField
    var staffWTE: FormField
}

struct UnitEditPage: Sendable {
    var action: String
    var isNew: Bool
    var errors: ErrorSummary
    var csrfToken: String
    var sites: [Choice]
    var siteError: String?
    var code: FormField
    var name: FormField
    var kinds: [Choice]
    var kindError: String?
    var beds: FormField
    var staffWTE: FormField
}
