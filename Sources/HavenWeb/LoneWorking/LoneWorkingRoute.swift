/// Every lone-working page address, for the router and for links.
enum LoneWorkingRoute {
    case start
    case session(String)
    case checkIn(String)
    case end(String)
    case alarm(String)
    case acknowledge(String)
    case resolve(String)
    case board
    /// The board's server-sent events.
    case boardEvents
    case pins
    case devices
    case device(String)
    case integrations
    case integration(String)
    case revokeIntegration(String)
    case history
    case historyExport
    case policies
    case newPolicy
    case policy(String)

    var path: String {
        switch self {
        case .start: "/lone-working"
        case .session(let id): "/lone-working/sessions/\(id)"
        case .checkIn(let id): "/lone-working/sessions/\(id)/check-in"
        case .end(let id): "/lone-working/sessions/\(id)/end"
        case .alarm(let id): "/lone-working/sessions/\(id)/alarm"
        case .acknowledge(let id): "/lone-working/sessions/\(id)/acknowledge"
        case .resolve(let id): "/lone-working/sessions/\(id)/resolve"
        case .board: "/lone-working/board"
        case .boardEvents: "/lone-working/board/events"
        case .pins: "/lone-working/pins"
        case .devices: "/lone-working/devices"
        case .device(let id): "/lone-working/devices/\(id)"
        case .integrations: "/admin/integrations"
        case .integration(let id): "/admin/integrations/\(id)"
        case .revokeIntegration(let id): "/admin/integrations/\(id)/revoke"
        case .history: "/lone-working/history"
        case .historyExport: "/lone-working/history/export"
        case .policies: "/lone-working/policies"
        case .newPolicy: "/lone-working/policies/new"
        case .policy(let id): "/lone-working/policies/\(id)"
        }
    }

    /// Router patterns for the session pages.
    static let sessionPattern = "/lone-working/sessions/{id}"
}
