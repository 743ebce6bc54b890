extension Migrations {
    /// The rest of issue 5:
    /// - the organisation's small-number threshold for published figures (counts from 1 to it are shown as "*"),
    ///   7 by default as in NHS England's publications;
    /// - negligible-force records past retention keep what the figures count and lose the patient and the words
    ///   (`anonymised_at`, with a partial index so the daily purge reads only what it will change), and are counted
    ///   per unit and month for the analytics (`negligible_force_uses_month`);
    /// - distinct patients per unit and month read from an index that holds the patient's local identifier, so the
    ///   count never touches the episode rows;
    /// - when an overdue debrief or set of observations was reminded (`reminded_at`), so each reminder goes once.
    static let useOfForceRemaining: [Migration] = [
        Migration(version: 20, name: "use-of-force-remaining", statements: [
            "ALTER TABLE use_of_force_settings ADD COLUMN suppression_threshold INTEGER NOT NULL DEFAULT 7",
            "ALTER TABLE negligible_force_uses ADD COLUMN anonymised_at BIGINT",
            "CREATE INDEX negligible_force_uses_retention ON negligible_force_uses (organisation_id, recorded_at) WHERE anonymised_at IS NULL",
            "CREATE INDEX negligible_force_uses_month ON negligible_force_uses (organisation_id, local_month, unit_id)",
            "CREATE INDEX use_of_force_episodes_patients ON use_of_force_episodes (organisation_id, local_month, unit_id, patient_local_id)",
            "ALTER TABLE use_of_force_debriefs ADD COLUMN reminded_at BIGINT",
            "ALTER TABLE rapid_tranquillisation_observations ADD COLUMN reminded_at BIGINT",
            // The reminder sweep reads only what is still owed and not yet reminded (partial indexes, across organisations).
            "CREATE INDEX use_of_force_debriefs_remind ON use_of_force_debriefs (due_at) WHERE held_at IS NULL AND reminded_at IS NULL",
            "CREATE INDEX rapid_tranquillisation_remind ON rapid_tranquillisation_observations (due_at) WHERE taken_at IS NULL AND reminded_at IS NULL",
        ]),
    ]
}
