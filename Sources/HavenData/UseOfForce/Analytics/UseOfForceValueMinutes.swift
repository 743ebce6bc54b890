import Foundation
import HavenCore
import SQLKit

/// Restraint lengths by characteristic value (migration 24): for each unit, month, relevant characteristic and value,
/// how many physical restraints lasted each whole number of minutes. The analytics give the median and maximum of
/// restraint minutes by each relevant characteristic (issue 5) from it, exactly at minute resolution, as the unit
/// totals come from `use_of_force_monthly_minutes`. Kept on write with the other rollups, in the same transaction.
enum UseOfForceValueMinutes {
    struct Key: Hashable { var organisation, month, unit, characteristic, value: String; var minutes: Int }

    /// What `episodes` add (sign 1) or take away (-1): one entry per characteristic for each physical restraint.
    static func deltas(_ episodes: [(episode: UseOfForceEpisode, month: String)], sign: Int) -> [Key: Int] {
        var deltas: [Key: Int] = [:]
        for (episode, month) in episodes {
            for intervention in episode.interventions where intervention.type.isPhysicalRestraint {
                let minutes = UseOfForceRates.wholeMinutes(intervention.durationSeconds)
                for characteristic in ProtectedCharacteristic.allCases {
                    deltas[Key(organisation: episode.organisationId, month: month, unit: episode.unitId, characteristic: characteristic.rawValue,
                               value: episode.patient.characteristics[characteristic], minutes: minutes), default: 0] += sign
                }
            }
        }
        return deltas
    }

    static func add(_ deltas: [Key: Int], on db: any SQLDatabase) async throws {
        // Sorted so that two transactions take the rows' locks in the same order (PostgreSQL).
        let rows: [SQLQueryString] = deltas.filter { $0.value != 0 }
            .sorted { ($0.key.organisation, $0.key.month, $0.key.unit, $0.key.characteristic, $0.key.value, $0.key.minutes)
                < ($1.key.organisation, $1.key.month, $1.key.unit, $1.key.characteristic, $1.key.value, $1.key.minutes) }
            .map { key, restraints in
                "(\(bind: key.organisation), \(bind: key.month), \(bind: key.unit), \(bind: key.characteristic), \(bind: key.value), \(bind: key.minutes), \(bind: restraints))"
            }
        for chunk in UseOfForceRollupSQL.statements(of: rows) {
            try await db.raw("""
                INSERT INTO use_of_force_value_minutes (organisation_id, month, unit_id, characteristic, value, minutes, restraints)
                VALUES \(chunk.joined(separator: ", "))
                ON CONFLICT (organisation_id, month, unit_id, characteristic, value, minutes)
                DO UPDATE SET restraints = use_of_force_value_minutes.restraints + excluded.restraints
                """).run()
        }
    }

    /// Statements that recompute the table for one organisation (nil: every organisation, for migration 24) from the
    /// episodes and their interventions.
    static func rebuild(organisationId: String?) -> [String] {
        let quoted = organisationId.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }
        let only = quoted.map { "e.organisation_id = " + $0 }
        var statements = ["DELETE FROM use_of_force_value_minutes" + (quoted.map { " WHERE organisation_id = " + $0 } ?? "")]
        for characteristic in ProtectedCharacteristic.allCases {
            let column = "e." + ProtectedCharacteristicColumns.column(characteristic)
            statements.append("""
                INSERT INTO use_of_force_value_minutes (organisation_id, month, unit_id, characteristic, value, minutes, restraints)
                SELECT e.organisation_id, e.local_month, e.unit_id, '\(characteristic.rawValue)', \(column), \(UseOfForceRollupSQL.wholeMinutesSQL), COUNT(*)
                FROM use_of_force_interventions i JOIN use_of_force_episodes e ON e.id = i.episode_id
                WHERE i.type_code IN (\(UseOfForceRollupSQL.physicalCodes))\(only.map { " AND " + $0 } ?? "")
                GROUP BY e.organisation_id, e.local_month, e.unit_id, \(column), \(UseOfForceRollupSQL.wholeMinutesSQL)
                """)
        }
        return statements
    }

    /// characteristic → value → minutes → restraints, for a range of months and units (the statistics' read).
    static func read(range: SQLQueryString, units: SQLQueryString, on db: any SQLDatabase) async throws -> [ProtectedCharacteristic: [String: [Int: Int]]] {
        let rows = try await db.raw("""
            SELECT characteristic, value, minutes, CAST(SUM(restraints) AS BIGINT) AS restraints FROM use_of_force_value_minutes
            WHERE \(range) AND restraints <> 0\(units) GROUP BY characteristic, value, minutes
            """).all()
        var histograms: [ProtectedCharacteristic: [String: [Int: Int]]] = [:]
        for row in rows {
            guard let characteristic = ProtectedCharacteristic(rawValue: try row.string("characteristic")) else { continue }
            histograms[characteristic, default: [:]][try row.string("value"), default: [:]][try row.int("minutes")] = try row.int("restraints")
        }
        return histograms
    }
}
