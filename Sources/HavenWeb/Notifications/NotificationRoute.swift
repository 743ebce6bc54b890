enum NotificationRoute {
    case list
    case markRead
    case webhooks
    case webhook(id: String)
    case testWebhook(id: String)

    var path: String {
        switch self {
        case .list: "/notifications"
        case .markRead: "/notifications/read"
        case .webhooks: "/admin/webhooks"
        case .webhook(let id): "/admin/webhooks/\(id)"
        case .testWebhook(let id): "/admin/webhooks/\(id)/test"
        }
    }
}
