import Foundation
import HavenCore
import SQLKit

extension UseOfForceStore {
    /// Where an export page ends: the last episode's start and id (keyset paging, so each page costs the same however
    /// far into the export it is, unlike OFFSET).
    public struct Cursor: Sendable {
        public var startedAt: Date
        public var id: String
        public init(startedAt: Date, id: String) { self.startedAt = startedAt; self.id = id }
    }

    /// The next `size` episodes a filter selects after `cursor`, oldest first (the filter's limit and offset are
    /// ignored). Oldest first so an export reads in the order things happened.
    public func page(organisationId: String, _ filter: Filter, after cursor: Cursor?, size: Int) async throws -> [StoredUseOfForce] {
        guard var conditions = Self.conditions(organisationId: organisationId, filter) else { return [] }
        if let cursor {
            let at = cursor.startedAt.epochMilliseconds
            conditions.append("(started_at > \(bind: at) OR (started_at = \(bind: at) AND id > \(bind: cursor.id)))")
        }
        let whereClause = conditions.joined(separator: " AND ")
        return try await database.read { db in
            let rows = try await db.raw("""
                SELECT * FROM use_of_force_episodes WHERE \(whereClause) ORDER BY started_at, id LIMIT \(unsafeRaw: String(size))
                """).all()
            let ids = try rows.map { try $0.string("id") }
            let interventions = ids.isEmpty ? [:] : try await Self.interventions(on: db, episodeIds: ids)
            return try zip(rows, ids).map { try Self.decode($0, interventions: interventions[$1] ?? []) }
        }
    }
}
