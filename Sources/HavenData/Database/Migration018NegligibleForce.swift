extension Migrations {
    /// Negligible force (issue 5): the organisation's policy beside its debrief targets, and a short record of each
    /// use the policy counts as negligible, kept apart from the statutory records so it is counted apart.
    static let negligibleForce: [Migration] = [
        Migration(version: 18, name: "negligible-force", statements: [
            "ALTER TABLE use_of_force_settings ADD COLUMN negligible_types TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE use_of_force_settings ADD COLUMN negligible_maximum_seconds INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE use_of_force_settings ADD COLUMN negligible_definition TEXT NOT NULL DEFAULT ''",
            """
            CREATE TABLE negligible_force_uses (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                patient_local_id TEXT NOT NULL,
                type_code TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                duration_seconds BIGINT NOT NULL,
                description TEXT NOT NULL,
                recorded_by TEXT NOT NULL REFERENCES users(id),
                recorded_at BIGINT NOT NULL,
                local_date TEXT NOT NULL,
                local_month TEXT NOT NULL
            )
            """,
            "CREATE INDEX negligible_force_uses_unit ON negligible_force_uses (organisation_id, unit_id, started_at)",
        ]),
    ]
}
