import Foundation
import HavenCore
import HavenData
import Hummingbird

/// Entering a unit's patient population for a period: how many patients of each characteristic value the unit
/// served (from its patient administration system). The periods already entered are listed with a link to change
/// each; the same unit and first month replaces that period's counts.
struct UseOfForcePopulationController {
    let web: WebContext
    var store: UseOfForceStore { web.environment.useOfForce.store }

    func register(_ routes: Routes) {
        routes.add(.get, UseOfForceRoute.population.path, .manageUseOfForcePopulation) { request, context, identity in
            let parameters = request.uri.queryParameters
            var values: [String: String] = [:]
            if let unit = parameters["unitId"].map(String.init), let from = parameters["from"].map(String.init),
               let period = try await periods(identity).first(where: { $0.unitId == unit && $0.from.description == from }) {
                values = ["unitId": unit, "from": from, "to": period.to.description]
                for (characteristic, counts) in period.patients {
                    for (value, count) in counts { values["patients.\(characteristic.rawValue).\(value)"] = String(count) }
                }
            }
            return try await page(request, context, identity, values: values, errors: .init())
        }
        routes.add(.post, UseOfForceRoute.population.path, .manageUseOfForcePopulation) { request, context, identity in
            let form = try await FormInput(request, context: context)
            var values: [String: String] = [:]
            var errors = FieldErrors()
            var raw: [String: [String: Int]] = [:]
            for key in ["unitId", "from", "to"] { values[key] = form[key] ?? "" }
            for characteristic in ProtectedCharacteristic.allCases {
                for code in characteristic.validCodes {
                    let name = "patients.\(characteristic.rawValue).\(code)"
                    let text = (form[name] ?? "").trimmingCharacters(in: .whitespaces)
                    values[name] = text
                    guard !text.isEmpty else { continue }
                    if let count = Int(text) { raw[characteristic.rawValue, default: [:]][code] = count }
                    else { errors.add(name, "Enter a whole number of patients, or leave it empty") }
                }
            }
            let units = try await web.environment.organisations.units(organisationId: identity.organisation.id)
            do {
                if !errors.isEmpty { throw APIError.validation(errors) }
                let population = try UseOfForceStatisticsAPI.population(unitId: values["unitId"]!, from: values["from"]!, to: values["to"]!,
                                                                        raw: raw, units: units, identity: identity)
                if let clash = try await store.setPopulation(population, organisationId: identity.organisation.id, origin: context.origin()) {
                    errors.add("from", "This period overlaps the unit's period starting \(clash); change that one or choose months that do not overlap")
                    return try await page(request, context, identity, values: values, errors: errors, status: .conflict)
                }
                return .redirect(to: UseOfForceRoute.population.path + "?done=1")
            } catch let error as APIError {
                if error.status == .forbidden { throw PageError.forbidden }
                for (field, message) in error.fields.sorted(by: { $0.key < $1.key }) where errors[field] == nil { errors.add(field, message) }
                return try await page(request, context, identity, values: values, errors: errors, status: .badRequest)
            }
        }
    }

    func periods(_ identity: Identity) async throws -> [UseOfForcePopulation] {
        let scope = Access.scope(of: identity.actor, for: .manageUseOfForcePopulation)
        let unitIds: Set<String>? = switch scope { case .all: nil; case .units(let ids): ids; case .none: [] }
        return try await store.populations(organisationId: identity.organisation.id, unitIds: unitIds)
    }

    func page(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, values: [String: String], errors: FieldErrors,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = Access.scope(of: identity.actor, for: .manageUseOfForcePopulation)
        let units = try await web.environment.organisations.units(organisationId: identity.organisation.id).filter { scope.contains($0.id) }
        let names = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0.name) })
        var model = UseOfForcePopulationPage(
            errors: ErrorSummary(errors),
            periods: try await periods(identity).map { period in
                .init(unit: names[period.unitId] ?? "", months: "\(period.from) to \(period.to)",
                      patients: String(period.patients[.ageBand]?.values.reduce(0, +) ?? period.patients.values.first?.values.reduce(0, +) ?? 0),
                      href: UseOfForceRoute.population.path + "?unitId=\(IncidentListController.encode(period.unitId))&from=\(period.from)")
            },
            units: units.map { Choice(value: $0.id, label: $0.name, selected: $0.id == values["unitId"]) },
            unitError: errors["unitId"],
            from: FormField("from", "First month", value: values["from"] ?? "", hint: "As YYYY-MM, for example 2026-04", type: "month", errors: errors),
            to: FormField("to", "Last month", value: values["to"] ?? "", hint: "As YYYY-MM, for example 2027-03", type: "month", errors: errors),
            characteristics: ProtectedCharacteristic.allCases.map { characteristic in
                .init(legend: characteristic.label, fields: characteristic.validCodes.map { code in
                    let name = "patients.\(characteristic.rawValue).\(code)"
                    return FormField(name, characteristic.label(of: code), value: values[name] ?? "", type: "number", required: false, errors: errors)
                })
            },
            csrfToken: context.csrfToken, analyticsHref: UseOfForceRoute.analytics.path)
        model.hasPeriods = !model.periods.isEmpty
        let flash = request.uri.queryParameters["done"] == "1" ? "The population has been saved." : nil
        return try await web.page("use-of-force/population", model, title: "Patient populations for use-of-force analytics", request: request,
                                  context: context, status: status, flash: flash)
    }
}

struct UseOfForcePopulationPage: Sendable {
    struct Period: Sendable { var unit, months, patients, href: String }
    struct Group: Sendable { var legend: String; var fields: [FormField] }
    var errors: ErrorSummary
    var periods: [Period]
    var hasPeriods = false
    var units: [Choice]
    var unitError: String?
    var from: FormField
    var to: FormField
    var characteristics: [Group]
    var csrfToken: String
    var analyticsHref: String
}
