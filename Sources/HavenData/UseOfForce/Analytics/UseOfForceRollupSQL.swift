import Foundation
import HavenCore
import SQLKit

/// The SQL that keeps the monthly use-of-force rollups (migration 14) in step with the episodes: added to when an
/// episode is recorded, taken from and added to again when one is corrected, in the same transaction, so a figure on
/// the dashboard is never ahead of or behind the records. The same sums can be rebuilt from the episodes in bulk
/// (the migration's backfill, and the demo generator after its bulk insert).
enum UseOfForceRollupSQL {
    /// The characteristic value that holds a unit's totals.
    static let all = "all"

    static let physicalCodes = RestrictiveInterventionType.allCases.filter(\.isPhysicalRestraint).map { "'\($0.code)'" }.joined(separator: ", ")
    static let chemicalCodes = ["14", "15", "16", "17"].map { "'\($0)'" }.joined(separator: ", ")

    /// Adds `sign` × the episode's measures to its unit and month: one row for the totals and one per characteristic,
    /// and its restraints to the minute histogram. Two statements, however many characteristics there are.
    static func add(_ episode: UseOfForceEpisode, month: String, sign: Int, on db: any SQLDatabase) async throws {
        try await add([(episode, month)], sign: sign, on: db)
    }

    /// The same for many episodes at once (a bulk insert): their sums are added up in memory first, so each rollup
    /// row is written once per call, in multi-row upserts of `rowsPerStatement`.
    static func add(_ episodes: [(episode: UseOfForceEpisode, month: String)], sign: Int, on db: any SQLDatabase) async throws {
        struct Key: Hashable { var organisation, unit, month, characteristic, value: String }
        struct MinuteKey: Hashable { var organisation, unit, month: String; var minutes: Int }
        var sums: [Key: UseOfForceMeasures] = [:]
        var minutes: [MinuteKey: Int] = [:]
        for (episode, month) in episodes {
            let measures = sign < 0 ? -UseOfForceMeasures(episode) : UseOfForceMeasures(episode)
            sums[Key(organisation: episode.organisationId, unit: episode.unitId, month: month, characteristic: all, value: all), default: .init()] += measures
            for characteristic in ProtectedCharacteristic.allCases {
                sums[Key(organisation: episode.organisationId, unit: episode.unitId, month: month, characteristic: characteristic.rawValue,
                         value: episode.patient.characteristics[characteristic]), default: .init()] += measures
            }
            for intervention in episode.interventions where intervention.type.isPhysicalRestraint {
                minutes[MinuteKey(organisation: episode.organisationId, unit: episode.unitId, month: month,
                                  minutes: UseOfForceRates.wholeMinutes(intervention.durationSeconds)), default: 0] += sign
            }
        }
        let columns = UseOfForceMeasures.columns
        let updates = columns.map { "\($0) = use_of_force_monthly.\($0) + excluded.\($0)" }.joined(separator: ", ")
        let rows: [SQLQueryString] = sums.sorted { ($0.key.unit, $0.key.month, $0.key.characteristic, $0.key.value) < ($1.key.unit, $1.key.month, $1.key.characteristic, $1.key.value) }
            .map { key, measures in
                let values = measures.values.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
                return "(\(bind: key.organisation), \(bind: key.unit), \(bind: key.month), \(bind: key.characteristic), \(bind: key.value), \(values))"
            }
        for chunk in stride(from: 0, to: rows.count, by: rowsPerStatement).map({ rows[$0..<min($0 + rowsPerStatement, rows.count)] }) {
            try await db.raw("""
                INSERT INTO use_of_force_monthly (organisation_id, unit_id, month, characteristic, value, \(unsafeRaw: columns.joined(separator: ", ")))
                VALUES \(Array(chunk).joined(separator: ", "))
                ON CONFLICT (organisation_id, month, unit_id, characteristic, value) DO UPDATE SET \(unsafeRaw: updates)
                """).run()
        }
        let histogram: [SQLQueryString] = minutes.sorted { ($0.key.unit, $0.key.month, $0.key.minutes) < ($1.key.unit, $1.key.month, $1.key.minutes) }
            .map { key, count in "(\(bind: key.organisation), \(bind: key.unit), \(bind: key.month), \(bind: key.minutes), \(bind: count))" }
        for chunk in stride(from: 0, to: histogram.count, by: rowsPerStatement).map({ histogram[$0..<min($0 + rowsPerStatement, histogram.count)] }) {
            try await db.raw("""
                INSERT INTO use_of_force_monthly_minutes (organisation_id, unit_id, month, minutes, restraints) VALUES \(Array(chunk).joined(separator: ", "))
                ON CONFLICT (organisation_id, month, unit_id, minutes) DO UPDATE SET restraints = use_of_force_monthly_minutes.restraints + excluded.restraints
                """).run()
        }
    }

    /// 20 values a row keeps a statement under SQLite's 32,766 variables and PostgreSQL's 65,535 parameters.
    static let rowsPerStatement = 500

    /// Statements that recompute the rollups of one organisation (or of every organisation, for the migration) from
    /// the episodes and interventions. The organisation id is an internal UUID; it is quoted as a literal because the
    /// migration runs plain statements.
    static func rebuild(organisationId: String?) -> [String] {
        let only = organisationId.map { "e.organisation_id = '\($0.replacingOccurrences(of: "'", with: "''"))'" }
        let scope = only.map { "WHERE \($0)" } ?? ""
        let clear = only.map { _ in "WHERE organisation_id = '\(organisationId!.replacingOccurrences(of: "'", with: "''"))'" } ?? ""
        // Per episode, what its interventions add; the episode's own columns give the month, unit, harm and characteristics.
        let perEpisode = """
            SELECT episode_id,
                COUNT(CASE WHEN type_code IN (\(physicalCodes)) THEN 1 END) AS restraints,
                SUM(CASE WHEN type_code IN (\(physicalCodes)) THEN duration_seconds ELSE 0 END) AS restraint_seconds,
                COUNT(CASE WHEN type_code = '01' THEN 1 END) AS prone,
                COUNT(CASE WHEN type_code = '01' AND duration_seconds >= \(UseOfForceRules.proneFlagSeconds) THEN 1 END) AS prone_ten_minutes,
                SUM(CASE WHEN type_code = '05' THEN duration_seconds ELSE 0 END) AS seclusion_seconds,
                SUM(CASE WHEN type_code = '06' THEN duration_seconds ELSE 0 END) AS segregation_seconds,
                COUNT(CASE WHEN type_code = '05' THEN 1 END) AS seclusions,
                COUNT(CASE WHEN type_code = '06' THEN 1 END) AS segregations,
                COUNT(CASE WHEN type_code = '04' THEN 1 END) AS mechanical,
                COUNT(CASE WHEN type_code IN (\(chemicalCodes)) THEN 1 END) AS chemical,
                COUNT(CASE WHEN type_code = '14' THEN 1 END) AS rapid_tranquillisation,
                COUNT(CASE WHEN pain_based <> 0 THEN 1 END) AS pain_based
            FROM use_of_force_interventions GROUP BY episode_id
            """
        let sums = UseOfForceMeasures.columns.map { column -> String in
            switch column {
            case "episodes": "COUNT(*)"
            case "serious_injuries": "COUNT(CASE WHEN e.harm = 'serious-injury' THEN 1 END)"
            case "deaths": "COUNT(CASE WHEN e.harm = 'death' THEN 1 END)"
            default: "SUM(m.\(column))"
            }
        }.joined(separator: ", ")
        var statements = ["DELETE FROM use_of_force_monthly \(clear)", "DELETE FROM use_of_force_monthly_minutes \(clear)"]
        let groups: [(String, String)] = [("'\(all)'", "'\(all)'")] + ProtectedCharacteristic.allCases.map {
            ("'\($0.rawValue)'", "e.\(ProtectedCharacteristicColumns.column($0))")
        }
        for (characteristic, value) in groups {
            statements.append("""
                INSERT INTO use_of_force_monthly (organisation_id, unit_id, month, characteristic, value, \(UseOfForceMeasures.columns.joined(separator: ", ")))
                SELECT e.organisation_id, e.unit_id, e.local_month, \(characteristic), \(value), \(sums)
                FROM use_of_force_episodes e JOIN (\(perEpisode)) m ON m.episode_id = e.id \(scope)
                GROUP BY e.organisation_id, e.unit_id, e.local_month\(value.hasPrefix("e.") ? ", " + value : "")
                """)
        }
        statements.append("""
            INSERT INTO use_of_force_monthly_minutes (organisation_id, unit_id, month, minutes, restraints)
            SELECT e.organisation_id, e.unit_id, e.local_month, (i.duration_seconds + 30) / 60, COUNT(*)
            FROM use_of_force_interventions i JOIN use_of_force_episodes e ON e.id = i.episode_id
            WHERE i.type_code IN (\(physicalCodes))\(only.map { " AND " + $0 } ?? "")
            GROUP BY e.organisation_id, e.unit_id, e.local_month, (i.duration_seconds + 30) / 60
            """)
        return statements
    }
}
