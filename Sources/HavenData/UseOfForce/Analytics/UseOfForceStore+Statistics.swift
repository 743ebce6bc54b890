import Foundation
import HavenCore
import SQLKit

extension UseOfForceStore {
    /// The reduction analytics for a range of months and a set of units (nil: every unit), read from the monthly
    /// rollups, the unit activity and the populations entered: a few small indexed reads whatever the number of
    /// episodes, so the dashboard stays fast as the record grows.
    public func statistics(organisationId: String, from: CalendarMonth, to: CalendarMonth, unitIds: Set<String>?) async throws -> UseOfForceStatistics {
        if let unitIds, unitIds.isEmpty {
            return .assemble(from: from, to: to, unitMonths: [], minutes: [], bedDays: [], byValue: [:], population: [:])
        }
        // The event tables call the month local_month; the rollups call it month.
        let events: SQLQueryString = "organisation_id = \(bind: organisationId) AND local_month >= \(bind: from.description) AND local_month <= \(bind: to.description)"
        let units: SQLQueryString = unitIds.map { " AND unit_id IN (\(binds: $0.sorted()))" } ?? ""
        let range: SQLQueryString = "organisation_id = \(bind: organisationId) AND month >= \(bind: from.description) AND month <= \(bind: to.description)"
        let columns = UseOfForceMeasures.columns
        // SUM of BIGINT is NUMERIC on PostgreSQL; cast back so both databases decode it as an integer.
        let sums = columns.map { "CAST(SUM(\($0)) AS BIGINT) AS \($0)" }.joined(separator: ", ")
        // A unit-month's identifiers in one string (anonymised ones, empty, left out: NULL is skipped by both).
        let identifier: SQLQueryString = "CASE WHEN patient_local_id <> '' THEN patient_local_id END"
        let joined: SQLQueryString = database.dialect == .postgres
            ? "STRING_AGG(\(identifier), \(bind: Self.patientSeparator))"
            : "GROUP_CONCAT(\(identifier), \(bind: Self.patientSeparator))"
        return try await database.read { db in
            let totals = try await db.raw("""
                SELECT unit_id, month, \(unsafeRaw: columns.joined(separator: ", ")) FROM use_of_force_monthly
                WHERE \(range) AND characteristic = 'all' AND value = 'all' AND episodes <> 0\(units)
                """).all()
            let minutes = try await db.raw("""
                SELECT unit_id, month, minutes, restraints FROM use_of_force_monthly_minutes WHERE \(range) AND restraints <> 0\(units)
                """).all()
            let activity = try await db.raw("""
                SELECT unit_id, month, occupied_bed_days FROM unit_activity
                WHERE \(range) AND occupied_bed_days IS NOT NULL\(units)
                """).all()
            let values = try await db.raw("""
                SELECT characteristic, value, \(unsafeRaw: sums) FROM use_of_force_monthly
                WHERE \(range) AND characteristic <> 'all' AND episodes <> 0\(units) GROUP BY characteristic, value
                """).all()
            let population = try await db.raw("""
                SELECT characteristic, value, CAST(SUM(patients) AS BIGINT) AS patients FROM use_of_force_populations
                WHERE organisation_id = \(bind: organisationId) AND period_from <= \(bind: to.description)
                  AND period_to >= \(bind: from.description)\(units) GROUP BY characteristic, value
                """).all()

            // Distinct patients are not sums, so they come from the patient-months (migration 23, kept on write): one
            // entry per patient and month instead of one per episode, returned as one row per unit-month with its
            // patients' identifiers joined, because turning tens of thousands of rows into values costs more than
            // splitting a hundred strings (docs/PERFORMANCE.md, use of force).
            let patientMonths = try await db.raw("""
                SELECT month, unit_id, COUNT(CASE WHEN patient_local_id = '' THEN 1 END) AS anonymised, \(joined) AS patients
                FROM use_of_force_patient_months WHERE \(range) AND episodes > 0\(units) GROUP BY month, unit_id
                """).all()
            // Negligible force is counted apart, from its own table (far fewer rows than the episodes).
            let negligible = try await db.raw("""
                SELECT unit_id, local_month, COUNT(*) AS uses FROM negligible_force_uses WHERE \(events)\(units) GROUP BY unit_id, local_month
                """).all()
            let valueMinutes = try await UseOfForceValueMinutes.read(range: range, units: units, on: db)

            func measures(_ row: SQLRow) throws -> UseOfForceMeasures { UseOfForceMeasures(values: try columns.map { try row.int($0) }) }
            func month(_ row: SQLRow) throws -> CalendarMonth {
                guard let month = CalendarMonth(try row.string("month")) else { throw NotFound("month") }
                return month
            }
            var byValue: [ProtectedCharacteristic: [String: UseOfForceMeasures]] = [:]
            for row in values {
                guard let characteristic = ProtectedCharacteristic(rawValue: try row.string("characteristic")) else { continue }
                byValue[characteristic, default: [:]][try row.string("value")] = try measures(row)
            }
            var patients: [ProtectedCharacteristic: [String: Int]] = [:]
            for row in population {
                guard let characteristic = ProtectedCharacteristic(rawValue: try row.string("characteristic")) else { continue }
                patients[characteristic, default: [:]][try row.string("value")] = try row.int("patients")
            }
            return .assemble(
                from: from, to: to,
                unitMonths: try totals.map { (try $0.string("unit_id"), try month($0), try measures($0)) },
                minutes: try minutes.map { (try $0.string("unit_id"), try month($0), try $0.int("minutes"), try $0.int("restraints")) },
                bedDays: try activity.map { (try $0.string("unit_id"), try month($0), try $0.int("occupied_bed_days")) },
                byValue: byValue, population: patients,
                negligible: try negligible.compactMap { row -> (String, CalendarMonth, Int)? in
                    guard let month = CalendarMonth(try row.string("local_month")) else { return nil }
                    return (try row.string("unit_id"), month, try row.int("uses"))
                },
                patients: DistinctPatients(cells: try patientMonths.compactMap { row -> (String, CalendarMonth, [String], Bool)? in
                    guard let month = CalendarMonth(try row.string("month")) else { return nil }
                    // Split on the bytes: the separator is one byte that never occurs inside another character.
                    let patients = (try row.optionalString("patients") ?? "").utf8.split(separator: Self.patientSeparator.utf8.first!)
                        .map { String(decoding: $0, as: UTF8.self) }
                    return (try row.string("unit_id"), month, patients, try row.int("anonymised") > 0)
                }),
                valueMinutes: valueMinutes)
        }
    }

    /// Joins the identifiers of a unit-month: a control character, which a local identifier cannot hold
    /// (`UseOfForceDraft.validated` refuses them), so it never splits one.
    static let patientSeparator = "\u{1F}"

    /// Recomputes an organisation's rollups and patient-months from its episodes, for a bulk insert that bypassed `record`.
    public func rebuildStatistics(organisationId: String) async throws {
        try await database.write { db in
            for statement in UseOfForceRollupSQL.rebuild(organisationId: organisationId) + UseOfForceRollupSQL.rebuildPatientMonths(organisationId: organisationId)
                + UseOfForceValueMinutes.rebuild(organisationId: organisationId) {
                try await db.raw("\(unsafeRaw: statement)").run()
            }
        }
    }

    // MARK: Patient populations

    /// The populations entered for the units (nil: all), newest period first.
    public func populations(organisationId: String, unitIds: Set<String>?) async throws -> [UseOfForcePopulation] {
        if let unitIds, unitIds.isEmpty { return [] }
        let units: SQLQueryString = unitIds.map { " AND unit_id IN (\(binds: $0.sorted()))" } ?? ""
        let rows = try await database.read { db in
            try await db.raw("""
                SELECT unit_id, period_from, period_to, characteristic, value, patients, updated_at FROM use_of_force_populations
                WHERE organisation_id = \(bind: organisationId)\(units) ORDER BY period_from DESC, unit_id
                """).all()
        }
        var periods: [String: UseOfForcePopulation] = [:]
        var order: [String] = []
        for row in rows {
            let unit = try row.string("unit_id"), start = try row.string("period_from")
            guard let from = CalendarMonth(start), let to = CalendarMonth(try row.string("period_to")),
                  let characteristic = ProtectedCharacteristic(rawValue: try row.string("characteristic")) else { continue }
            let key = unit + " " + start
            if periods[key] == nil {
                order.append(key)
                periods[key] = UseOfForcePopulation(unitId: unit, from: from, to: to, patients: [:], updatedAt: try row.date("updated_at"))
            }
            periods[key]!.patients[characteristic, default: [:]][try row.string("value")] = try row.int("patients")
        }
        return order.map { periods[$0]! }
    }

    /// Replaces the counts of a unit's period (the same unit and first month). Returns the first month of another
    /// period of the unit that overlaps this one, and changes nothing, when there is one: two overlapping periods
    /// would count the same patients twice.
    public func setPopulation(_ population: UseOfForcePopulation, organisationId: String, origin: Origin) async throws -> CalendarMonth? {
        let now = clock.now()
        return try await database.write { [database] db in
            if let clash = try await db.raw("""
                SELECT period_from FROM use_of_force_populations
                WHERE organisation_id = \(bind: organisationId) AND unit_id = \(bind: population.unitId)
                  AND period_from <> \(bind: population.from.description)
                  AND period_from <= \(bind: population.to.description) AND period_to >= \(bind: population.from.description)
                LIMIT 1
                """).first() {
                return CalendarMonth(try clash.string("period_from"))
            }
            try await db.raw("""
                DELETE FROM use_of_force_populations WHERE organisation_id = \(bind: organisationId)
                  AND unit_id = \(bind: population.unitId) AND period_from = \(bind: population.from.description)
                """).run()
            var rows: [SQLQueryString] = []
            for (characteristic, counts) in population.patients {
                for (value, patients) in counts {
                    rows.append("""
                        (\(bind: organisationId), \(bind: population.unitId), \(bind: population.from.description), \(bind: population.to.description),
                         \(bind: characteristic.rawValue), \(bind: value), \(bind: patients), \(bind: now.epochMilliseconds))
                        """)
                }
            }
            if !rows.isEmpty {
                try await db.raw("""
                    INSERT INTO use_of_force_populations (organisation_id, unit_id, period_from, period_to, characteristic, value, patients, updated_at)
                    VALUES \(rows.joined(separator: ", "))
                    """).run()
            }
            try await database.audit(db, origin, "use-of-force.population", entity: "unit", id: population.unitId,
                                     changes: ["from": population.from.description, "to": population.to.description,
                                               "values": String(rows.count)], at: now)
            return nil
        }
    }
}
