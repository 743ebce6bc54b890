extension Migrations {
    /// s9 investigations of deaths and serious injuries after a use of force (issue 5). One per episode (UNIQUE), so a
    /// record corrected twice to serious injury still has one; it is never deleted when the harm is corrected to none, it
    /// is closed as not needed. `reminded_at` makes the overdue reminder go once; `anonymised_at` marks the retention
    /// purge of its episode. The organisation's target to conclude, in days, joins the use-of-force settings (60 by default).
    static let useOfForceInvestigations: [Migration] = [
        Migration(version: 22, name: "use-of-force-investigations", statements: [
            """
            CREATE TABLE use_of_force_investigations (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                episode_id TEXT NOT NULL UNIQUE REFERENCES use_of_force_episodes(id),
                unit_id TEXT NOT NULL,
                harm TEXT NOT NULL,
                status TEXT NOT NULL,
                opened_at BIGINT NOT NULL,
                target_at BIGINT NOT NULL,
                lead_investigator_id TEXT,
                guidance TEXT,
                guidance_checklist TEXT NOT NULL DEFAULT '',
                findings TEXT,
                learning TEXT,
                not_needed_reason TEXT,
                concluded_at BIGINT,
                concluded_by TEXT,
                reminded_at BIGINT,
                anonymised_at BIGINT,
                updated_at BIGINT NOT NULL
            )
            """,
            // The list (open first, by target) and the overdue count read this.
            "CREATE INDEX use_of_force_investigations_status ON use_of_force_investigations (organisation_id, status, target_at)",
            "ALTER TABLE use_of_force_settings ADD COLUMN investigation_target_days INTEGER NOT NULL DEFAULT 60",
        ]),
    ]
}
