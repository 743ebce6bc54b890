import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// The investigation pages' addresses.
enum UseOfForceInvestigationRoute {
    case list
    case investigation(String)

    var path: String {
        switch self {
        case .list: "/use-of-force/investigations"
        case .investigation(let episodeId): "/use-of-force/\(episodeId)/investigation"
        }
    }
}

/// s9 investigations of deaths and serious injuries: the list, one investigation and its steps, in pages and the API.
/// Every read is audited (`use-of-force.investigation-read`) and every change (in the store). Staff and partnership
/// representatives are refused (403) by the route; a manager asking for another unit's investigation is told it is not there (404).
struct UseOfForceInvestigations {
    let web: WebContext
    var records: UseOfForceRecords { web.environment.useOfForce }
    static let apiList = UseOfForceAPI.base + "/investigations"

    func register(_ routes: Routes) {
        routes.add(.get, Self.apiList, .viewUseOfForceInvestigations, api: true) { request, _, identity in
            let paging = try Pagination(request)
            var filter = try self.filter(request, identity, api: true)
            filter.limit = paging.limit; filter.offset = paging.offset
            let (items, total) = try await records.investigations.list(organisationId: identity.organisation.id, filter)
            let now = web.environment.clock.now()
            return try jsonResponse(Page(items: items.map { InvestigationJSON($0, now: now) }, total: total, limit: paging.limit, offset: paging.offset))
        }
        routes.add(.get, UseOfForceAPI.base + "/{id}/investigation", .viewUseOfForceInvestigations, api: true) { _, context, identity in
            let investigation = try await UseOfForceAPI.answering {
                try await records.investigation(episodeId: try context.parameter("id"), by: identity.user)
            }
            try await audit(investigation, context)
            return try jsonResponse(InvestigationJSON(investigation, now: web.environment.clock.now()))
        }
        routes.add(.patch, UseOfForceAPI.base + "/{id}/investigation", .manageUseOfForceInvestigations, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            let change = InvestigationChange(status: input.string("status"), leadInvestigatorId: input.string("leadInvestigatorId"),
                                             guidance: input.string("guidance"), checklist: input.strings("guidanceChecklist"),
                                             findings: input.string("findings"), learning: input.string("learning"),
                                             notNeededReason: input.string("notNeededReason"))
            try input.finish()
            let investigation = try await UseOfForceAPI.answering {
                try await records.changeInvestigation(episodeId: try context.parameter("id"), by: identity.user, change, origin: context.origin())
            }
            return try jsonResponse(InvestigationJSON(investigation, now: web.environment.clock.now()))
        }
        routes.add(.get, UseOfForceInvestigationRoute.list.path, .viewUseOfForceInvestigations) { request, context, identity in
            try await listPage(request, context, identity)
        }
        routes.add(.get, "/use-of-force/{id}/investigation", .viewUseOfForceInvestigations) { request, context, identity in
            let investigation = try await readable(context, identity)
            try await audit(investigation, context)
            return try await page(request, context, identity, investigation, errors: .init(), typed: nil)
        }
        routes.add(.post, "/use-of-force/{id}/investigation", .manageUseOfForceInvestigations) { request, context, identity in
            let investigation = try await readable(context, identity)
            let form = try await FormInput(request, context: context)
            do {
                guard let change = Self.change(step: form["step"], form) else { throw FieldErrors("status", "Choose one of the buttons on the page") }
                _ = try await records.changeInvestigation(episodeId: investigation.episodeId, by: identity.user, change, origin: context.origin())
                return .redirect(to: UseOfForceInvestigationRoute.investigation(investigation.episodeId).path + "?done=1")
            } catch {
                let (errors, status) = try UseOfForceController.formErrors(error, merging: .init(), field: "status")
                return try await page(request, context, identity, investigation, errors: errors, typed: form, status: status)
            }
        }
    }

    /// Each form on the page sends one step: the lead, the notes (saved, or saved and concluded), or a move of status.
    static func change(step: String?, _ form: FormInput) -> InvestigationChange? {
        let notes = InvestigationChange(guidance: form["guidance"] ?? "", checklist: form.all("guidanceChecklist"),
                                        findings: form["findings"] ?? "", learning: form["learning"] ?? "")
        switch step {
        case "lead": return InvestigationChange(leadInvestigatorId: form["leadInvestigatorId"] ?? "")
        case "save": return notes
        case "conclude": var change = notes; change.status = InvestigationStatus.concluded.rawValue; return change
        case "start": return InvestigationChange(status: InvestigationStatus.investigating.rawValue)
        case "reopen": return InvestigationChange(status: InvestigationStatus.investigating.rawValue)
        case "not-needed": return InvestigationChange(status: InvestigationStatus.notNeeded.rawValue, notNeededReason: form["notNeededReason"] ?? "")
        case "open": return InvestigationChange(status: InvestigationStatus.open.rawValue)
        default: return nil
        }
    }

    func audit(_ investigation: Investigation, _ context: HavenRequestContext) async throws {
        try await AuditLog.record(web.environment.database, at: web.environment.clock.now(), origin: context.origin(),
                                  action: "use-of-force.investigation-read", entity: "use-of-force", entityId: investigation.episodeId)
    }

    func readable(_ context: HavenRequestContext, _ identity: Identity) async throws -> Investigation {
        do { return try await records.investigation(episodeId: try context.parameter("id"), by: identity.user) }
        catch UseOfForceError.notFound { throw PageError.notFound }
    }

    /// The list's status filter: a status, or `overdue` (open or investigating, past the target).
    static let overdue = "overdue"
    static var statusFilters: [String] { InvestigationStatus.allCases.map(\.rawValue) + [overdue] }

    /// `status` (a status, or `overdue`) and `unitId`, within the reader's units: a unit outside them is 403.
    func filter(_ request: Request, _ identity: Identity, api: Bool) throws -> UseOfForceInvestigationStore.Filter {
        let query = request.uri.queryParameters
        var errors = FieldErrors()
        var filter = UseOfForceInvestigationStore.Filter()
        if let text = query["status"].map(String.init), !text.isEmpty {
            if text == Self.overdue { filter.overdueOnly = true }
            else if let status = InvestigationStatus(rawValue: text) { filter.status = status }
            else { errors.add("status", "Unknown status '\(text)'. Valid statuses: \(Self.statusFilters.joined(separator: ", "))") }
        }
        let scope = Access.scope(of: identity.actor, for: .viewUseOfForceInvestigations)
        if case .units(let ids) = scope { filter.unitIds = ids }
        if let unit = query["unitId"].map(String.init), !unit.isEmpty {
            guard scope.contains(unit) else {
                throw api ? APIError(.forbidden, code: "forbidden", message: "That unit is not one of yours", fields: ["unitId": "That unit is not one of yours"])
                          : PageError.forbidden
            }
            filter.unitId = unit
        }
        if !errors.isEmpty {
            if api { throw APIError.validation(errors) }
            throw PageError.badRequest(errors.items.first?.message ?? "Bad filter")
        }
        return filter
    }

    func listPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity) async throws -> Response {
        let size = 50
        let offset = max(0, Int(request.uri.queryParameters["offset"].map(String.init) ?? "") ?? 0)
        var filter = try self.filter(request, identity, api: false)
        filter.limit = size; filter.offset = offset
        let (items, total) = try await records.investigations.list(organisationId: identity.organisation.id, filter)
        let units = try await web.environment.organisations.units(organisationId: identity.organisation.id)
        let unitNames = Dictionary(units.map { ($0.id, $0.name) }) { first, _ in first }
        let people = try await web.environment.users.list(organisationId: identity.organisation.id, scope: .all)
        let names = Dictionary(people.map { ($0.id, $0.name) }) { first, _ in first }
        let now = web.environment.clock.now()
        let rows = items.map { item in
            InvestigationListPage.Row(
                href: UseOfForceInvestigationRoute.investigation(item.episodeId).path, opened: DisplayDate.dateTime(item.openedAt, identity.organisation),
                unit: unitNames[item.unitId] ?? "", harm: item.harm == .death ? "Death" : "Serious injury", status: item.status.label,
                target: DisplayDate.dateTime(item.targetAt, identity.organisation), overdue: item.isOverdue(now: now),
                lead: item.leadInvestigatorId.map { names[$0] ?? "A former member of staff" } ?? "Not chosen")
        }
        let scope = Access.scope(of: identity.actor, for: .viewUseOfForceInvestigations)
        let chosenStatus = filter.overdueOnly ? Self.overdue : filter.status?.rawValue ?? ""
        func href(_ at: Int) -> String {
            var parts = ["offset=\(at)"]
            if !chosenStatus.isEmpty { parts.append("status=\(chosenStatus)") }
            if let unit = filter.unitId { parts.append("unitId=\(unit)") }
            return UseOfForceInvestigationRoute.list.path + "?" + parts.joined(separator: "&")
        }
        let page = InvestigationListPage(
            rows: rows, hasRows: !rows.isEmpty,
            statuses: [Choice(value: "", label: "Any status", selected: chosenStatus.isEmpty)]
                + InvestigationStatus.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == chosenStatus) }
                + [Choice(value: Self.overdue, label: "Overdue: past the target, not concluded", selected: chosenStatus == Self.overdue)],
            units: [Choice(value: "", label: "All your units", selected: filter.unitId == nil)]
                + units.filter { scope.contains($0.id) }.map { Choice(value: $0.id, label: $0.name, selected: $0.id == filter.unitId) },
            showing: total == 0 ? "No investigations." : "Showing \(offset + 1) to \(offset + rows.count) of \(total).",
            previousHref: offset > 0 ? href(max(0, offset - size)) : nil, nextHref: offset + size < total ? href(offset + size) : nil,
            errors: ErrorSummary(FieldErrors()))
        return try await web.page("use-of-force/investigations", page, title: "Investigations of deaths and serious injuries", request: request, context: context)
    }

    func page(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, _ investigation: Investigation, errors: FieldErrors,
              typed: FormInput?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let episode = try await records.store.episode(id: investigation.episodeId, organisationId: identity.organisation.id)?.episode
        let people = try await web.environment.users.list(organisationId: identity.organisation.id, scope: .all)
        let unit = try await web.environment.organisations.unit(id: investigation.unitId, organisationId: identity.organisation.id)
        let page = InvestigationPage(investigation, episode: episode, identity: identity, people: people, unitName: unit?.name ?? "",
                                     errors: errors, typed: typed, csrfToken: context.csrfToken, now: web.environment.clock.now())
        let flash = request.uri.queryParameters["done"] == "1" ? "The investigation has been updated." : nil
        return try await web.page("use-of-force/investigation", page, title: "Investigation of a death or serious injury", request: request,
                                  context: context, status: status, flash: flash)
    }
}

/// An investigation as the API returns it (nil fields are left out).
struct InvestigationJSON: Encodable {
    var id: String
    var episodeId: String
    var unitId: String
    var harm: String
    var status: String
    var nextStatuses: [String]
    var openedAt: Date
    var targetAt: Date
    var overdue: Bool
    var leadInvestigatorId: String?
    var guidance: String?
    var guidanceChecklist: [String]
    var findings: String?
    var learning: String?
    var notNeededReason: String?
    var concludedAt: Date?
    var concludedBy: String?
    var updatedAt: Date

    init(_ investigation: Investigation, now: Date) {
        id = investigation.id; episodeId = investigation.episodeId; unitId = investigation.unitId; harm = investigation.harm.rawValue
        status = investigation.status.rawValue; nextStatuses = investigation.status.next.map(\.rawValue)
        openedAt = investigation.openedAt; targetAt = investigation.targetAt; overdue = investigation.isOverdue(now: now)
        leadInvestigatorId = investigation.leadInvestigatorId; guidance = investigation.guidance; guidanceChecklist = investigation.checklist
        findings = investigation.findings; learning = investigation.learning; notNeededReason = investigation.notNeededReason
        concludedAt = investigation.concludedAt; concludedBy = investigation.concludedBy; updatedAt = investigation.updatedAt
    }
}
