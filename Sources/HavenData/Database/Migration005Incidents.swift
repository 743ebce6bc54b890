extension Migrations {
    /// Incident reports (issue 3): the six required answers, the calendar columns analytics group by, and the
    /// client's idempotency key so a repeated submission never makes a second record.
    static let incidents: [Migration] = [
        Migration(version: 5, name: "incidents", statements: [
            """
            CREATE TABLE incidents (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                area TEXT NOT NULL,
                type TEXT NOT NULL,
                perpetrator TEXT NOT NULL,
                harm TEXT NOT NULL,
                description TEXT NOT NULL,
                reporter_role TEXT NOT NULL,
                reporter_id TEXT REFERENCES users(id),
                status TEXT NOT NULL,
                occurred_at BIGINT NOT NULL,
                reported_at BIGINT NOT NULL,
                local_date TEXT NOT NULL,
                iso_week TEXT NOT NULL,
                month TEXT NOT NULL,
                hour INTEGER NOT NULL,
                weekday INTEGER NOT NULL,
                idempotency_key TEXT
            )
            """,
            "CREATE UNIQUE INDEX incidents_idempotency ON incidents (organisation_id, idempotency_key) WHERE idempotency_key IS NOT NULL",
            "CREATE INDEX incidents_unit ON incidents (organisation_id, unit_id, occurred_at)",
            "CREATE INDEX incidents_org ON incidents (organisation_id, occurred_at)",
            "CREATE INDEX incidents_reporter ON incidents (reporter_id, occurred_at)",
        ]),
    ]
}
