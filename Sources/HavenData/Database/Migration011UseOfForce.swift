extension Migrations {
    /// Use of force (issue 5): one row per episode holding the s6(5) items, and one row per restrictive intervention
    /// with its MHSDS type code and times, so minutes of restraint and prone counts are later plain SQL. Staff who
    /// used force are a small list read and written whole (JSON). Patient name and NHS number are nullable: the Act
    /// allows "not known", and the columns are read only by roles that need them.
    static let useOfForce: [Migration] = [
        Migration(version: 11, name: "use-of-force", statements: [
            """
            CREATE TABLE use_of_force_episodes (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                recorded_by TEXT NOT NULL REFERENCES users(id),
                recorded_at BIGINT NOT NULL,
                started_at BIGINT NOT NULL,
                duration_seconds BIGINT NOT NULL,
                reason TEXT NOT NULL,
                place TEXT NOT NULL,
                description TEXT NOT NULL,
                staff TEXT NOT NULL,
                non_staff_involvement TEXT,
                outcome TEXT NOT NULL,
                harm TEXT NOT NULL,
                efforts_to_avoid TEXT NOT NULL,
                care_plan_contacts_notified TEXT NOT NULL,
                patient_local_id TEXT NOT NULL,
                patient_name TEXT,
                nhs_number TEXT,
                mental_disorder TEXT,
                relevant_characteristics TEXT,
                characteristics_declined INTEGER NOT NULL DEFAULT 0,
                learning_disability_or_autism TEXT NOT NULL,
                detained INTEGER NOT NULL,
                detention_section TEXT,
                prone INTEGER NOT NULL DEFAULT 0,
                alerts TEXT NOT NULL DEFAULT ''
            )
            """,
            "CREATE INDEX use_of_force_episodes_unit ON use_of_force_episodes (organisation_id, unit_id, started_at)",
            "CREATE INDEX use_of_force_episodes_started ON use_of_force_episodes (organisation_id, started_at)",
            "CREATE INDEX use_of_force_episodes_recorder ON use_of_force_episodes (recorded_by, started_at)",
            "CREATE INDEX use_of_force_episodes_patient ON use_of_force_episodes (organisation_id, patient_local_id, started_at)",
            """
            CREATE TABLE use_of_force_interventions (
                episode_id TEXT NOT NULL REFERENCES use_of_force_episodes(id),
                seq INTEGER NOT NULL,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                type_code TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                ended_at BIGINT NOT NULL,
                duration_seconds BIGINT NOT NULL,
                position TEXT,
                planned_in_care_plan INTEGER NOT NULL,
                pain_based INTEGER NOT NULL,
                PRIMARY KEY (episode_id, seq)
            )
            """,
            "CREATE INDEX use_of_force_interventions_type ON use_of_force_interventions (organisation_id, type_code, started_at)",
        ]),
    ]
}
