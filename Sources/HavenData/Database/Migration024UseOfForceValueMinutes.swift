extension Migrations {
    /// Restraint lengths by characteristic value (`UseOfForceValueMinutes`): the median and maximum minutes of
    /// restraint by each relevant characteristic. The key's order is the statistics' read (a range of months, then
    /// units); on SQLite the table is its key (WITHOUT ROWID). Filled from the episodes already recorded.
    static let useOfForceValueMinutes: [Migration] = [
        Migration(version: 24, name: "use-of-force-value-minutes", keyedTable: valueMinutesTable,
                  fill: UseOfForceValueMinutes.rebuild(organisationId: nil)),
    ]

    private static let valueMinutesTable = """
        CREATE TABLE use_of_force_value_minutes (
            organisation_id TEXT NOT NULL,
            month TEXT NOT NULL,
            unit_id TEXT NOT NULL,
            characteristic TEXT NOT NULL,
            value TEXT NOT NULL,
            minutes INTEGER NOT NULL,
            restraints BIGINT NOT NULL,
            PRIMARY KEY (organisation_id, month, unit_id, characteristic, value, minutes)
        )
        """
}
