extension Migrations {
    /// Full-text search of incident descriptions (issue 3, "find"). The engines differ here, so each gets its own
    /// statements. Both index the rows that exist already and stay in step by themselves, whoever changes a row:
    /// a later edit of a description or a purge of old reports needs no search code.
    static let incidentSearch: [Migration] = [
        Migration(version: 7, name: "incident-search", statements: [], sqlite: [
            // An external-content FTS5 table: the words are indexed, the text stays only in `incidents`. No stemming:
            // a stemmed index cannot match what people type as they type it ("medicat" is not a prefix of the stem
            // "medic"), and the last word is matched as a prefix anyway. The table is keyed by the incidents' rowid,
            // which VACUUM may renumber (the table has a TEXT primary key): after a VACUUM, rebuild it with
            // INSERT INTO incidents_search (incidents_search) VALUES ('rebuild').
            """
            CREATE VIRTUAL TABLE incidents_search USING fts5(
                description, content = 'incidents', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2')
            """,
            """
            CREATE TRIGGER incidents_search_insert AFTER INSERT ON incidents BEGIN
                INSERT INTO incidents_search (rowid, description) VALUES (new.rowid, new.description);
            END
            """,
            // An external-content table forgets a row only when told the words it indexed, hence old.description.
            """
            CREATE TRIGGER incidents_search_delete AFTER DELETE ON incidents BEGIN
                INSERT INTO incidents_search (incidents_search, rowid, description) VALUES ('delete', old.rowid, old.description);
            END
            """,
            // Only a change of the description touches the index, so status changes stay cheap.
            """
            CREATE TRIGGER incidents_search_update AFTER UPDATE OF description ON incidents BEGIN
                INSERT INTO incidents_search (incidents_search, rowid, description) VALUES ('delete', old.rowid, old.description);
                INSERT INTO incidents_search (rowid, description) VALUES (new.rowid, new.description);
            END
            """,
            "INSERT INTO incidents_search (incidents_search) VALUES ('rebuild')",
        ] + newestFirstIndexes, postgres: newestFirstIndexes + [
            // A stored generated column is recomputed by PostgreSQL on every insert and update, and filled for the
            // existing rows when it is added. English stems so "punch" finds "punched", and the plain words too, so
            // that what someone is still typing ("medicat") finds "medication", whose stem is "medic".
            """
            ALTER TABLE incidents ADD COLUMN search_vector tsvector
                GENERATED ALWAYS AS (to_tsvector('english', description) || to_tsvector('simple', description)) STORED
            """,
            "CREATE INDEX incidents_search ON incidents USING GIN (search_vector)",
        ]),
    ]

    /// The list is newest first with the id as tie-break. Indexes in exactly that order (migration 5's lacked the id)
    /// let both engines read the first page straight from the index and stop, where before SQLite sorted every row
    /// of the organisation or unit: about half a second at a million reports. The reporter's index leads with the
    /// organisation too, as the list asks: otherwise SQLite preferred walking the whole organisation's index for
    /// "my reports" (seconds at a million reports, for someone who made a few). The organisation and unit indexes
    /// also carry what the remit checks (unit, confidential, reporter), so counting a unit's or a manager's reports
    /// reads no table rows: 1 to 3 ms instead of 40 at a million.
    private static let newestFirstIndexes = [
        "DROP INDEX incidents_org",
        "CREATE INDEX incidents_org ON incidents (organisation_id, occurred_at DESC, id, unit_id, confidential, reporter_id)",
        "DROP INDEX incidents_unit",
        "CREATE INDEX incidents_unit ON incidents (organisation_id, unit_id, occurred_at DESC, id, confidential, reporter_id)",
        "DROP INDEX incidents_reporter",
        "CREATE INDEX incidents_reporter ON incidents (organisation_id, reporter_id, occurred_at DESC, id)",
    ]
}
