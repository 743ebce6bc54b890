extension Migrations {
    /// Observations after rapid tranquillisation (issue 5): one row per scheduled set, created with the episode and
    /// filled in when taken, so an overdue set is a plain indexed query.
    static let rapidTranquillisation: [Migration] = [
        Migration(version: 17, name: "rapid-tranquillisation-observations", statements: [
            """
            CREATE TABLE rapid_tranquillisation_observations (
                episode_id TEXT NOT NULL REFERENCES use_of_force_episodes(id),
                seq INTEGER NOT NULL,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                unit_id TEXT NOT NULL,
                due_at BIGINT NOT NULL,
                taken_at BIGINT,
                taken_by TEXT,
                pulse INTEGER,
                systolic INTEGER,
                diastolic INTEGER,
                respiratory_rate INTEGER,
                temperature DOUBLE PRECISION,
                oxygen_saturation INTEGER,
                consciousness TEXT,
                not_taken_reason TEXT,
                notes TEXT,
                PRIMARY KEY (episode_id, seq)
            )
            """,
            "CREATE INDEX rapid_tranquillisation_due ON rapid_tranquillisation_observations (organisation_id, taken_at, due_at, unit_id)",
        ]),
    ]
}
