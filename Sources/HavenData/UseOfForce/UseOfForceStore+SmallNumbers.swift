import Foundation
import HavenCore
import SQLKit

/// How many episodes of each unit and month share each value of what the anonymised export says about the patient,
/// among the episodes a filter selects: what small-number suppression checks before a value is written.
public struct PatientValueCounts: Sendable, Equatable {
    struct Key: Hashable { var unit, month, field, value: String }
    private var counts: [Key: Int] = [:]

    public init() {}

    public func count(unit: String, month: String, field: String, value: String) -> Int {
        counts[Key(unit: unit, month: month, field: field, value: value)] ?? 0
    }

    public mutating func add(unit: String, month: String, field: String, value: String, episodes: Int) {
        counts[Key(unit: unit, month: month, field: field, value: value), default: 0] += episodes
    }

    /// The fields of the anonymised export that describe the patient, by the SQL that gives their value: each
    /// relevant characteristic (by its name), harm, detention and learning disability or autism.
    public static let fields: [(field: String, sql: String)] = ProtectedCharacteristic.allCases.map {
        ($0.rawValue, ProtectedCharacteristicColumns.column($0))
    } + [("harm", "harm"), ("detained", "CASE WHEN detained <> 0 THEN 'yes' ELSE 'no' END"),
         ("learningDisabilityOrAutism", "learning_disability_or_autism")]
}

extension UseOfForceStore {
    /// The counts for the episodes `filter` selects (its limit and offset are ignored): one grouped read per field, over
    /// the same rows the export then streams, so a file's small numbers are those of the file itself.
    public func patientValueCounts(organisationId: String, _ filter: Filter) async throws -> PatientValueCounts {
        guard let conditions = Self.conditions(organisationId: organisationId, filter) else { return PatientValueCounts() }
        let whereClause = conditions.joined(separator: " AND ")
        return try await database.read { db in
            var counts = PatientValueCounts()
            for (field, sql) in PatientValueCounts.fields {
                let rows = try await db.raw("""
                    SELECT unit_id, local_month, \(unsafeRaw: sql) AS value, COUNT(*) AS n FROM use_of_force_episodes
                    WHERE \(whereClause) GROUP BY unit_id, local_month, \(unsafeRaw: sql)
                    """).all()
                for row in rows {
                    counts.add(unit: try row.string("unit_id"), month: try row.string("local_month"), field: field,
                               value: try row.string("value"), episodes: try row.int("n"))
                }
            }
            return counts
        }
    }
}
