import AsyncHTTPClient
import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// What a running Haven is made of, for the CLI and for tests that drive it.
public struct HavenApp: Sendable {
    public let environment: HavenEnvironment
    public let catalogue: RouteCatalogue
    public let configuration: AppConfiguration
}

/// Builds the whole application from a configuration and an open database. Tests call this with a temporary
/// database and a manual clock and then use HummingbirdTesting; `haven serve` runs the same thing on a port.
public func buildApplication(_ configuration: AppConfiguration, database: Database, clock: any HavenClock = SystemClock(),
                             logger: Logger, httpClient: HTTPClient = .shared,
                             onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in })
    throws -> (application: some ApplicationProtocol, app: HavenApp)
{
    let environment = HavenEnvironment(database: database, clock: clock, settings: configuration.services,
                                       httpClient: httpClient, logger: logger)
    let renderer = try PageRenderer.load()
    let router = Router(context: HavenRequestContext.self)
    let tokenCache = TokenIdentityCache(clock: clock)
    router.add(middleware: ErrorMiddleware(renderer: renderer, isHTTPS: configuration.isHTTPS))
    router.add(middleware: StaticFilesMiddleware())
    router.add(middleware: AuthMiddleware(environment: environment, tokenCache: tokenCache))
    router.add(middleware: CSRFMiddleware(secureCookies: configuration.isHTTPS))

    let catalogue = RouteCatalogue()
    let routes = Routes(router: router, catalogue: catalogue)
    let web = WebContext(environment: environment, renderer: renderer, configuration: configuration, tokenCache: tokenCache,
                         unitCache: UnitListCache(clock: clock))
    HomeController(web: web).register(routes)
    SignInController(web: web).register(routes)
    AccountController(web: web).register(routes)
    AccountAPI(web: web).register(routes)
    OrganisationController(web: web).register(routes)
    UnitsController(web: web).register(routes)
    UsersController(web: web).register(routes)
    OrganisationAPI(web: web).register(routes)
    UsersAPI(web: web).register(routes)
    AuditController(web: web).register(routes)
    NotificationsController(web: web).register(routes)
    WebhooksController(web: web).register(routes)
    NotificationsAPI(web: web).register(routes)
    RiddorController(web: web).register(routes)
    IncidentsController(web: web).register(routes)
    IncidentListController(web: web).register(routes)
    IncidentsAPI(web: web).register(routes)
    IncidentCaseAPI(web: web).register(routes)
    IncidentCaseController(web: web).register(routes)
    IncidentDetailController(web: web).register(routes)
    HarassmentCaseRoutes(web: web).register(routes)
    RegulatorDeadlines(web: web).register(routes)
    AttachmentRoutes(web: web).register(routes)
    AnonymousReports(web: web).register(routes)
    IncidentLogExport(web: web).register(routes); RetentionController(web: web).register(routes)
    LoneWorkingController(web: web).register(routes); LoneWorkingBoard(web: web).register(routes)
    LoneWorkingAPI(web: web).register(routes); EscalationPolicyAPI(web: web).register(routes)
    DevicesController(web: web).register(routes); IntegrationsController(web: web).register(routes); DevicesAPI(web: web).register(routes)
    AlarmEventsAPI(web: web).register(routes); PoliciesController(web: web).register(routes)
    LoneWorkingHistory(web: web).register(routes)
    UseOfForceAPI(web: web).register(routes); UseOfForceController(web: web).register(routes)
    UseOfForceDebriefs(web: web).register(routes); BehaviourSupportPlans(web: web).register(routes)
    UseOfForceObservations(web: web).register(routes); NegligibleForce(web: web).register(routes)
    UseOfForceInvestigations(web: web).register(routes)
    UseOfForceStatisticsAPI(web: web).register(routes); UseOfForceAnalyticsController(web: web).register(routes); UseOfForcePopulationController(web: web).register(routes); UseOfForceExport(web: web).register(routes); UseOfForceAnnualReportController(web: web).register(routes)
    OpenAPIController().register(routes)

    let application = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Haven"),
        services: configuration.runsTimers ? [TimerLoop(environment: environment)] : [],
        onServerRunning: onServerRunning,
        logger: logger)
    return (application, HavenApp(environment: environment, catalogue: catalogue, configuration: configuration))
}

/// Everything a controller needs, passed by value.
struct WebContext: Sendable {
    let environment: HavenEnvironment
    let renderer: PageRenderer
    let configuration: AppConfiguration
    let tokenCache: TokenIdentityCache
    let unitCache: UnitListCache

    /// Renders a page for the signed-in (or not) person, with the bell count in the layout.
    func page(_ template: String, _ model: some Sendable, title: String, request: Request, context: HavenRequestContext,
              status: HTTPResponse.Status = .ok, flash: String? = nil) async throws -> Response {
        var unread = 0
        if let identity = context.identity { unread = try await environment.notifications.unreadCount(userId: identity.user.id) }
        let layout = Layout(title: title, identity: context.identity, path: request.uri.path, unreadCount: unread,
                            csrfToken: context.csrfToken, flash: flash)
        return renderer.render(template, model, layout: layout, status: status)
    }
}

/// Runs the timer loop for as long as the server runs, and stops it on graceful shutdown.
struct TimerLoop: Service {
    let environment: HavenEnvironment
    func run() async throws {
        do { try await environment.scheduleHousekeeping() } catch {
            environment.logger.error("Could not schedule housekeeping: \(error)")
        }
        await cancelWhenGracefulShutdown { await environment.timerService.run() }
    }
}
