extension Migrations {
    /// Lone-worker safety (issue 4): escalation policies (their ordered steps as JSON, read and written whole),
    /// which policy each unit uses, the sessions with their escalation progress and the id of the one timer that
    /// may move them on, the session log, and each user's PIN and duress PIN (bcrypt hashes).
    static let loneWorking: [Migration] = [
        Migration(version: 10, name: "lone-working", statements: [
            """
            CREATE TABLE lone_working_policies (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                name TEXT NOT NULL,
                grace_seconds INTEGER NOT NULL,
                steps TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE lone_working_policy_units (
                unit_id TEXT PRIMARY KEY REFERENCES units(id),
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                policy_id TEXT NOT NULL REFERENCES lone_working_policies(id),
                assigned_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX lone_working_policy_units_policy ON lone_working_policy_units (policy_id)",
            """
            CREATE TABLE lone_working_sessions (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                worker_id TEXT NOT NULL REFERENCES users(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                location TEXT NOT NULL,
                latitude DOUBLE PRECISION,
                longitude DOUBLE PRECISION,
                visit_kind TEXT NOT NULL,
                risks TEXT NOT NULL DEFAULT '',
                checklist TEXT NOT NULL DEFAULT '[]',
                vehicle TEXT NOT NULL DEFAULT '',
                buddy_id TEXT REFERENCES users(id),
                backup_buddy_id TEXT REFERENCES users(id),
                policy_id TEXT,
                policy TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                expected_end_at BIGINT NOT NULL,
                due_at BIGINT NOT NULL,
                state TEXT NOT NULL,
                escalation_step INTEGER NOT NULL DEFAULT 0,
                alarm_at BIGINT,
                duress INTEGER NOT NULL DEFAULT 0,
                timer_id TEXT,
                last_check_in_at BIGINT,
                acknowledged_by TEXT REFERENCES users(id),
                acknowledged_at BIGINT,
                ended_at BIGINT,
                resolved_by TEXT REFERENCES users(id),
                resolved_at BIGINT,
                outcome TEXT,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX lone_working_sessions_state ON lone_working_sessions (organisation_id, state, due_at)",
            "CREATE INDEX lone_working_sessions_worker ON lone_working_sessions (worker_id, started_at)",
            """
            CREATE TABLE lone_working_events (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                session_id TEXT NOT NULL REFERENCES lone_working_sessions(id),
                kind TEXT NOT NULL,
                step INTEGER,
                actor_id TEXT REFERENCES users(id),
                detail TEXT NOT NULL DEFAULT '',
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX lone_working_events_session ON lone_working_events (session_id, created_at)",
            """
            CREATE TABLE lone_working_pins (
                user_id TEXT PRIMARY KEY REFERENCES users(id),
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                pin_hash TEXT NOT NULL,
                duress_hash TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
        ]),
    ]
}
