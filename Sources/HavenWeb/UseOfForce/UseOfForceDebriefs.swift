import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// Debriefs (API and the record page's forms) and the organisation's debrief targets.
struct UseOfForceDebriefs {
    let web: WebContext
    var records: UseOfForceRecords { web.environment.useOfForce }
    static let settingsPath = "/use-of-force/settings"

    func register(_ routes: Routes) {
        routes.add(.get, UseOfForceAPI.base + "/{id}/debriefs", .accessUseOfForce, api: true) { _, context, identity in
            let stored = try await UseOfForceAPI(web: web).visible(context, identity)
            let items = try await records.debriefs.debriefs(episodeId: stored.episode.id, organisationId: identity.organisation.id)
            return try jsonResponse(["items": items.map(DebriefJSON.init)])
        }
        routes.add(.put, UseOfForceAPI.base + "/{id}/debriefs/{kind}", .recordUseOfForce, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            let (heldAt, problem) = IncidentInput.apiTime(input.string("heldAt", required: true), field: "heldAt")
            let attendees = input.string("attendees"), notes = input.string("notes"), account = input.string("patientAccount")
            let declined = input.bool("patientDeclined") ?? false
            if let problem { input.absorb(FieldErrors("heldAt", problem)) }
            try input.finish()
            guard let kind = DebriefKind(rawValue: try context.parameter("kind")) else { throw APIError.notFound("debrief") }
            let debrief = try await UseOfForceAPI.answering {
                try await records.completeDebrief(episodeId: try context.parameter("id"), kind: kind, by: identity.user, heldAt: heldAt,
                                                  attendees: attendees, notes: notes, patientAccount: account, patientDeclined: declined,
                                                  origin: context.origin())
            }
            return try jsonResponse(DebriefJSON(debrief))
        }
        routes.add(.post, "/use-of-force/{id}/debriefs/{kind}", .recordUseOfForce) { request, context, identity in
            let controller = UseOfForceController(web: web)
            let stored = try await controller.visible(context, identity)
            guard let kind = DebriefKind(rawValue: try context.parameter("kind")) else { throw PageError.notFound }
            let form = try await FormInput(request, context: context)
            let timeZone = controller.timeZone(identity)
            let (heldAt, problem) = IncidentInput.formTime(date: form["heldDate"], time: form["heldTime"], timeZone: timeZone)
            do {
                if let problem { throw FieldErrors("heldAt", problem) }
                _ = try await records.completeDebrief(episodeId: stored.episode.id, kind: kind, by: identity.user, heldAt: heldAt,
                                                      attendees: form["attendees"], notes: form["notes"], patientAccount: form["patientAccount"],
                                                      patientDeclined: form["patientDeclined"] != nil, origin: context.origin())
                return .redirect(to: UseOfForceRoute.episode(stored.episode.id).path + "?done=debrief")
            } catch {
                let (errors, status) = try UseOfForceController.formErrors(error, merging: .init(), field: "notes")
                return try await controller.showPage(request, context, identity, stored, errors: errors.prefixed(kind.rawValue + "-"),
                                                     typedNote: nil, typedDebrief: (kind, form), status: status)
            }
        }
        routes.add(.get, UseOfForceAPI.base + "/settings", .accessUseOfForce, api: true) { _, _, identity in
            try jsonResponse(try await records.debriefs.settings(organisationId: identity.organisation.id))
        }
        routes.add(.put, UseOfForceAPI.base + "/settings", .manageUseOfForceSettings, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            var settings = try await records.debriefs.settings(organisationId: identity.organisation.id)
            if let hours = input.int("staffDebriefHours", range: Int.min / 2...Int.max / 2) { settings.staffDebriefHours = hours }
            if let hours = input.int("patientDebriefHours", range: Int.min / 2...Int.max / 2) { settings.patientDebriefHours = hours }
            if let threshold = input.int("suppressionThreshold", range: Int.min / 2...Int.max / 2) { settings.suppressionThreshold = threshold }
            if let days = input.int("investigationTargetDays", range: Int.min / 2...Int.max / 2) { settings.investigationTargetDays = days }
            if let fields = input.object("negligible") {
                var policy = JSONInput(object: fields, prefix: "negligible.")
                if let types = policy.strings("types") { settings.negligible.types = types }
                if let seconds = policy.int("maximumSeconds", range: Int.min / 2...Int.max / 2) { settings.negligible.maximumSeconds = seconds }
                if let definition = policy.string("definition") { settings.negligible.definition = definition }
                input.absorb(policy.problems())
            }
            try input.finish()
            try settings.problems().throwIfAny()
            try await records.debriefs.save(settings, organisationId: identity.organisation.id, origin: context.origin())
            return try jsonResponse(settings)
        }
        routes.add(.get, Self.settingsPath, .manageUseOfForceSettings) { request, context, identity in
            let settings = try await records.debriefs.settings(organisationId: identity.organisation.id)
            return try await settingsPage(request, context, values: ["staffDebriefHours": String(settings.staffDebriefHours),
                                                                     "patientDebriefHours": String(settings.patientDebriefHours),
                                                                     "negligibleTypes": settings.negligible.types.joined(separator: " "),
                                                                     "negligibleMaximumSeconds": String(settings.negligible.maximumSeconds),
                                                                     "negligibleDefinition": settings.negligible.definition,
                                                                     "suppressionThreshold": String(settings.suppressionThreshold),
                                                                     "investigationTargetDays": String(settings.investigationTargetDays)], errors: .init())
        }
        routes.add(.post, Self.settingsPath, .manageUseOfForceSettings) { request, context, identity in
            let form = try await FormInput(request, context: context)
            var errors = FieldErrors()
            let staff = Int(form["staffDebriefHours"] ?? ""), patient = Int(form["patientDebriefHours"] ?? "")
            let seconds = Int(form["negligibleMaximumSeconds"] ?? "0")
            let threshold = Int(form["suppressionThreshold"] ?? "")
            let days = Int(form["investigationTargetDays"] ?? "")
            if staff == nil { errors.add("staffDebriefHours", "Enter a whole number of hours") }
            if patient == nil { errors.add("patientDebriefHours", "Enter a whole number of hours") }
            if seconds == nil { errors.add("negligibleMaximumSeconds", "Enter a whole number of seconds") }
            if threshold == nil { errors.add("suppressionThreshold", "Enter a whole number") }
            if days == nil { errors.add("investigationTargetDays", "Enter a whole number of days") }
            let settings = UseOfForceSettings(staffDebriefHours: staff ?? 0, patientDebriefHours: patient ?? 0,
                                              negligible: NegligibleForcePolicy(types: form.all("negligibleTypes"), maximumSeconds: seconds ?? 0,
                                                                                definition: form["negligibleDefinition"] ?? ""),
                                              suppressionThreshold: threshold ?? 0, investigationTargetDays: days ?? 0)
            if errors.isEmpty { errors.merge(settings.problems()) }
            guard errors.isEmpty else {
                var values = Dictionary(uniqueKeysWithValues: ["staffDebriefHours", "patientDebriefHours", "negligibleMaximumSeconds", "negligibleDefinition",
                                                                   "suppressionThreshold", "investigationTargetDays"]
                    .map { ($0, form[$0] ?? "") })
                values["negligibleTypes"] = form.all("negligibleTypes").joined(separator: " ")
                return try await settingsPage(request, context, values: values, errors: errors, status: .badRequest)
            }
            try await records.debriefs.save(settings, organisationId: identity.organisation.id, origin: context.origin())
            return .redirect(to: Self.settingsPath + "?saved=1")
        }
    }

    func settingsPage(_ request: Request, _ context: HavenRequestContext, values: [String: String], errors: FieldErrors,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        struct Page: Sendable {
            var errors: ErrorSummary; var csrfToken: String; var staff: FormField; var patient: FormField
            var types: [Choice]; var typesError: String?; var seconds: FormField; var definition: String; var definitionError: String?
            var threshold: FormField; var investigationDays: FormField
        }
        let chosen = Set((values["negligibleTypes"] ?? "").split(separator: " ").map(String.init))
        let page = Page(errors: ErrorSummary(errors), csrfToken: context.csrfToken,
                        staff: FormField("staffDebriefHours", "Staff debrief due within (hours)", value: values["staffDebriefHours"] ?? "",
                                         hint: "After the use of force ends. Good practice: 3 hours.", type: "number", errors: errors),
                        patient: FormField("patientDebriefHours", "Patient debrief due within (hours)", value: values["patientDebriefHours"] ?? "",
                                           hint: "Good practice: the formal debrief within 7 days (168 hours).", type: "number", errors: errors),
                        types: NegligibleForcePolicy.eligible.map { Choice(value: $0.code, label: "\($0.code) \($0.label)", selected: chosen.contains($0.code)) },
                        typesError: errors["negligibleTypes"],
                        seconds: FormField("negligibleMaximumSeconds", "Longest a negligible hold may last (seconds)",
                                           value: values["negligibleMaximumSeconds"] ?? "0", hint: "Up to 600", type: "number", errors: errors),
                        definition: values["negligibleDefinition"] ?? "", definitionError: errors["negligibleDefinition"],
                        threshold: FormField("suppressionThreshold", "Suppress counts from 1 to", value: values["suppressionThreshold"] ?? "",
                                             hint: "A number from \(SmallNumbers.allowedThresholds.lowerBound) to \(SmallNumbers.allowedThresholds.upperBound). NHS England's publications suppress 1 to 7.",
                                             type: "number", errors: errors),
                        investigationDays: FormField("investigationTargetDays", "Investigations of a death or serious injury: target to conclude (days)",
                                                     value: values["investigationTargetDays"] ?? "",
                                                     hint: "Our target from when the investigation opens, from \(UseOfForceSettings.allowedInvestigationDays.lowerBound) to \(UseOfForceSettings.allowedInvestigationDays.upperBound) days; not a legal deadline. Haven's default is \(UseOfForceSettings.defaultInvestigationTargetDays).",
                                                     type: "number", errors: errors))
        let flash = request.uri.queryParameters["saved"] == "1" ? "The settings have been saved." : nil
        return try await web.page("use-of-force/settings", page, title: "Use-of-force settings", request: request, context: context,
                                  status: status, flash: flash)
    }
}

/// A debrief as the API returns it.
struct DebriefJSON: Encodable {
    var kind: String
    var dueAt: Date
    var heldAt: Date?
    var recordedBy: String?
    var attendees: String?
    var notes: String?
    var patientAccount: String?
    var patientDeclined: Bool

    init(_ debrief: Debrief) {
        kind = debrief.kind.rawValue; dueAt = debrief.dueAt; heldAt = debrief.heldAt; recordedBy = debrief.recordedBy
        attendees = debrief.attendees; notes = debrief.notes; patientAccount = debrief.patientAccount; patientDeclined = debrief.patientDeclined
    }
}
