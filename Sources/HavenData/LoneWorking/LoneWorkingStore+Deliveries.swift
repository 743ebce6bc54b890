import Foundation
import HavenCore
import SQLKit

/// Which webhook deliveries carried which session's alerts, so a monitor sees an alert that did not get through.
extension LoneWorkingStore {
    /// Why a session's alert is shown as not delivered.
    public enum Undelivered: String, Sendable {
        /// An attempt failed and the delivery timers are retrying it with backoff.
        case retrying
        /// Retried for 24 hours and given up.
        case failed
    }

    public static func link(on db: any SQLDatabase, deliveryId: String, sessionId: String, organisationId: String) async throws {
        try await db.raw("""
            INSERT INTO lone_working_session_deliveries (delivery_id, organisation_id, session_id)
            VALUES (\(bind: deliveryId), \(bind: organisationId), \(bind: sessionId))
            """).run()
    }

    /// For each of these sessions with a webhook delivery that has failed at least once and not since succeeded: whether
    /// it is still being retried or was given up. Sessions whose deliveries all arrived (or were not tried yet) are absent.
    public func undelivered(sessionIds: [String], organisationId: String) async throws -> [String: Undelivered] {
        guard !sessionIds.isEmpty else { return [:] }
        return try await database.read { db in
            let rows = try await db.raw("""
                SELECT l.session_id, d.status FROM lone_working_session_deliveries l JOIN deliveries d ON d.id = l.delivery_id
                WHERE l.organisation_id = \(bind: organisationId) AND l.session_id IN (\(binds: sessionIds))
                  AND d.status <> 'delivered' AND d.attempts > 0
                """).all()
            var found: [String: Undelivered] = [:]
            for row in rows {
                let session = try row.string("session_id")
                // One delivery given up outweighs others still retrying.
                if try row.string("status") == "failed" { found[session] = .failed } else if found[session] == nil { found[session] = .retrying }
            }
            return found
        }
    }
}
