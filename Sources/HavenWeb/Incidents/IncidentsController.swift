import Foundation
import HavenCore
import HavenData
import Hummingbird

/// Reporting an incident (six questions, one page) and finding reports: your own, and those of the units in
/// your remit. Opening a report is audited.
struct IncidentsController {
    let web: WebContext
    var store: IncidentStore { web.environment.incidents }

    func register(_ routes: Routes) {
        routes.add(.get, IncidentRoute.newIncident.path, .reportIncident) { request, context, identity in
            try await formPage(request, context, identity, form: nil, errors: .init())
        }
        routes.add(.post, IncidentRoute.newIncident.path, .reportIncident) { request, context, identity in
            let form = try await FormInput(request, context: context)
            let answers = IncidentInput.answers(form, timeZone: TimeZone(identifier: identity.organisation.timeZone) ?? .gmt)
            do {
                let units = try await web.environment.organisations.units(organisationId: identity.organisation.id)
                let report = try IncidentInput.report(answers, units: units, identity: identity, now: web.environment.clock.now())
                // The form's own token makes a double-tapped Send save once.
                let (saved, _) = try await web.environment.incidentCases.report(report, organisation: identity.organisation,
                                                                                idempotencyKey: form["submission"], origin: context.origin())
                return .redirect(to: IncidentRoute.incident(id: saved.id).path + "?done=1")
            } catch let errors as FieldErrors {
                return try await formPage(request, context, identity, form: form, errors: errors, status: .badRequest)
            }
        }
        routes.add(.get, "/incidents/{id}", .reportIncident) { request, context, identity in
            let report = try await visible(try context.parameter("id"), identity)
            try await AuditLog.record(web.environment.database, at: web.environment.clock.now(), origin: context.origin(),
                                      action: "incident.read", entity: "incident", entityId: report.id)
            return try await showPage(request, context, identity, report, errors: .init())
        }
    }

    static let savedMessages = ["case": "The case has been updated.", "message": "Your message has been sent.",
                                "action": "The actions have been updated.", "support": "The support record has been saved.",
                                "detail": "The detail has been saved.", "attachment": "The file has been attached."]

    /// The report with its case: what the reporter and the handler see, and the handler's forms.
    func showPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, _ report: IncidentReport, errors: FieldErrors,
                  typed: FormInput? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let units = try await unitNames(identity)
        let panel = try await casePanel(report, identity, errors: errors, typed: typed)
        let linked = try await useOfForceLinks(report, identity)
        let page = IncidentPage(
            row: row(report, units: units, identity: identity), description: report.description, perpetrator: report.perpetrator.displayName,
            reporterRole: report.reporterRole.displayName, usType: "Type \(report.perpetrator.usWorkplaceViolenceType)",
            reported: report.anonymous ? "Anonymously, " + DisplayDate.dateTime(report.reportedAt, identity.organisation)
                : DisplayDate.dateTime(report.reportedAt, identity.organisation),
            justReported: request.uri.queryParameters["done"] == "1", errors: .init(errors), csrfToken: context.csrfToken,
            id: report.id, panel: panel,
            canAddDetail: IncidentAccess.canAddTo(report, identity.actor),
            detail: Self.detailLines(report.detail),
            harassment: try await harassmentPanel(report, identity, errors: errors, typed: typed),
            confidential: report.confidential,
            attachments: try await store.attachments(incidentId: report.id, organisationId: report.organisationId).map { attachment in
                IncidentPage.AttachmentRow(name: attachment.name, href: "/incidents/\(report.id)/attachments/\(attachment.id)",
                                           size: attachment.size >= 1_048_576 ? "\(attachment.size / 1_048_576) MB" : "\(max(1, attachment.size / 1024)) KB")
            },
            fileError: errors["file"],
            useOfForce: linked, hasUseOfForce: !linked.isEmpty,
            recordUseOfForceHref: !report.confidential && Access.allows(identity.actor, .recordUseOfForce, unitId: report.unitId)
                ? UseOfForceRoute.new.path + "?incidentId=" + report.id : nil)
        let flash = request.uri.queryParameters["saved"].flatMap { Self.savedMessages[String($0)] }
        return try await web.page("incidents/show", page, title: "Incident report", request: request, context: context, status: status, flash: flash)
    }

    /// The use-of-force records made for this incident, as links (the reader sees only those they may open).
    func useOfForceLinks(_ report: IncidentReport, _ identity: Identity) async throws -> [IncidentPage.Link] {
        let linked = try await web.environment.useOfForce.store.episodes(organisationId: report.organisationId,
                                                                         .init(incidentId: report.id, limit: 20)).items
        return linked.filter { UseOfForceAccess.canView(unitId: $0.episode.unitId, recordedBy: $0.episode.recordedBy, identity.actor) }.map {
            IncidentPage.Link(href: UseOfForceRoute.episode($0.episode.id).path,
                              text: DisplayDate.dateTime($0.episode.startedAt, identity.organisation) + ": "
                                  + $0.episode.interventions.map(\.type.label).joined(separator: ", "))
        }
    }

    /// The detail recorded so far, as label and value, leaving out what is empty.
    static func detailLines(_ detail: IncidentDetail) -> [IncidentPage.Line] {
        let lines: [(String, String)] = [
            ("What was going on", detail.circumstances.map(\.displayName).joined(separator: ", ")),
            ("Kind of violence", detail.characteristics.map(\.displayName).joined(separator: ", ")),
            ("What may have led to it", detail.contributingFactors.map(\.displayName).joined(separator: ", ")),
            ("Injuries", detail.injuries), ("Parts of the body", detail.bodyParts.map(\.displayName).joined(separator: ", ")),
            ("Days off work", detail.absenceDays.map(String.init) ?? ""), ("Weapon", detail.weapon), ("Witnesses", detail.witnesses),
            ("Patient identifier", detail.patientIdentifier), ("Actions taken at the time", detail.actionsTaken),
            ("Police", detail.police.attended ? "Attended" + (detail.police.crimeReference.isEmpty ? "" : ", crime reference " + detail.police.crimeReference)
                + (detail.police.outcome.isEmpty ? "" : ". " + detail.police.outcome) : ""),
            ("Sanctions", detail.sanctions.map { $0.kind.displayName + ($0.reviewOn.isEmpty ? "" : " (review " + $0.reviewOn + ")") }.joined(separator: "; ")),
            ("Regulator reference", detail.regulatorReference + (detail.regulatorReportedOn.isEmpty ? "" : ", reported " + detail.regulatorReportedOn)),
            ("Completed by", [detail.completedByName, detail.completedByJobTitle, detail.completedOn].filter { !$0.isEmpty }.joined(separator: ", ")),
        ]
        return lines.filter { !$0.1.isEmpty }.map { IncidentPage.Line(label: $0.0, value: $0.1) }
    }

    /// HR's form for a confidential case; nil for everyone else.
    func harassmentPanel(_ report: IncidentReport, _ identity: Identity, errors: FieldErrors, typed: FormInput?) async throws -> HarassmentPanel? {
        guard report.confidential, Access.allows(identity.actor, .handleHarassmentCases),
              let found = try await store.harassmentCase(incidentId: report.id, organisationId: report.organisationId) else { return nil }
        let people = try await web.environment.users.list(organisationId: identity.organisation.id, scope: .all).filter(\.active)
        func choices(_ chosen: String?) -> [Choice] { people.map { Choice(value: $0.id, label: $0.name, selected: $0.id == chosen) } }
        return HarassmentPanel(
            stages: HarassmentCase.Stage.allCases.map { Choice(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == (typed?["stage"] ?? found.stage.rawValue)) },
            trustedPeople: choices(typed?["trustedPersonId"] ?? found.trustedPersonId), subjects: choices(typed?["subjectId"] ?? found.subjectId),
            investigators: choices(typed?["investigatorId"] ?? found.investigatorId), investigatorError: errors["investigatorId"],
            investigationDue: found.investigationDueOn, measures: typed?["measures"] ?? found.measures, support: typed?["support"] ?? found.support,
            retaliationDue: found.retaliationCheckDueOn, retaliationChecked: found.retaliationCheckedAt != nil,
            retaliationNote: typed?["retaliationNote"] ?? found.retaliationNote)
    }

    func casePanel(_ report: IncidentReport, _ identity: Identity, errors: FieldErrors, typed: FormInput?) async throws -> CasePanel {
        let organisation = identity.organisation
        let handles = IncidentAccess.canHandle(report, identity.actor)
        let people = try await web.environment.users.list(organisationId: organisation.id, scope: .all)
        let names = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0.name) })
        let timeline = try await store.timeline(incidentId: report.id, organisationId: organisation.id)
        let actions = try await store.actions(incidentId: report.id, organisationId: organisation.id)
        let support = handles ? try await store.support(incidentId: report.id, organisationId: organisation.id) : []
        let now = web.environment.clock.now()
        let today = CalendarColumns(now, timeZone: TimeZone(identifier: organisation.timeZone) ?? .gmt).localDate
        let handlers = people.filter { $0.active && IncidentAccess.canHandle(report, $0.actor) }
        let owners = people.filter { $0.active && ($0.unitIds.contains(report.unitId) || IncidentAccess.canHandle(report, $0.actor)) }
        return CasePanel(
            status: report.status.displayName, handler: report.handlerId.flatMap { names[$0] } ?? "Not yet taken",
            reviewDue: report.status == .reported ? report.reviewDueAt.map { DisplayDate.dateTime($0, organisation) } : nil,
            outcome: report.outcome.isEmpty ? nil : report.outcome, lessons: report.lessons.isEmpty ? nil : report.lessons,
            entries: timeline.map { entry in
                CasePanel.Entry(who: entry.kind == .status ? "Status" : entry.fromReporter ? (report.anonymous ? "The reporter" : names[entry.authorId ?? ""] ?? "The reporter")
                                    : names[entry.authorId ?? ""] ?? "Handler",
                                body: entry.body, when: DisplayDate.dateTime(entry.createdAt, organisation), isStatus: entry.kind == .status)
            },
            canMessage: handles || report.reporterId == identity.user.id, messageError: errors["body"],
            handles: handles,
            nextStatuses: report.status.next.map { Choice(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == typed?["status"]) },
            statusError: errors["status"],
            handlers: handlers.map { Choice(value: $0.id, label: $0.name, selected: $0.id == (typed?["handlerId"] ?? report.handlerId)) },
            handlerError: errors["handlerId"],
            outcomeText: typed?["outcome"] ?? report.outcome, outcomeError: errors["outcome"], lessonsText: typed?["lessons"] ?? report.lessons,
            actions: actions.map { action in
                CasePanel.ActionRow(description: action.description, owner: action.ownerId.flatMap { names[$0] } ?? "No owner",
                                    due: action.dueOn ?? "No date", done: action.doneAt != nil,
                                    overdue: action.doneAt == nil && (action.dueOn.map { $0 < today } ?? false),
                                    formAction: "/incidents/\(report.id)/actions/\(action.id)")
            },
            hasActions: !actions.isEmpty,
            owners: owners.map { Choice(value: $0.id, label: $0.name, selected: $0.id == typed?["ownerId"]) },
            actionDescription: FormField("description", "New action", value: typed?["description"] ?? "", required: false, errors: errors),
            actionDue: FormField("dueOn", "Due by", value: typed?["dueOn"] ?? "", type: "date", required: false, errors: errors),
            ownerError: errors["ownerId"],
            support: support.map { item in
                CasePanel.SupportRow(key: item.id, kind: item.kind.displayName, due: DisplayDate.dateTime(item.dueAt, organisation),
                                     outcome: item.outcome?.displayName ?? "", note: item.note.isEmpty ? nil : item.note, open: item.doneAt == nil,
                                     overdue: item.doneAt == nil && item.dueAt < now, formAction: "/incidents/\(report.id)/support/\(item.id)")
            },
            supportOutcomes: SupportOutcome.allCases.map { Choice(value: $0.rawValue, label: $0.displayName, selected: false) },
            supportError: errors["note"])
    }

    /// A report the person may see: their own, or one in their remit. Anything else is "not found".
    func visible(_ id: String, _ identity: Identity) async throws -> IncidentReport {
        guard let report = try await store.find(id: id, organisationId: identity.organisation.id),
              IncidentAccess.canView(report, identity.actor) else {
            throw PageError.notFound
        }
        return report
    }

    /// The report of the route's `{id}` for the API: one the person may not see is "no such incident" (404).
    func visibleForAPI(_ context: HavenRequestContext, _ identity: Identity) async throws -> IncidentReport {
        do { return try await visible(try context.parameter("id"), identity) } catch PageError.notFound { throw APIError.notFound("incident") }
    }

    /// The report of the route's `{id}` for adding detail or attachments: its reporter, or someone who handles it.
    func editable(_ context: HavenRequestContext, _ identity: Identity) async throws -> IncidentReport {
        let report = try await visible(try context.parameter("id"), identity)
        guard IncidentAccess.canAddTo(report, identity.actor) else { throw PageError.forbidden }
        return report
    }

    func unitNames(_ identity: Identity) async throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try await web.environment.organisations.units(organisationId: identity.organisation.id).map { ($0.id, $0.name) })
    }

    func row(_ report: IncidentReport, units: [String: String], identity: Identity) -> IncidentsPage.Row {
        IncidentsPage.Row(href: IncidentRoute.incident(id: report.id).path, type: report.type.displayName,
                          occurred: DisplayDate.dateTime(report.occurredAt, identity.organisation), unit: units[report.unitId] ?? "",
                          area: report.area, harm: report.harm.displayName, status: report.status.rawValue.replacingOccurrences(of: "-", with: " "),
                          mine: report.reporterId == identity.user.id)
    }

    func formPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, form: FormInput?, errors: FieldErrors,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        try await formPage(request, context, organisationId: identity.organisation.id, ownUnits: identity.user.unitIds, action: IncidentRoute.newIncident.path,
                           form: form, errors: errors, status: status)
    }

    /// The six-question form; also used, with no own units, for reports made without signing in.
    func formPage(_ request: Request, _ context: HavenRequestContext, organisationId: String, ownUnits: Set<String>, action: String,
                  anonymous: Bool = false, form: FormInput?, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let units = try await web.environment.organisations.units(organisationId: organisationId)
        // The person's own unit first and chosen, so most reports need no change there.
        let chosenUnit = form?["unitId"] ?? units.first { ownUnits.contains($0.id) }?.id ?? ""
        let ordered = units.filter { ownUnits.contains($0.id) } + units.filter { !ownUnits.contains($0.id) }
        let page = NewIncidentPage(
            action: action, anonymous: anonymous,
            errors: .init(errors), csrfToken: context.csrfToken, submission: form?["submission"] ?? Identifier.make(),
            types: IncidentType.allCases.map { Choice(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == form?["type"]) }, typeError: errors["type"],
            date: FormField("date", "Date", value: form?["date"] ?? "", hint: "Leave blank if it was just now", type: "date", required: false, errors: errors),
            time: FormField("time", "Time", value: form?["time"] ?? "", hint: "For example 21:30", type: "time", required: false, errors: errors),
            timeError: errors["occurredAt"],
            units: ordered.map { Choice(value: $0.id, label: $0.name, selected: $0.id == chosenUnit) }, unitError: errors["unitId"],
            area: FormField("area", "Where exactly", value: form?["area"] ?? "", hint: "For example: day room, corridor, the patient's home", errors: errors),
            perpetrators: Perpetrator.allCases.map { Choice(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == form?["perpetrator"]) }, perpetratorError: errors["perpetrator"],
            harms: Harm.allCases.map { Choice(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == form?["harm"]) }, harmError: errors["harm"],
            description: form?["description"] ?? "", descriptionError: errors["description"],
            roles: ReporterRole.allCases.map { Choice(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == (form?["reporterRole"] ?? ReporterRole.harmed.rawValue)) })
        return try await web.page("incidents/new", page, title: "Report an incident", request: request, context: context, status: status)
    }
}

struct NewIncidentPage: Sendable {
    var action: String
    var anonymous: Bool
    var errors: ErrorSummary
    var csrfToken: String
    var submission: String
    var types: [Choice]
    var typeError: String?
    var date: FormField
    var time: FormField
    var timeError: String?
    var units: [Choice]
    var unitError: String?
    var area: FormField
    var perpetrators: [Choice]
    var perpetratorError: String?
    var harms: [Choice]
    var harmError: String?
    var description: String
    var descriptionError: String?
    var roles: [Choice]
}

struct IncidentPage: Sendable {
    var row: IncidentsPage.Row
    var description: String
    var perpetrator: String
    var reporterRole: String
    var usType: String
    var reported: String
    var justReported: Bool
    var errors: ErrorSummary
    var csrfToken: String
    var id: String
    var panel: CasePanel
    var canAddDetail: Bool
    var detail: [IncidentPage.Line]
    var harassment: HarassmentPanel?
    var confidential: Bool
    var attachments: [AttachmentRow]
    var fileError: String?
    /// Use-of-force records linked to this report that the reader may open.
    var useOfForce: [Link]
    var hasUseOfForce: Bool
    var recordUseOfForceHref: String?

    struct AttachmentRow: Sendable {
        var name: String
        var href: String
        var size: String
    }

    struct Link: Sendable {
        var href: String
        var text: String
    }
    struct Line: Sendable {
        var label: String
        var value: String
    }
}
