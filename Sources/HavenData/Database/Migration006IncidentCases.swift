extension Migrations {
    /// Incident case handling (issue 3): the handler and the review target, the outcome the reporter is told,
    /// anonymous receipts (only a hash of the code is kept), the §15 A detail, confidential harassment and
    /// staff-on-staff cases for HR, attachments (base64 in a TEXT column: the same DDL on both databases, and the
    /// files are small photos and documents, checked for type and size), the timeline of messages and
    /// status changes the reporter sees, agreed actions, and post-incident support.
    static let incidentCases: [Migration] = [
        Migration(version: 6, name: "incident-cases", statements: [
            "ALTER TABLE organisations ADD COLUMN review_target_days INTEGER NOT NULL DEFAULT 5",
            "ALTER TABLE organisations ADD COLUMN welfare_check_hours INTEGER NOT NULL DEFAULT 24",
            "ALTER TABLE incidents ADD COLUMN handler_id TEXT REFERENCES users(id)",
            "ALTER TABLE incidents ADD COLUMN review_due_at BIGINT",
            "ALTER TABLE incidents ADD COLUMN review_reminded_at BIGINT",
            "ALTER TABLE incidents ADD COLUMN outcome TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE incidents ADD COLUMN lessons TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE incidents ADD COLUMN closed_at BIGINT",
            "ALTER TABLE incidents ADD COLUMN updated_at BIGINT",
            "ALTER TABLE incidents ADD COLUMN receipt_hash TEXT",
            "ALTER TABLE incidents ADD COLUMN detail TEXT NOT NULL DEFAULT '{}'",
            "ALTER TABLE incidents ADD COLUMN confidential INTEGER NOT NULL DEFAULT 0",
            "CREATE UNIQUE INDEX incidents_receipt ON incidents (receipt_hash) WHERE receipt_hash IS NOT NULL",
            "CREATE INDEX incidents_review_due ON incidents (organisation_id, status, review_due_at)",
            "CREATE INDEX incidents_handler ON incidents (handler_id, status)",
            """
            CREATE TABLE incident_messages (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                incident_id TEXT NOT NULL REFERENCES incidents(id),
                kind TEXT NOT NULL,
                author_id TEXT REFERENCES users(id),
                from_reporter INTEGER NOT NULL,
                body TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX incident_messages_incident ON incident_messages (incident_id, created_at)",
            """
            CREATE TABLE incident_actions (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                incident_id TEXT NOT NULL REFERENCES incidents(id),
                description TEXT NOT NULL,
                owner_id TEXT REFERENCES users(id),
                due_on TEXT,
                done_at BIGINT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX incident_actions_incident ON incident_actions (incident_id)",
            "CREATE INDEX incident_actions_owner ON incident_actions (owner_id, done_at)",
            """
            CREATE TABLE incident_support (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                incident_id TEXT NOT NULL REFERENCES incidents(id),
                kind TEXT NOT NULL,
                due_at BIGINT NOT NULL,
                outcome TEXT,
                note TEXT NOT NULL DEFAULT '',
                done_at BIGINT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX incident_support_incident ON incident_support (incident_id)",
            "CREATE INDEX incident_support_due ON incident_support (organisation_id, done_at, due_at)",
            """
            CREATE TABLE harassment_cases (
                incident_id TEXT PRIMARY KEY REFERENCES incidents(id),
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                stage TEXT NOT NULL,
                trusted_person_id TEXT REFERENCES users(id),
                subject_id TEXT REFERENCES users(id),
                investigator_id TEXT REFERENCES users(id),
                investigation_due_on TEXT,
                measures TEXT NOT NULL DEFAULT '',
                support TEXT NOT NULL DEFAULT '',
                retaliation_check_due_on TEXT,
                retaliation_checked_at BIGINT,
                retaliation_note TEXT NOT NULL DEFAULT '',
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE incident_attachments (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                incident_id TEXT NOT NULL REFERENCES incidents(id),
                name TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size INTEGER NOT NULL,
                sha256 TEXT NOT NULL,
                content TEXT NOT NULL,
                uploaded_by TEXT REFERENCES users(id),
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX incident_attachments_incident ON incident_attachments (incident_id, created_at)",
            "CREATE INDEX harassment_cases_investigation ON harassment_cases (organisation_id, investigation_due_on)",
            "CREATE INDEX harassment_cases_retaliation ON harassment_cases (organisation_id, retaliation_check_due_on)",
        ]),
    ]
}
