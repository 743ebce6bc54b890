import HavenCore

/// What every page's frame shows: title, navigation for the user's roles, the notification bell, sign out.
struct Layout: Sendable {
    struct NavLink: Sendable {
        var label: String
        var href: String
        var current: Bool
    }

    var title: String
    var content = ""
    var signedIn: Bool
    var userName: String
    var organisationName: String
    var nav: [NavLink]
    var unreadCount: Int
    var hasUnread: Bool
    var csrfToken: String
    var flash: String?

    init(title: String, identity: Identity?, path: String, unreadCount: Int = 0, csrfToken: String, flash: String? = nil) {
        self.title = title
        self.signedIn = identity != nil
        self.userName = identity?.user.name ?? ""
        self.organisationName = identity?.organisation.name ?? "Haven"
        self.unreadCount = unreadCount
        self.hasUnread = unreadCount > 0
        self.csrfToken = csrfToken
        self.flash = flash
        self.nav = identity.map { Self.navigation(for: $0.actor, path: path) } ?? []
    }

    /// The parts of Haven the roles may use, in the order people reach for them.
    static func navigation(for actor: Actor, path: String) -> [NavLink] {
        var links: [(String, String)] = [("Home", HomeRoute.home.path)]
        if Access.allows(actor, .reportIncident) {
            links.append(("Report an incident", IncidentRoute.newIncident.path))
            links.append(("Incidents", IncidentRoute.list.path))
        }
        if Access.allows(actor, .accessUseOfForce) { links.append(("Use of force", UseOfForceRoute.list.path)) }
        else if Access.allows(actor, .viewUseOfForceStatistics) { links.append(("Use of force", UseOfForceRoute.analytics.path)) }
        links.append(("Units", OrganisationRoute.units.path))
        if Access.allows(actor, .viewUsers) { links.append(("People", OrganisationRoute.users.path)) }
        if Access.allows(actor, .manageOrganisation) {
            links.append(("Organisation", OrganisationRoute.organisation.path))
            links.append(("Sites", OrganisationRoute.sites.path))
        }
        if Access.allows(actor, .viewAuditTrail) { links.append(("Audit trail", AuditRoute.trail.path)) }
        if Access.allows(actor, .manageWebhooks) { links.append(("Webhooks", NotificationRoute.webhooks.path)) }
        links.append(("Your account", AccountRoute.account.path))
        // The longest link the path starts with is the current one (/incidents/new is "Report", not "Incidents").
        let current = links.map(\.1).filter { $0 == "/" ? path == "/" : path == $0 || path.hasPrefix($0 + "/") }.max { $0.count < $1.count }
        return links.map { label, href in NavLink(label: label, href: href, current: href == current) }
    }
}
