import HavenCore

extension Migrations {
    /// Use of force, the record as people use it (issue 5): the calendar columns analytics group by, one column per
    /// Equality Act characteristic (s6(5)(k); counted for disproportionality, so not free text — the old
    /// `relevant_characteristics` column now holds only the optional note), the prone justification, a confirmed
    /// restraint over 24 hours, the link to an incident report, and the senior review the alerts ask for.
    static let useOfForceRecord: [Migration] = [
        Migration(version: 12, name: "use-of-force-record", statements: [
            "ALTER TABLE use_of_force_episodes ADD COLUMN local_date TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE use_of_force_episodes ADD COLUMN local_month TEXT NOT NULL DEFAULT ''",
        ] + ProtectedCharacteristicColumns.all.map {
            "ALTER TABLE use_of_force_episodes ADD COLUMN \($0) TEXT NOT NULL DEFAULT 'not-known'"
        } + [
            "ALTER TABLE use_of_force_episodes ADD COLUMN prone_justification TEXT",
            "ALTER TABLE use_of_force_episodes ADD COLUMN long_restraint_confirmed INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE use_of_force_episodes ADD COLUMN incident_id TEXT",
            "ALTER TABLE use_of_force_episodes ADD COLUMN updated_at BIGINT",
            "ALTER TABLE use_of_force_episodes ADD COLUMN reviewed_at BIGINT",
            "ALTER TABLE use_of_force_episodes ADD COLUMN reviewed_by TEXT",
            "ALTER TABLE use_of_force_episodes ADD COLUMN review_note TEXT",
            "CREATE INDEX use_of_force_episodes_incident ON use_of_force_episodes (organisation_id, incident_id)",
            // Episodes with an alert still waiting for senior review, for the reviewers' attention list.
            "CREATE INDEX use_of_force_episodes_review ON use_of_force_episodes (organisation_id, reviewed_at, alerts)",
            "CREATE INDEX use_of_force_episodes_month ON use_of_force_episodes (organisation_id, local_month, unit_id)",
        ]),
    ]
}

/// The column of each characteristic, named once for the migration, the store and analytics.
public enum ProtectedCharacteristicColumns {
    public static func column(_ characteristic: ProtectedCharacteristic) -> String {
        "pc_" + characteristic.rawValue.reduce(into: "") { name, letter in
            if letter.isUppercase { name += "_" + letter.lowercased() } else { name.append(letter) }
        }
    }
    public static let all: [String] = ProtectedCharacteristic.allCases.map(column)
}
