import Foundation
import HavenCore
import HavenData
import Hummingbird

/// The notification bell's list.
struct NotificationsController {
    let web: WebContext

    func register(_ routes: Routes) {
        routes.add(.get, NotificationRoute.list.path, .viewNotifications) { request, context, identity in
            let items = try await web.environment.notifications.list(userId: identity.user.id).map { item in
                NotificationsPage.Item(id: item.id, title: item.title, body: item.body,
                                       link: item.link.flatMap { SignInController.isSafeNext($0) ? $0 : nil },
                                       at: DisplayDate.dateTime(item.createdAt, identity.organisation), unread: item.readAt == nil)
            }
            let page = NotificationsPage(items: items, hasItems: !items.isEmpty, hasUnread: items.contains { $0.unread },
                                         csrfToken: context.csrfToken, markReadAction: NotificationRoute.markRead.path)
            return try await web.page("notifications", page, title: "Notifications", request: request, context: context)
        }
        routes.add(.post, NotificationRoute.markRead.path, .viewNotifications) { request, context, identity in
            let form = try await FormInput(request, context: context)
            try await web.environment.notifications.markRead(userId: identity.user.id, id: form["id"])
            return .redirect(to: NotificationRoute.list.path)
        }
    }
}

struct NotificationsPage: Sendable {
    struct Item: Sendable {
        var id: String
        var title: String
        var body: String
        var link: String?
        var at: String
        var unread: Bool
    }
    var items: [Item]
    var hasItems: Bool
    var hasUnread: Bool
    var csrfToken: String
    var markReadAction: String
}
