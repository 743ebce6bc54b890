import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// The lone-working pages: start a visit in a few taps, the session page (check in, I'm safe, panic), and PIN setup.
/// Every action is a plain form post, so all of it works without JavaScript.
struct LoneWorkingController {
    let web: WebContext
    var engine: LoneWorking { web.environment.loneWorking }
    var now: Date { web.environment.clock.now() }

    func register(_ routes: Routes) {
        routes.add(.get, LoneWorkingRoute.start.path, .workAlone) { request, context, identity in
            try await startPage(request, context, identity, form: nil, errors: FieldErrors())
        }
        routes.add(.post, LoneWorkingRoute.start.path, .workAlone) { request, context, identity in
            let form = try await FormInput(request, context: context)
            var errors = FieldErrors()
            let location = Validate.text(form["location"], field: "location", label: "Where you are going", required: true, max: 500, into: &errors)
            let minutes = Int(form["minutes"] ?? "") ?? 0
            if !(1...1440).contains(minutes) { errors.add("minutes", "Choose how long the visit will take") }
            let kind = VisitKind(rawValue: form["visitKind"] ?? "") ?? .homeVisit
            let risks = Validate.text(form["risks"], field: "risks", label: "Known risks", required: false, max: 2000, into: &errors)
            let vehicle = Validate.text(form["vehicle"], field: "vehicle", label: "Vehicle", required: false, max: 100, into: &errors)
            let checklist = form.all("checklist").compactMap { Int($0) }.filter { Self.checklist.indices.contains($0) }.map { Self.checklist[$0] }
            // The phone's position, when the page's script added it (hidden fields; both or neither).
            let position = Self.position(form["latitude"], form["longitude"])
            if position == nil && !((form["latitude"] ?? "").isEmpty && (form["longitude"] ?? "").isEmpty) {
                errors.add("location", "The phone's position could not be read: try adding it again, or leave it out")
            }
            guard errors.isEmpty else { return try await startPage(request, context, identity, form: form, errors: errors, status: .badRequest) }
            let start = LoneWorking.Start(unitId: form["unitId"] ?? "", location: location, latitude: position?.latitude, longitude: position?.longitude,
                                          visitKind: kind, risks: risks, checklist: checklist,
                                          vehicle: vehicle, buddyId: (form["buddyId"] ?? "").nilIfEmpty, backupBuddyId: (form["backupBuddyId"] ?? "").nilIfEmpty,
                                          expectedEndAt: now + TimeInterval(minutes * 60))
            do {
                let session = try await engine.start(start, worker: identity.user, origin: context.origin())
                return .redirect(to: LoneWorkingRoute.session(session.id).path, type: .normal)
            } catch let problems as FieldErrors {
                var errors = problems
                if let message = errors["expectedEndAt"] { errors.add("minutes", message) }
                return try await startPage(request, context, identity, form: form, errors: errors, status: .badRequest)
            }
        }
        routes.add(.get, LoneWorkingRoute.sessionPattern, .workAlone) { request, context, identity in
            try await sessionPage(request, context, identity, errors: FieldErrors())
        }
        routes.add(.post, LoneWorkingRoute.sessionPattern + "/check-in", .workAlone) { request, context, identity in
            let form = try await FormInput(request, context: context)
            let minutes = min(max(Int(form["minutes"] ?? "") ?? 0, 0), 240)
            let id = try context.parameter("id")
            do {
                _ = try await pageErrors { try await engine.checkIn(id, actor: identity.actor, extendBy: minutes * 60, origin: context.origin()) }
            } catch let errors as FieldErrors {
                return try await sessionPage(request, context, identity, errors: errors, status: .badRequest)
            }
            return .redirect(to: LoneWorkingRoute.session(id).path + "?done=check-in", type: .normal)
        }
        routes.add(.post, LoneWorkingRoute.sessionPattern + "/end", .workAlone) { request, context, identity in
            let form = try await FormInput(request, context: context)
            let id = try context.parameter("id")
            do {
                _ = try await pageErrors { try await engine.end(id, actor: identity.actor, pin: (form["pin"] ?? "").nilIfEmpty, origin: context.origin()) }
            } catch let errors as FieldErrors {
                return try await sessionPage(request, context, identity, errors: errors, status: .badRequest)
            }
            return .redirect(to: LoneWorkingRoute.session(id).path + "?done=end", type: .normal)
        }
        routes.add(.post, LoneWorkingRoute.sessionPattern + "/alarm", .workAlone) { _, context, identity in
            let id = try context.parameter("id")
            _ = try await pageErrors { try await engine.alarm(id, actor: identity.actor, origin: context.origin()) }
            return .redirect(to: LoneWorkingRoute.session(id).path + "?done=alarm", type: .normal)
        }
        routes.add(.post, LoneWorkingRoute.sessionPattern + "/acknowledge", .workAlone) { _, context, identity in
            let id = try context.parameter("id")
            _ = try await pageErrors { try await engine.acknowledge(id, actor: identity.actor, origin: context.origin()) }
            return .redirect(to: LoneWorkingRoute.session(id).path + "?done=acknowledge", type: .normal)
        }
        routes.add(.post, LoneWorkingRoute.sessionPattern + "/resolve", .workAlone) { request, context, identity in
            let form = try await FormInput(request, context: context)
            let id = try context.parameter("id")
            var errors = FieldErrors()
            let note = Validate.text(form["note"], field: "note", label: "Note", required: false, max: 2000, into: &errors)
            guard let outcome = SessionOutcome(rawValue: form["outcome"] ?? "") else {
                errors.add("outcome", "Choose what happened")
                return try await sessionPage(request, context, identity, errors: errors, status: .badRequest)
            }
            guard errors.isEmpty else { return try await sessionPage(request, context, identity, errors: errors, status: .badRequest) }
            _ = try await pageErrors { try await engine.resolve(id, actor: identity.actor, outcome: outcome, note: note, origin: context.origin()) }
            return .redirect(to: LoneWorkingRoute.session(id).path + "?done=resolve", type: .normal)
        }
        routes.add(.get, LoneWorkingRoute.pins.path, .workAlone) { request, context, identity in
            try await pinsPage(request, context, identity, errors: FieldErrors())
        }
        routes.add(.post, LoneWorkingRoute.pins.path, .workAlone) { request, context, identity in
            let form = try await FormInput(request, context: context)
            do {
                try await engine.setPins(pin: form["pin"] ?? "", duressPin: form["duressPin"] ?? "", user: identity.user, origin: context.origin())
            } catch let errors as FieldErrors {
                return try await pinsPage(request, context, identity, errors: errors, status: .badRequest)
            }
            return .redirect(to: LoneWorkingRoute.pins.path + "?saved=1", type: .normal)
        }
    }

    static func position(_ latitude: String?, _ longitude: String?) -> (latitude: Double, longitude: Double)? {
        guard let latitude = latitude.flatMap(Double.init), let longitude = longitude.flatMap(Double.init),
              (-90...90).contains(latitude), (-180...180).contains(longitude) else { return nil }
        return (latitude, longitude)
    }

    static let checklist = ["Someone knows where I am going", "Phone charged and on", "Checked the risk record", "Parked for an easy exit"]
    static let durations = [15, 30, 45, 60, 90, 120, 180]

    func startPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, form: FormInput?, errors: FieldErrors,
                   status: HTTPResponse.Status = .ok) async throws -> Response {
        let organisation = identity.organisation
        let units = try await web.environment.organisations.units(organisationId: organisation.id)
        let colleagues = try await web.environment.users.list(organisationId: organisation.id, scope: .all).filter { $0.active && $0.id != identity.user.id }
        let open = try await engine.store.sessions(organisationId: organisation.id, .init(which: .open, workerId: identity.user.id, limit: 20)).items
        let chosenUnit = form?["unitId"] ?? (identity.user.unitIds.count == 1 ? identity.user.unitIds.first! : "")
        let minutes = form?["minutes"] ?? "60"
        let page = StartVisitPage(
            csrfToken: context.csrfToken, errors: ErrorSummary(errors),
            open: open.map { OpenVisit(href: LoneWorkingRoute.session($0.id).path, location: $0.location,
                                       due: Self.time($0.asSeenByWorker.expectedEndAt, organisation)) },
            hasOpen: !open.isEmpty,
            location: FormField("location", "Where are you going?", value: form?["location"] ?? "", hint: "An address, or a description a colleague would recognise",
                                errors: errors),
            durations: Self.durations.map { Choice(value: String($0), label: Self.duration($0), selected: String($0) == minutes) },
            minutesError: errors["minutes"],
            kinds: VisitKind.allCases.map { Choice(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == (form?["visitKind"] ?? VisitKind.homeVisit.rawValue)) },
            units: units.map { Choice(value: $0.id, label: $0.name, selected: $0.id == chosenUnit) },
            unitError: errors["unitId"],
            buddies: colleagues.map { Choice(value: $0.id, label: $0.name, selected: $0.id == form?["buddyId"]) },
            backups: colleagues.map { Choice(value: $0.id, label: $0.name, selected: $0.id == form?["backupBuddyId"]) },
            buddyError: errors["buddyId"], backupError: errors["backupBuddyId"],
            vehicle: FormField("vehicle", "Vehicle registration", value: form?["vehicle"] ?? "", required: false, errors: errors),
            risks: form?["risks"] ?? "", risksError: errors["risks"],
            latitude: Self.position(form?["latitude"], form?["longitude"]).map { String($0.latitude) },
            longitude: Self.position(form?["latitude"], form?["longitude"]).map { String($0.longitude) },
            checklist: Self.checklist.enumerated().map { Choice(value: String($0.offset), label: $0.element, selected: form?.all("checklist").contains(String($0.offset)) ?? false) })
        return try await web.page("lone-working/start", page, title: "Start a lone-working visit", request: request, context: context, status: status)
    }

    func sessionPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, errors: FieldErrors,
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let stored = try await engine.store.session(id: try context.parameter("id"), organisationId: identity.organisation.id) else {
            throw PageError.notFound
        }
        guard LoneWorkingAccess.canView(stored, identity.actor) else { throw PageError.forbidden }
        let isWorker = LoneWorkingAccess.isWorker(stored, identity.actor)
        let session = isWorker ? stored.asSeenByWorker : stored
        let names = try await web.environment.users.list(organisationId: identity.organisation.id, scope: .all)
        func name(_ id: String?) -> String { id.flatMap { id in names.first { $0.id == id }?.name } ?? "" }
        // The worker does not see the log: after a duress end it would give the silent alarm away.
        let events = isWorker ? [] : try await engine.store.events(sessionId: stored.id, organisationId: stored.organisationId)
        let board = session.boardStatus(at: now)
        let done = request.uri.queryParameters["done"].map(String.init)
        let page = SessionPage(session: session, board: board, organisation: identity.organisation, now: now, isWorker: isWorker,
                               canAcknowledge: !isWorker && LoneWorkingAccess.canAcknowledge(stored, identity.actor) && stored.state.isEscalating,
                               canResolve: LoneWorkingAccess.canResolve(stored, identity.actor) && (stored.state.isEscalating || stored.state == .acknowledged),
                               worker: name(stored.workerId), buddy: name(stored.buddyId), backupBuddy: name(stored.backupBuddyId),
                               acknowledgedBy: name(session.acknowledgedBy),
                               events: events.map { SessionPage.Event(when: Self.time($0.createdAt, identity.organisation), what: $0.detail, who: name($0.actorId)) },
                               done: done, errors: errors, hasPins: try await engine.hasPins(identity.user), csrfToken: context.csrfToken)
        return try await web.page("lone-working/session", page, title: "Lone-working visit", request: request, context: context, status: status)
    }

    func pinsPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, errors: FieldErrors,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let page = PinsPage(csrfToken: context.csrfToken, errors: ErrorSummary(errors), hasPins: try await engine.hasPins(identity.user),
                            saved: request.uri.queryParameters["saved"] != nil && errors.isEmpty,
                            pin: FormField("pin", "PIN", hint: "4 to 12 digits. Type it when you end a visit to show it is really you.",
                                           type: "password", autocomplete: "off", errors: errors),
                            duressPin: FormField("duressPin", "Duress PIN",
                                                 hint: "Different from your PIN. Ending with it looks exactly like a normal end, but raises a silent alarm.",
                                                 type: "password", autocomplete: "off", errors: errors))
        return try await web.page("lone-working/pins", page, title: "Lone-working PINs", request: request, context: context, status: status)
    }

    static func duration(_ minutes: Int) -> String {
        if minutes < 60 { return "\(minutes) minutes" }
        if minutes % 60 == 0 { return minutes == 60 ? "1 hour" : "\(minutes / 60) hours" }
        return "\(minutes / 60) h \(minutes % 60) min"
    }

    /// A time in the organisation's zone, as the people on the ground read it.
    static func time(_ date: Date, _ organisation: Organisation) -> String {
        var style = Date.FormatStyle(date: .omitted, time: .shortened)
        style.timeZone = TimeZone(identifier: organisation.timeZone) ?? .gmt
        return date.formatted(style)
    }
}

struct OpenVisit: Sendable {
    var href: String
    var location: String
    var due: String
}

struct StartVisitPage: Sendable {
    /// Forms carry the request's CSRF token: the layout's is not in the page's own context.
    var csrfToken: String
    var errors: ErrorSummary
    var open: [OpenVisit]
    var hasOpen: Bool
    var location: FormField
    var durations: [Choice]
    var minutesError: String?
    var kinds: [Choice]
    var units: [Choice]
    var unitError: String?
    var buddies: [Choice]
    var backups: [Choice]
    var buddyError: String?
    var backupError: String?
    var vehicle: FormField
    var risks: String
    var risksError: String?
    var latitude: String?
    var longitude: String?
    var checklist: [Choice]
}
