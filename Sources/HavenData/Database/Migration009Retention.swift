extension Migrations {
    /// Retention (issue 3, REFERENCE §15 A 7): the period each organisation keeps each kind of record (a missing row
    /// means the rule pack's default), and when an incident was anonymised by the purge.
    ///
    /// The purge looks for closed, not yet anonymised reports older than the period. Its index holds only those
    /// rows (a partial index), so a new report, which is never closed, costs the hot insert path nothing, and
    /// anonymised rows drop out of it: the daily run reads only what it will change.
    static let retention: [Migration] = [
        Migration(version: 9, name: "retention", statements: [
            """
            CREATE TABLE retention_settings (
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                record_type TEXT NOT NULL,
                years INTEGER NOT NULL,
                updated_at BIGINT NOT NULL,
                updated_by TEXT REFERENCES users(id),
                PRIMARY KEY (organisation_id, record_type)
            )
            """,
            "ALTER TABLE incidents ADD COLUMN anonymised_at BIGINT",
            "CREATE INDEX incidents_retention ON incidents (organisation_id, reported_at) WHERE status = 'closed' AND anonymised_at IS NULL",
        ]),
    ]
}
