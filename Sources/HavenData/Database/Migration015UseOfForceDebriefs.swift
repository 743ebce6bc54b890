extension Migrations {
    /// Use-of-force debriefs (issue 5): each episode owes a staff and a patient debrief, due a set number of hours
    /// after it ended; the organisation sets the hours (REFERENCE §3 defaults when it has not).
    static let useOfForceDebriefs: [Migration] = [
        Migration(version: 15, name: "use-of-force-debriefs", statements: [
            """
            CREATE TABLE use_of_force_settings (
                organisation_id TEXT PRIMARY KEY REFERENCES organisations(id),
                staff_debrief_hours INTEGER NOT NULL,
                patient_debrief_hours INTEGER NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE use_of_force_debriefs (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                episode_id TEXT NOT NULL REFERENCES use_of_force_episodes(id),
                unit_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                due_at BIGINT NOT NULL,
                held_at BIGINT,
                recorded_by TEXT,
                attendees TEXT,
                notes TEXT,
                patient_account TEXT,
                patient_declined INTEGER NOT NULL DEFAULT 0,
                UNIQUE (episode_id, kind)
            )
            """,
            // Overdue debriefs for a unit's attention list: not held, due before now.
            "CREATE INDEX use_of_force_debriefs_due ON use_of_force_debriefs (organisation_id, held_at, due_at, unit_id)",
        ]),
    ]
}
