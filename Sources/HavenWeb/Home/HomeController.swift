import Foundation
import HavenCore
import HavenServices
import Hummingbird

enum HomeRoute {
    case home
    case healthz
    case readyz

    var path: String {
        switch self {
        case .home: "/"
        case .healthz: "/healthz"
        case .readyz: "/readyz"
        }
    }
}

/// The home page (what each role may use, and what needs attention) and the health checks.
struct HomeController {
    let web: WebContext

    func register(_ routes: Routes) {
        routes.addPublic(.get, HomeRoute.healthz.path) { _, _ in Self.plain("ok") }
        routes.addPublic(.get, HomeRoute.readyz.path) { _, _ in
            await web.environment.database.isReachable()
                ? Self.plain("ready") : Self.plain("database unreachable", status: .serviceUnavailable)
        }
        routes.add(.get, HomeRoute.home.path, .viewHome, duringEnrolment: true) { request, context, identity in
            let attention = try await web.environment.attention(for: identity.user, organisation: identity.organisation)
            let page = HomePage(identity: identity, attention: attention)
            return try await web.page("home", page, title: "Home", request: request, context: context)
        }
    }

    static func plain(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }
}

struct HomePage: Sendable {
    struct Part: Sendable {
        var title: String
        var description: String
        var href: String
    }

    var name: String
    var roles: String
    var attention: [AttentionItem]
    var hasAttention: Bool
    var parts: [Part]

    init(identity: Identity, attention: [AttentionItem]) {
        name = identity.user.name
        roles = identity.user.roles.sorted().map(\.displayName).joined(separator: ", ")
        self.attention = attention
        hasAttention = !attention.isEmpty
        parts = Self.parts(for: identity.actor)
    }

    /// The parts of Haven this person's roles open, each with what it is for.
    static func parts(for actor: Actor) -> [Part] {
        var parts: [Part] = [
            Part(title: "Report an incident", description: "Violence, abuse, threats or a near miss: six questions, under a minute.", href: IncidentRoute.newIncident.path),
            Part(title: "Incidents", description: Access.allows(actor, .viewIncidents) ? "Your reports and those for the units you look after." : "The reports you have made and what happened to them.", href: IncidentRoute.list.path),
            Part(title: "Units", description: "The wards, teams and homes of your organisation.", href: OrganisationRoute.units.path),
            Part(title: "Notifications", description: "Updates on what you reported and what you look after.", href: NotificationRoute.list.path),
        ]
        if Access.allows(actor, .workAlone) {
            parts.append(Part(title: "Lone working", description: "Start a visit, check in, end it safely, or raise an alarm.", href: LoneWorkingRoute.start.path))
        }
        if Access.allows(actor, .monitorLoneWorkers) {
            parts.append(Part(title: "Lone-worker board", description: "Everyone on a visit in your remit, overdue and alarms first.", href: LoneWorkingRoute.board.path))
        }
        if Access.allows(actor, .accessUseOfForce) {
            parts.append(Part(title: "Use of force", description: Access.allows(actor, .viewUseOfForce)
                                ? "Every restraint, seclusion and rapid tranquillisation on your units, with the alerts to review."
                                : "Record a restraint or seclusion with every item the Use of Force Act asks for.",
                              href: UseOfForceRoute.list.path))
        }
        if Access.allows(actor, .manageUseOfForceSettings) {
            parts.append(Part(title: "Use-of-force settings", description: "How soon staff and patient debriefs are due after force is used.",
                              href: UseOfForceDebriefs.settingsPath))
        }
        if Access.allows(actor, .viewLoneWorkingReports) {
            parts.append(Part(title: "Lone-working history", description: "Visits, overdue alerts, alarms, response times and false alarms, by person and team.", href: LoneWorkingRoute.history.path))
        }
        if Access.allows(actor, .manageEscalationPolicies) {
            parts.append(Part(title: "Escalation policies", description: "Who is told, how and after how long when a lone worker is overdue or raises an alarm.",
                              href: LoneWorkingRoute.policies.path))
        }
        if Access.allows(actor, .manageLoneWorkingDevices) {
            parts.append(Part(title: "Lone-worker devices", description: "Who carries which device, its supplier and BS 8484 certification.", href: LoneWorkingRoute.devices.path))
        }
        if Access.allows(actor, .manageIntegrations) {
            parts.append(Part(title: "Alarm integrations", description: "Device platforms and alarm receiving centres that send alarm events.", href: LoneWorkingRoute.integrations.path))
        }
        if Access.allows(actor, .assessRiddor) {
            parts.append(Part(title: "RIDDOR check", description: "Is an injury reportable to the HSE, and by when?", href: IncidentRoute.riddor.path))
        }
        if Access.allows(actor, .handleIncidents) {
            parts.append(Part(title: "Reports due to the regulator", description: "RIDDOR or Cal/OSHA reports owed by the incidents you handle, and by when.",
                              href: "/incidents/regulator"))
        }
        if Access.allows(actor, .exportIncidentLog) {
            parts.append(Part(title: "Violent incident log", description: "Every incident in your remit with no personal identifiers, to keep or share with staff-side representatives.", href: IncidentLogExport.pagePath))
        }
        if Access.allows(actor, .recordActivity) {
            parts.append(Part(title: "Monthly activity", description: "Occupied bed days and staffing for your units, used for rates.", href: OrganisationRoute.units.path))
        }
        if Access.allows(actor, .viewUsers) {
            parts.append(Part(title: "People", description: "Staff accounts, roles and units.", href: OrganisationRoute.users.path))
        }
        if Access.allows(actor, .manageOrganisation) {
            parts.append(Part(title: "Organisation settings", description: "Name, time zone, rule pack and sign-in rules.", href: OrganisationRoute.organisation.path))
        }
        if Access.allows(actor, .viewAuditTrail) {
            parts.append(Part(title: "Audit trail", description: "Every sign-in, change and read of a sensitive record.", href: AuditRoute.trail.path))
        }
        if Access.allows(actor, .manageRetention) {
            parts.append(Part(title: "Retention", description: "How long records are kept before the daily purge anonymises them.", href: RetentionController.pagePath))
        }
        if Access.allows(actor, .manageWebhooks) {
            parts.append(Part(title: "Webhooks", description: "Send Haven events to other systems, with a delivery log.", href: NotificationRoute.webhooks.path))
        }
        parts.append(Part(title: "Your account", description: "Password, two-step sign-in and API tokens.", href: AccountRoute.account.path))
        return parts
    }
}
