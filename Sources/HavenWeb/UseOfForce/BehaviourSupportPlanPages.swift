import Foundation
import HavenCore
import HavenData
import Hummingbird

extension BehaviourSupportPlans {
    struct ListPage: Sendable {
        struct Needed: Sendable { var patient: String; var unit: String; var interventions: Int; var href: String? }
        struct Row: Sendable { var href: String; var patient: String; var unit: String; var title: String; var reviewOn: String; var status: String }
        var needed: [Needed]
        var hasNeeded: Bool
        var rows: [Row]
        var hasRows: Bool
        var canWrite: Bool
        var newHref: String
        var window: String
    }

    func listPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity) async throws -> Response {
        let units = Dictionary(uniqueKeysWithValues: try await web.environment.organisations.units(organisationId: identity.organisation.id).map { ($0.id, $0.name) })
        let today = CalendarColumns(web.environment.clock.now(), timeZone: TimeZone(identifier: identity.organisation.timeZone) ?? .gmt).localDate
        let plans = try await store.plans(organisationId: identity.organisation.id, unitIds: Self.units(identity.actor, .viewUseOfForce), limit: 500).items
        let needed = try await needed(identity).map { patient in
            ListPage.Needed(patient: patient.patientLocalId, unit: units[patient.unitId] ?? "", interventions: patient.interventions,
                            href: Access.allows(identity.actor, .manageBehaviourSupportPlans, unitId: patient.unitId)
                                ? Self.pages + "/new?patientLocalId=\(IncidentListController.encode(patient.patientLocalId))&unitId=\(patient.unitId)" : nil)
        }
        let page = ListPage(
            needed: needed, hasNeeded: !needed.isEmpty,
            rows: plans.map { plan in
                ListPage.Row(href: Self.pages + "/" + plan.id, patient: plan.patientLocalId, unit: units[plan.unitId] ?? "", title: plan.title,
                             reviewOn: plan.reviewOn,
                             status: !plan.isCurrent(on: today) ? (plan.startsOn > today ? "Not started" : "Ended")
                                 : plan.reviewIsOverdue(on: today) ? "Review overdue" : "Current")
            },
            hasRows: !plans.isEmpty, canWrite: Access.allows(identity.actor, .manageBehaviourSupportPlans), newHref: Self.pages + "/new",
            window: "\(UseOfForceRules.repeatedInterventions) or more restrictive interventions in the last \(UseOfForceRules.repeatedWindowDays) days")
        return try await web.page("use-of-force/plans", page, title: "Behaviour support plans", request: request, context: context)
    }

    struct FormPage: Sendable {
        var title: String
        var action: String
        var errors: ErrorSummary
        var csrfToken: String
        var canWrite: Bool
        var units: [Choice]
        var unitError: String?
        var fields: [FormField]
        var summary: String
        var summaryError: String?
        var saved: Bool
    }

    func formPage(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, values: [String: String], errors: FieldErrors,
                  plan: BehaviourSupportPlan?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = Access.scope(of: identity.actor, for: .manageBehaviourSupportPlans)
        let units = try await web.environment.organisations.units(organisationId: identity.organisation.id)
            .filter { scope.contains($0.id) || $0.id == values["unitId"] }
        let canWrite = plan.map { Access.allows(identity.actor, .manageBehaviourSupportPlans, unitId: $0.unitId) } ?? true
        let page = FormPage(
            title: plan == nil ? "Write a behaviour support plan" : "Behaviour support plan", action: plan.map { Self.pages + "/" + $0.id } ?? Self.pages + "/new",
            errors: ErrorSummary(errors), csrfToken: context.csrfToken, canWrite: canWrite,
            units: [Choice(value: "", label: "Choose a unit", selected: (values["unitId"] ?? "").isEmpty)]
                + units.map { Choice(value: $0.id, label: $0.name, selected: $0.id == values["unitId"]) },
            unitError: errors["unitId"],
            fields: [
                FormField("patientLocalId", "Patient's local identifier", value: values["patientLocalId"] ?? "", errors: errors),
                FormField("title", "Title", value: values["title"] ?? "", hint: "For example: PBS plan after admission review", errors: errors),
                FormField("startsOn", "Starts on", value: values["startsOn"] ?? "", type: "date", errors: errors),
                FormField("reviewOn", "Next review on", value: values["reviewOn"] ?? "", hint: "At least once a year", type: "date", errors: errors),
                FormField("endedOn", "Ended on", value: values["endedOn"] ?? "", hint: "Only when the plan no longer applies", type: "date",
                          required: false, errors: errors),
            ],
            summary: values["summary"] ?? "", summaryError: errors["summary"], saved: request.uri.queryParameters["saved"] == "1")
        return try await web.page("use-of-force/plan", page, title: page.title, request: request, context: context, status: status,
                                  flash: page.saved ? "The plan has been saved." : nil)
    }
}
