extension Migrations {
    /// Lone-worker devices and alarm receiving centres (issue 4, second slice): the integrations that may post alarm
    /// events (a bearer token stored hashed and an HMAC secret), the device register (BS 8484 certification), every
    /// inbound event (so tests and real activations can be reported on), rejected calls (bad token or signature),
    /// and which webhook deliveries belong to which session (so the board can say an alert was not delivered).
    /// Number 13: 12 is taken by use of force on another branch.
    static let loneWorkingDevices: [Migration] = [
        Migration(version: 13, name: "lone-working-devices", statements: [
            """
            CREATE TABLE lone_working_integrations (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                name TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                secret TEXT NOT NULL,
                active INTEGER NOT NULL DEFAULT 1,
                created_at BIGINT NOT NULL,
                revoked_at BIGINT,
                last_used_at BIGINT
            )
            """,
            """
            CREATE TABLE lone_working_devices (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                device_ref TEXT NOT NULL,
                user_id TEXT NOT NULL REFERENCES users(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                supplier TEXT NOT NULL DEFAULT '',
                bs8484_certified INTEGER NOT NULL DEFAULT 0,
                certificate_ref TEXT NOT NULL DEFAULT '',
                active INTEGER NOT NULL DEFAULT 1,
                issued_at BIGINT NOT NULL,
                retired_at BIGINT,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX lone_working_devices_ref ON lone_working_devices (organisation_id, device_ref)",
            "CREATE INDEX lone_working_devices_user ON lone_working_devices (user_id)",
            """
            CREATE TABLE lone_working_alarm_events (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                integration_id TEXT NOT NULL REFERENCES lone_working_integrations(id),
                device_id TEXT NOT NULL REFERENCES lone_working_devices(id),
                user_id TEXT NOT NULL REFERENCES users(id),
                kind TEXT NOT NULL,
                external_id TEXT,
                occurred_at BIGINT NOT NULL,
                received_at BIGINT NOT NULL,
                latitude DOUBLE PRECISION,
                longitude DOUBLE PRECISION,
                audio_available INTEGER NOT NULL DEFAULT 0,
                detail TEXT NOT NULL DEFAULT '',
                session_id TEXT REFERENCES lone_working_sessions(id),
                result TEXT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX lone_working_alarm_events_external ON lone_working_alarm_events (integration_id, external_id)",
            "CREATE INDEX lone_working_alarm_events_time ON lone_working_alarm_events (organisation_id, received_at)",
            """
            CREATE TABLE lone_working_rejected_calls (
                id TEXT PRIMARY KEY,
                organisation_id TEXT,
                integration_id TEXT,
                reason TEXT NOT NULL,
                address TEXT NOT NULL DEFAULT '',
                received_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX lone_working_rejected_calls_time ON lone_working_rejected_calls (received_at)",
            """
            CREATE TABLE lone_working_session_deliveries (
                delivery_id TEXT PRIMARY KEY REFERENCES deliveries(id),
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                session_id TEXT NOT NULL REFERENCES lone_working_sessions(id)
            )
            """,
            "CREATE INDEX lone_working_session_deliveries_session ON lone_working_session_deliveries (session_id)",
            // The history reports read sessions by start time within an organisation.
            "CREATE INDEX lone_working_sessions_started ON lone_working_sessions (organisation_id, started_at)",
        ]),
    ]
}
