extension Migrations {
    /// Organisation, accounts and access, audit trail, notifications and timers.
    static let foundation: [Migration] = [
        Migration(version: 1, name: "organisation", statements: [
            """
            CREATE TABLE organisations (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                time_zone TEXT NOT NULL,
                rule_pack TEXT NOT NULL,
                allows_unsigned_reports INTEGER NOT NULL DEFAULT 0,
                requires_two_factor INTEGER NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE sites (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                name TEXT NOT NULL,
                address TEXT NOT NULL DEFAULT '',
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX sites_name ON sites (organisation_id, name)",
            """
            CREATE TABLE units (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                site_id TEXT NOT NULL REFERENCES sites(id),
                code TEXT NOT NULL,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                beds INTEGER,
                staff_wte DOUBLE PRECISION,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX units_code ON units (organisation_id, code)",
            """
            CREATE TABLE unit_activity (
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                month TEXT NOT NULL,
                occupied_bed_days INTEGER,
                staff_wte DOUBLE PRECISION,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (unit_id, month)
            )
            """,
        ]),
        Migration(version: 2, name: "accounts", statements: [
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                email TEXT NOT NULL,
                name TEXT NOT NULL,
                job_title TEXT NOT NULL DEFAULT '',
                password_hash TEXT NOT NULL,
                active INTEGER NOT NULL DEFAULT 1,
                totp_secret TEXT,
                totp_enabled INTEGER NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            // One account per e-mail address across the installation: sign-in asks for the address only.
            "CREATE UNIQUE INDEX users_email ON users (email)",
            """
            CREATE TABLE user_roles (
                user_id TEXT NOT NULL REFERENCES users(id),
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                role TEXT NOT NULL,
                PRIMARY KEY (user_id, role)
            )
            """,
            """
            CREATE TABLE user_units (
                user_id TEXT NOT NULL REFERENCES users(id),
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                PRIMARY KEY (user_id, unit_id)
            )
            """,
            "CREATE INDEX user_units_unit ON user_units (unit_id)",
            """
            CREATE TABLE sessions (
                id_hash TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                user_id TEXT NOT NULL REFERENCES users(id),
                csrf_token TEXT NOT NULL,
                second_factor_passed INTEGER NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                address TEXT
            )
            """,
            "CREATE INDEX sessions_user ON sessions (user_id)",
            """
            CREATE TABLE api_tokens (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                user_id TEXT NOT NULL REFERENCES users(id),
                name TEXT NOT NULL,
                token_hash TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT,
                revoked_at BIGINT
            )
            """,
            "CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash)",
            """
            CREATE TABLE password_resets (
                token_hash TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                user_id TEXT NOT NULL REFERENCES users(id),
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                used_at BIGINT
            )
            """,
        ]),
        Migration(version: 3, name: "audit trail", statements: [
            """
            CREATE TABLE audit_events (
                sequence BIGINT PRIMARY KEY,
                organisation_id TEXT NOT NULL,
                at BIGINT NOT NULL,
                actor_id TEXT,
                action TEXT NOT NULL,
                entity TEXT NOT NULL,
                entity_id TEXT,
                changes TEXT NOT NULL,
                request_id TEXT,
                address TEXT,
                previous_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX audit_events_org_at ON audit_events (organisation_id, at)",
            // The head of the chain: the last sequence and hash, so that removing rows from the end is seen too.
            "CREATE TABLE audit_head (id INTEGER PRIMARY KEY, sequence BIGINT NOT NULL, hash TEXT NOT NULL)",
            "INSERT INTO audit_head (id, sequence, hash) VALUES (1, 0, '\(String(repeating: "0", count: 64))')",
        ]),
        Migration(version: 4, name: "notifications and timers", statements: [
            """
            CREATE TABLE notifications (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                user_id TEXT NOT NULL REFERENCES users(id),
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                link TEXT,
                created_at BIGINT NOT NULL,
                read_at BIGINT
            )
            """,
            "CREATE INDEX notifications_user ON notifications (user_id, created_at)",
            """
            CREATE TABLE webhook_endpoints (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                url TEXT NOT NULL,
                secret TEXT NOT NULL,
                events TEXT NOT NULL,
                active INTEGER NOT NULL DEFAULT 1,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE deliveries (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                channel TEXT NOT NULL,
                endpoint_id TEXT REFERENCES webhook_endpoints(id),
                recipient TEXT NOT NULL,
                event TEXT NOT NULL,
                payload TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                first_attempt_at BIGINT,
                last_attempt_at BIGINT,
                last_error TEXT,
                response_status INTEGER,
                delivered_at BIGINT
            )
            """,
            "CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, created_at)",
            """
            CREATE TABLE timers (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                kind TEXT NOT NULL,
                subject_id TEXT NOT NULL,
                due_at BIGINT NOT NULL,
                claimed_by TEXT,
                claimed_until BIGINT,
                attempts INTEGER NOT NULL DEFAULT 0,
                completed_at BIGINT,
                created_at BIGINT NOT NULL
            )
            """,
            // Only open timers are indexed, so finding the next one due stays cheap however many have run.
            "CREATE INDEX timers_due ON timers (due_at) WHERE completed_at IS NULL",
        ]),
    ]
}
