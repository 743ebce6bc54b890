extension Migrations {
    /// Distinct patients kept on write: one row per organisation, month, unit and patient (the local identifier, empty
    /// for episodes anonymised by retention) with how many episodes it has, so the statistics count patients from one
    /// row per patient-month instead of one per episode (docs/PERFORMANCE.md, use of force). The primary key's order is
    /// the statistics' (a range of months, then units); on SQLite the table is its key (WITHOUT ROWID), so that read
    /// never leaves it. Filled from the episodes already recorded.
    static let useOfForcePatientMonths: [Migration] = [
        Migration(version: 23, name: "use-of-force-patient-months", keyedTable: patientMonthsTable,
                  fill: UseOfForceRollupSQL.rebuildPatientMonths(organisationId: nil)),
    ]

    private static let patientMonthsTable = """
        CREATE TABLE use_of_force_patient_months (
            organisation_id TEXT NOT NULL,
            month TEXT NOT NULL,
            unit_id TEXT NOT NULL,
            patient_local_id TEXT NOT NULL,
            episodes INTEGER NOT NULL,
            PRIMARY KEY (organisation_id, month, unit_id, patient_local_id)
        )
        """
}
