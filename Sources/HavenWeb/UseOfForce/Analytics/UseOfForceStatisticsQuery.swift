import Foundation
import HavenCore
import HavenData

/// What the statistics API, the analytics page and the exports are asked for: a range of local months (YYYY-MM,
/// inclusive, in the organisation's time zone) and optionally one unit, always within the reader's remit.
/// Months, not days, because occupied bed days are entered per month (unit activity) and a rate per 1,000 bed days
/// cannot be cut finer than its denominator.
struct UseOfForceStatisticsQuery: Sendable {
    var from: CalendarMonth
    var to: CalendarMonth
    var unitId: String?
    /// The units counted: the one asked for, or every unit in the remit (nil: all of the organisation).
    var unitIds: Set<String>?
    var units: [CareUnit]
    var errors = FieldErrors()
    /// A unit that exists but is outside the reader's remit: 403 rather than 400.
    var forbiddenUnit = false

    static let defaultMonths = 12

    init(_ value: (String) -> String?, identity: Identity, units allUnits: [CareUnit], now: Date, action: Action = .viewUseOfForceStatistics) {
        let timeZone = TimeZone(identifier: identity.organisation.timeZone) ?? .gmt
        let current = CalendarMonth(now, in: timeZone)
        func text(_ key: String) -> String? { value(key).flatMap { $0.isEmpty ? nil : $0 } }
        var errors = FieldErrors()
        var months: [String: CalendarMonth] = [:]
        for key in ["from", "to"] {
            guard let raw = text(key) else { continue }
            if let month = CalendarMonth(raw) { months[key] = month } else { errors.add(key, "\(key) must be a month as YYYY-MM, for example 2026-10") }
        }
        to = months["to"] ?? (months["from"].map { max($0, current) } ?? current)
        from = months["from"] ?? to.adding(months: -(Self.defaultMonths - 1))
        if errors.isEmpty, to < from { errors.add("to", "to must be the same month as from or after it") }
        if errors.isEmpty, to.index - from.index >= UseOfForcePopulation.maximumMonths {
            errors.add("to", "Ask for at most \(UseOfForcePopulation.maximumMonths) months at a time")
        }
        let scope = Access.scope(of: identity.actor, for: action)
        units = allUnits.filter { scope.contains($0.id) }
        switch scope {
        case .all: unitIds = nil
        case .units(let ids): unitIds = ids
        case .none: unitIds = []
        }
        if let unit = text("unitId") {
            unitId = unit
            if !allUnits.contains(where: { $0.id == unit }) {
                errors.add("unitId", "unitId is not a unit of this organisation")
            } else if !scope.contains(unit) {
                errors.add("unitId", "This unit is outside your remit")
                forbiddenUnit = true
            } else {
                unitIds = [unit]
            }
        }
        self.errors = errors
    }

    /// The API's answer to a bad query: 403 for a unit outside the remit, 400 naming the field otherwise.
    func throwIfInvalid() throws {
        guard !errors.isEmpty else { return }
        if forbiddenUnit && errors.items.count == 1 {
            throw APIError(.forbidden, code: "forbidden", message: "This unit is outside your remit", fields: errors.asDictionary)
        }
        throw APIError.validation(errors)
    }

    var auditChanges: [String: String] {
        ["from": from.description, "to": to.description, "unitId": unitId ?? ""]
    }
}
