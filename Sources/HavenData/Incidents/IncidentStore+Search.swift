import HavenCore
import SQLKit

/// Full-text search on SQLite, where the best plan depends on how many reports contain the words.
///
/// Few matches: look each one up and sort them, which is quick whatever the order. Many matches (a word such as
/// "patient"): looking up and sorting hundreds of thousands of rows takes half a second, so instead walk the list's
/// newest-first index and keep the rows whose rowid is in the set of matches, stopping after one page. A count of
/// matches capped at `manyMatches` (a millisecond or two from the FTS index alone) chooses between them.
extension IncidentStore {
    static let manyMatches = 5_000

    func searchList(_ filter: Filter, search: IncidentSearch) async throws -> IncidentList {
        guard !search.isEmpty, let base = Self.conditions(filter, dialect: .sqlite, search: false) else { return IncidentList() }
        let match = search.fts5
        let cap = Self.countLimit(for: filter)
        let window = Self.window(filter)
        return try await database.read { db in
            let found = try await db.raw("""
                SELECT COUNT(*) AS n FROM (SELECT rowid FROM incidents_search WHERE incidents_search MATCH \(bind: match)
                LIMIT \(unsafeRaw: String(Self.manyMatches))) AS found
                """).first()?.int("n") ?? 0
            if found < Self.manyMatches {
                let matches: SQLQueryString = " AND rowid IN (SELECT rowid FROM incidents_search WHERE incidents_search MATCH \(bind: match))"
                let items = try await db.raw("SELECT * FROM incidents WHERE " + base + matches + " " + window).all().map(Self.decode)
                // At most `manyMatches` rows to look at, so the exact figure is cheap.
                let total = try await db.raw("SELECT COUNT(*) AS n FROM incidents WHERE " + base + matches).first()?.int("n") ?? 0
                return IncidentList(items: items, total: total)
            }
            // The unary + stops SQLite from using the rowid set to drive the query, so it walks the ordered index.
            let inMatches: SQLQueryString = " AND +rowid IN (SELECT rowid FROM incidents_search WHERE incidents_search MATCH \(bind: match))"
            let items = try await db.raw("SELECT * FROM incidents WHERE " + base + inMatches + " " + window).all().map(Self.decode)
            // Counting streams the matches from the FTS index and stops past the cap, without building the set again.
            let counted = try await db.raw("""
                SELECT COUNT(*) AS n FROM (SELECT 1 FROM incidents_search CROSS JOIN incidents ON incidents.rowid = incidents_search.rowid
                WHERE incidents_search MATCH \(bind: match) AND
                """ + " " + base + " LIMIT \(unsafeRaw: String(cap + 1))) AS counted").first()?.int("n") ?? 0
            return IncidentList(items: items, total: min(counted, cap), totalIsCapped: counted > cap)
        }
    }
}
