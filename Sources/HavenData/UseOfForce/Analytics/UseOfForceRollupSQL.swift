import Foundation
import HavenCore
import SQLKit

/// The SQL that keeps the monthly use-of-force rollups (migration 14) in step with the episodes: added to when an
/// episode is recorded, taken from and added to again when one is corrected, in the same transaction, so a figure on
/// the dashboard is never ahead of or behind the records. The same sums can be rebuilt from the episodes in bulk
/// (the migration's backfill, and the demo generator after its bulk insert). The patient-months (migration 23) move
/// with them, and with retention's anonymisation; so do the restraint lengths by characteristic value (migration 24).
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
        var patients: [PatientMonth: Int] = [:]
        for (episode, month) in episodes {
            patients[PatientMonth(organisation: episode.organisationId, month: month, unit: episode.unitId,
                                  patient: episode.patient.localIdentifier), default: 0] += sign
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
        for chunk in statements(of: rows) {
            try await db.raw("""
                INSERT INTO use_of_force_monthly (organisation_id, unit_id, month, characteristic, value, \(unsafeRaw: columns.joined(separator: ", ")))
                VALUES \(chunk.joined(separator: ", "))
                ON CONFLICT (organisation_id, month, unit_id, characteristic, value) DO UPDATE SET \(unsafeRaw: updates)
                """).run()
        }
        let histogram: [SQLQueryString] = minutes.sorted { ($0.key.unit, $0.key.month, $0.key.minutes) < ($1.key.unit, $1.key.month, $1.key.minutes) }
            .map { key, count in "(\(bind: key.organisation), \(bind: key.unit), \(bind: key.month), \(bind: key.minutes), \(bind: count))" }
        for chunk in statements(of: histogram) {
            try await db.raw("""
                INSERT INTO use_of_force_monthly_minutes (organisation_id, unit_id, month, minutes, restraints) VALUES \(chunk.joined(separator: ", "))
                ON CONFLICT (organisation_id, month, unit_id, minutes) DO UPDATE SET restraints = use_of_force_monthly_minutes.restraints + excluded.restraints
                """).run()
        }
        try await add(patients, on: db)
        try await UseOfForceValueMinutes.add(UseOfForceValueMinutes.deltas(episodes, sign: sign), on: db)
    }

    // MARK: Patient-months (migration 23)

    /// One unit, month and patient (the local identifier; empty for episodes anonymised by retention).
    struct PatientMonth: Hashable { var organisation, month, unit, patient: String }

    /// Adds episodes to (or, negative, takes them from) patient-months of `use_of_force_patient_months`: one row per
    /// organisation, month, unit and patient with how many episodes it has. Distinct patients do not add up, but these
    /// rows do, so they are kept on write like the sums, and a statistics read goes through one row per patient and month
    /// instead of one per episode. A patient-month whose last episode moved away or was anonymised is deleted, so the table
    /// holds only patient-months that count.
    static func add(_ deltas: [PatientMonth: Int], on db: any SQLDatabase) async throws {
        // Sorted so that two transactions take the rows' locks in the same order (PostgreSQL).
        let changes = deltas.filter { $0.value != 0 }.sorted { ($0.key.organisation, $0.key.month, $0.key.unit, $0.key.patient) < ($1.key.organisation, $1.key.month, $1.key.unit, $1.key.patient) }
        let rows: [SQLQueryString] = changes.map { key, episodes in
            "(\(bind: key.organisation), \(bind: key.month), \(bind: key.unit), \(bind: key.patient), \(bind: episodes))"
        }
        for chunk in statements(of: rows) {
            try await db.raw("""
                INSERT INTO use_of_force_patient_months (organisation_id, month, unit_id, patient_local_id, episodes) VALUES \(chunk.joined(separator: ", "))
                ON CONFLICT (organisation_id, month, unit_id, patient_local_id) DO UPDATE SET episodes = use_of_force_patient_months.episodes + excluded.episodes
                """).run()
        }
        // Only where something was taken away (a correction, a retention batch), and only in those months.
        let emptied = Dictionary(grouping: changes.filter { $0.value < 0 }.map(\.key), by: \.organisation).mapValues { Set($0.map(\.month)).sorted() }
        for (organisation, months) in emptied.sorted(by: { $0.key < $1.key }) {
            try await db.raw("""
                DELETE FROM use_of_force_patient_months WHERE organisation_id = \(bind: organisation) AND month IN (\(binds: months)) AND episodes <= 0
                """).run()
        }
    }

    /// Before retention anonymises episodes, moves them from their patients' patient-months to the anonymous patient
    /// of the same unit and month, so the counts there become lower bounds, as a count from the episodes would.
    static func anonymise(organisationId: String, episodeIds: [String], on db: any SQLDatabase) async throws {
        guard !episodeIds.isEmpty else { return }
        let rows = try await db.raw("""
            SELECT local_month, unit_id, patient_local_id, COUNT(*) AS episodes FROM use_of_force_episodes
            WHERE organisation_id = \(bind: organisationId) AND id IN (\(binds: episodeIds)) AND anonymised_at IS NULL AND patient_local_id <> ''
            GROUP BY local_month, unit_id, patient_local_id
            """).all()
        var deltas: [PatientMonth: Int] = [:]
        for row in rows {
            let month = try row.string("local_month"), unit = try row.string("unit_id"), episodes = try row.int("episodes")
            deltas[PatientMonth(organisation: organisationId, month: month, unit: unit, patient: try row.string("patient_local_id")), default: 0] -= episodes
            deltas[PatientMonth(organisation: organisationId, month: month, unit: unit, patient: ""), default: 0] += episodes
        }
        try await add(deltas, on: db)
    }

    /// Statements that recompute the patient-months of one organisation (nil: every organisation, for migration 23)
    /// from the episodes; they read only the index of migration 20.
    static func rebuildPatientMonths(organisationId: String?) -> [String] {
        let only = organisationId.map { "organisation_id = '\($0.replacingOccurrences(of: "'", with: "''"))'" }
        return [
            "DELETE FROM use_of_force_patient_months" + (only.map { " WHERE " + $0 } ?? ""),
            """
            INSERT INTO use_of_force_patient_months (organisation_id, month, unit_id, patient_local_id, episodes)
            SELECT organisation_id, local_month, unit_id, patient_local_id, COUNT(*) FROM use_of_force_episodes
            WHERE \(only ?? "1 = 1") GROUP BY organisation_id, local_month, unit_id, patient_local_id
            """,
        ]
    }

    /// 20 values a row keeps a statement under SQLite's 32,766 variables and PostgreSQL's 65,535 parameters.
    static let rowsPerStatement = 500

    /// The rows of a multi-row upsert, `rowsPerStatement` to a statement.
    static func statements(of rows: [SQLQueryString]) -> [ArraySlice<SQLQueryString>] {
        stride(from: 0, to: rows.count, by: rowsPerStatement).map { rows[$0..<min($0 + rowsPerStatement, rows.count)] }
    }

    /// A restraint's length rounded to whole minutes (`UseOfForceRates.wholeMinutes`), in SQL, for the rebuilds.
    static let wholeMinutesSQL = "(i.duration_seconds + 30) / 60"

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
            SELECT e.organisation_id, e.unit_id, e.local_month, \(wholeMinutesSQL), COUNT(*)
            FROM use_of_force_interventions i JOIN use_of_force_episodes e ON e.id = i.episode_id
            WHERE i.type_code IN (\(physicalCodes))\(only.map { " AND " + $0 } ?? "")
            GROUP BY e.organisation_id, e.unit_id, e.local_month, \(wholeMinutesSQL)
            """)
        return statements
    }
}
