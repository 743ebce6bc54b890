extension Migrations {
    /// Alarm receiving centres called by escalation steps (issue 4, REFERENCE §15 E 35): an integration's kind, the
    /// address a step calls, its BS 8484 certification, police URN and Level 1 response, and the response agreement;
    /// and, on a delivery, the integration it calls (its address and secret are read at send time, so a rotated
    /// address is used by every call still waiting).
    static let loneWorkingCallouts: [Migration] = [
        Migration(version: 25, name: "lone-working-callouts", statements: [
            "ALTER TABLE lone_working_integrations ADD COLUMN kind TEXT NOT NULL DEFAULT 'device-platform'",
            "ALTER TABLE lone_working_integrations ADD COLUMN outbound_url TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE lone_working_integrations ADD COLUMN bs8484_certified INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE lone_working_integrations ADD COLUMN certificate_ref TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE lone_working_integrations ADD COLUMN police_urn TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE lone_working_integrations ADD COLUMN level1_response INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE lone_working_integrations ADD COLUMN response_agreement TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE deliveries ADD COLUMN integration_id TEXT REFERENCES lone_working_integrations(id)",
            "CREATE INDEX deliveries_integration ON deliveries (integration_id, created_at)",
        ]),
    ]
}
