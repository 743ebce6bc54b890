import Foundation
import HavenCore
import HavenData
import Hummingbird

/// Reduction analytics through the API: the statistics of a range of months, and the patient populations that
/// disproportionality ratios divide by. Aggregates only: no record, name or identifier is in any answer, and a
/// partnership representative's answer withholds small numbers (`UseOfForceAccess.withholdsSmallNumbers`).
struct UseOfForceStatisticsAPI {
    let web: WebContext
    var store: UseOfForceStore { web.environment.useOfForce.store }
    static let statisticsPath = UseOfForceAPI.base + "/statistics"
    static let populationsPath = UseOfForceAPI.base + "/populations"

    func register(_ routes: Routes) {
        routes.add(.get, Self.statisticsPath, .viewUseOfForceStatistics, api: true) { request, _, identity in
            let query = try await query(request, identity, action: .viewUseOfForceStatistics)
            try query.throwIfInvalid()
            let statistics = try await store.statistics(organisationId: identity.organisation.id, from: query.from, to: query.to, unitIds: query.unitIds)
            let hiding = try await web.useOfForceSuppression(identity, unitIds: query.unitIds)
            return try jsonResponse(UseOfForceStatisticsJSON(statistics, query: query, hiding: hiding))
        }
        routes.add(.get, Self.populationsPath, .manageUseOfForcePopulation, api: true) { request, _, identity in
            let query = try await query(request, identity, action: .manageUseOfForcePopulation)
            // Only unitId matters here; the months are not a filter of the list.
            if let message = query.errors["unitId"] {
                if query.forbiddenUnit { throw APIError(.forbidden, code: "forbidden", message: message, fields: ["unitId": message]) }
                throw APIError(.badRequest, code: "validation_failed", message: "unitId: \(message)", fields: ["unitId": message])
            }
            let periods = try await store.populations(organisationId: identity.organisation.id, unitIds: query.unitIds)
            return try jsonResponse(["items": periods.map(UseOfForcePopulationJSON.init)])
        }
        routes.add(.put, Self.populationsPath, .manageUseOfForcePopulation, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            var errors = FieldErrors()
            let unitId = input.string("unitId", required: true)
            let from = input.string("from", required: true), to = input.string("to", required: true)
            var raw: [String: [String: Int]] = [:]
            if let patients = input.object("patients") {
                for (key, value) in patients {
                    guard case .object(let counts) = value else { errors.add("patients.\(key)", "patients.\(key) must be an object of value → number of patients"); continue }
                    var inner = JSONInput(object: counts, prefix: "patients.\(key).")
                    for code in counts.keys { if let count = inner.int(code, range: 0...1_000_000) { raw[key, default: [:]][code] = count } }
                    errors.merge(inner.problems())
                }
            } else if !input.has("patients") {
                input.require("patients")
            }
            input.absorb(errors)
            try input.finish()
            let units = try await web.environment.organisations.units(organisationId: identity.organisation.id)
            let population = try Self.population(unitId: unitId!, from: from!, to: to!, raw: raw, units: units, identity: identity)
            guard let clash = try await store.setPopulation(population, organisationId: identity.organisation.id, origin: context.origin()) else {
                return try jsonResponse(UseOfForcePopulationJSON(population))
            }
            let message = "This period overlaps the unit's period starting \(clash); change that one or choose months that do not overlap"
            throw APIError(.conflict, code: "conflict", message: message, fields: ["from": message])
        }
    }

    func query(_ request: Request, _ identity: Identity, action: Action) async throws -> UseOfForceStatisticsQuery {
        let parameters = request.uri.queryParameters
        let units = try await web.environment.organisations.units(organisationId: identity.organisation.id)
        return UseOfForceStatisticsQuery({ parameters[Substring($0)].map(String.init) }, identity: identity, units: units,
                                         now: web.environment.clock.now(), action: action)
    }

    /// A population the caller may enter, checked whole: 400 naming each bad field, 403 for a unit outside the remit.
    static func population(unitId: String, from: String, to: String, raw: [String: [String: Int]], units: [CareUnit],
                           identity: Identity) throws -> UseOfForcePopulation {
        var errors = FieldErrors()
        let first = CalendarMonth(from), last = CalendarMonth(to)
        if first == nil { errors.add("from", "from must be a month as YYYY-MM, for example 2026-04") }
        if last == nil { errors.add("to", "to must be a month as YYYY-MM, for example 2027-03") }
        if let first, let last {
            if last < first { errors.add("to", "to must be the same month as from or after it") }
            else if last.index - first.index >= UseOfForcePopulation.maximumMonths { errors.add("to", "A period may cover at most \(UseOfForcePopulation.maximumMonths) months") }
        }
        if !units.contains(where: { $0.id == unitId }) {
            errors.add("unitId", "unitId is not a unit of this organisation")
        } else if !Access.allows(identity.actor, .manageUseOfForcePopulation, unitId: unitId) {
            throw APIError(.forbidden, code: "forbidden", message: "This unit is outside your remit", fields: ["unitId": "This unit is outside your remit"])
        }
        let patients = UseOfForcePopulation.parse(raw, into: &errors)
        if errors.isEmpty, patients.values.allSatisfy({ $0.isEmpty }) {
            errors.add("patients", "Enter the number of patients for at least one characteristic")
        }
        if !errors.isEmpty { throw APIError.validation(errors) }
        return UseOfForcePopulation(unitId: unitId, from: first!, to: last!, patients: patients)
    }
}

extension WebContext {
    /// The small numbers withheld from this reader of the analytics: none, or the organisation's threshold.
    func useOfForceSuppression(_ identity: Identity, unitIds: Set<String>?) async throws -> SmallNumbers {
        guard UseOfForceAccess.withholdsSmallNumbers(from: identity.actor, unitIds: unitIds) else { return .nothingHidden }
        return try await environment.useOfForce.debriefs.settings(organisationId: identity.organisation.id).smallNumbers
    }
}
