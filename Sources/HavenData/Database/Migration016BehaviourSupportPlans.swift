extension Migrations {
    /// Positive behaviour support plans (issue 5): one row per plan, found by the patient's local identifier (the
    /// same identifier use-of-force records carry), with start, review and end days in the organisation's time zone.
    static let behaviourSupportPlans: [Migration] = [
        Migration(version: 16, name: "behaviour-support-plans", statements: [
            """
            CREATE TABLE behaviour_support_plans (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                patient_local_id TEXT NOT NULL,
                title TEXT NOT NULL,
                summary TEXT NOT NULL,
                starts_on TEXT NOT NULL,
                review_on TEXT NOT NULL,
                ended_on TEXT,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX behaviour_support_plans_patient ON behaviour_support_plans (organisation_id, patient_local_id)",
            "CREATE INDEX behaviour_support_plans_unit ON behaviour_support_plans (organisation_id, unit_id, review_on)",
        ]),
    ]
}
