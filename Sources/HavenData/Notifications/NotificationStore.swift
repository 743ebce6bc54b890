import Foundation
import HavenCore
import SQLKit

/// In-app notifications under the bell.
public struct NotificationStore: Sendable {
    public let database: Database
    public let clock: any HavenClock

    public init(database: Database, clock: any HavenClock) {
        self.database = database
        self.clock = clock
    }

    /// Stores a notification inside a write that is already running.
    public static func insert(on db: any SQLDatabase, _ notification: InAppNotification) async throws {
        try await db.raw("""
            INSERT INTO notifications (id, organisation_id, user_id, title, body, link, created_at)
            VALUES (\(bind: notification.id), \(bind: notification.organisationId), \(bind: notification.userId),
                    \(bind: notification.title), \(bind: notification.body), \(bind: notification.link),
                    \(bind: notification.createdAt.epochMilliseconds))
            """).run()
    }

    public func list(userId: String, limit: Int = 50) async throws -> [InAppNotification] {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM notifications WHERE user_id = \(bind: userId) ORDER BY created_at DESC, id LIMIT \(unsafeRaw: String(max(1, min(limit, 200))))
                """).all().map { row in
                InAppNotification(id: try row.string("id"), organisationId: try row.string("organisation_id"), userId: try row.string("user_id"),
                                  title: try row.string("title"), body: try row.string("body"), link: try row.optionalString("link"),
                                  createdAt: try row.date("created_at"), readAt: try row.optionalDate("read_at"))
            }
        }
    }

    public func unreadCount(userId: String) async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userId) AND read_at IS NULL").first()?.int("n") ?? 0
        }
    }

    /// Marks one (or, with nil, all) of the user's notifications read.
    public func markRead(userId: String, id: String?) async throws {
        let now = clock.now().epochMilliseconds
        try await database.write { db in
            if let id {
                try await db.raw("UPDATE notifications SET read_at = \(bind: now) WHERE id = \(bind: id) AND user_id = \(bind: userId) AND read_at IS NULL").run()
            } else {
                try await db.raw("UPDATE notifications SET read_at = \(bind: now) WHERE user_id = \(bind: userId) AND read_at IS NULL").run()
            }
        }
    }
}
