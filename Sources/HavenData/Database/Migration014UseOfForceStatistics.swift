import HavenCore

extension Migrations {
    /// Use-of-force reduction analytics (issue 5). Dashboards read rollups kept up to date on write (DESIGN.md): one
    /// row per unit, month and characteristic value holding the sums of `UseOfForceMeasures` (with `all`/`all` for the
    /// unit's totals), and a histogram of restraint lengths in whole minutes per unit and month, from which the median
    /// and maximum are read exactly (at minute resolution) without sorting every restraint. Plain aggregate queries over
    /// the episode and intervention tables were measured first and took seconds at 200,000 episodes (docs/PERFORMANCE.md).
    /// The patient population each unit served in a period, by characteristic value, is what disproportionality
    /// ratios divide by. `anonymised_at` marks an episode the retention purge has emptied of personal content.
    /// The last statements fill the rollups from the episodes already recorded.
    static let useOfForceStatistics: [Migration] = [
        Migration(version: 14, name: "use-of-force-statistics", statements: [
            """
            CREATE TABLE use_of_force_monthly (
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                month TEXT NOT NULL,
                characteristic TEXT NOT NULL,
                value TEXT NOT NULL,
            \(UseOfForceMeasures.columns.map { "    \($0) BIGINT NOT NULL DEFAULT 0" }.joined(separator: ",\n")),
                PRIMARY KEY (organisation_id, month, unit_id, characteristic, value)
            )
            """,
            """
            CREATE TABLE use_of_force_monthly_minutes (
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                month TEXT NOT NULL,
                minutes INTEGER NOT NULL,
                restraints BIGINT NOT NULL DEFAULT 0,
                PRIMARY KEY (organisation_id, month, unit_id, minutes)
            )
            """,
            """
            CREATE TABLE use_of_force_populations (
                organisation_id TEXT NOT NULL REFERENCES organisations(id),
                unit_id TEXT NOT NULL REFERENCES units(id),
                period_from TEXT NOT NULL,
                period_to TEXT NOT NULL,
                characteristic TEXT NOT NULL,
                value TEXT NOT NULL,
                patients INTEGER NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (organisation_id, unit_id, period_from, characteristic, value)
            )
            """,
            "CREATE INDEX use_of_force_populations_period ON use_of_force_populations (organisation_id, period_to, period_from)",
            // Retention (s6(6)): when an episode past its period lost its personal content. The partial index holds only
            // episodes not yet anonymised, so the daily purge reads just what it will change.
            "ALTER TABLE use_of_force_episodes ADD COLUMN anonymised_at BIGINT",
            "CREATE INDEX use_of_force_episodes_retention ON use_of_force_episodes (organisation_id, recorded_at) WHERE anonymised_at IS NULL",
            // Where the organisation publishes its use-of-force policy (s3) and patient information (s4), for the annual report.
            """
            CREATE TABLE use_of_force_publications (
                organisation_id TEXT PRIMARY KEY REFERENCES organisations(id),
                policy_url TEXT,
                patient_information_url TEXT,
                updated_at BIGINT NOT NULL
            )
            """,
        ] + UseOfForceRollupSQL.rebuild(organisationId: nil)),
    ]
}
