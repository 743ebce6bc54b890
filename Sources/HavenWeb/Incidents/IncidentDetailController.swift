import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// "Add detail" (REFERENCE §15 A 1–10): everything beyond the six first answers, on one page the reporter or the
/// handler fills in when there is time. All of it is optional.
struct IncidentDetailController {
    let web: WebContext
    var pages: IncidentsController { IncidentsController(web: web) }

    func register(_ routes: Routes) {
        routes.add(.get, "/incidents/{id}/detail", .reportIncident) { request, context, identity in
            let report = try await pages.editable(context, identity)
            return try await page(request, context, identity, report, detail: report.detail, typed: nil, errors: .init())
        }
        routes.add(.post, "/incidents/{id}/detail", .reportIncident) { request, context, identity in
            let report = try await pages.editable(context, identity)
            let form = try await FormInput(request, context: context)
            let (detail, problems) = Self.read(form, onto: report.detail)
            var errors = problems
            // The new sanction is the last in the list; its problems belong beside its own boxes.
            for item in detail.problems().items {
                let field = item.field.hasPrefix("sanctions[") ? (item.field.hasSuffix(".reviewOn") ? "sanctionReviewOn" : "sanctionNote") : item.field
                errors.add(field, item.message)
            }
            guard errors.isEmpty else {
                return try await page(request, context, identity, report, detail: detail, typed: form, errors: errors, status: .badRequest)
            }
            _ = try await web.environment.incidentCases.change(report, .init(detail: detail), by: identity.actor, origin: context.origin())
            return .redirect(to: "/incidents/\(report.id)?saved=detail")
        }
    }

    /// The form's answers as detail. Checkbox groups are read whole (an unticked box sends nothing).
    static func read(_ form: FormInput, onto current: IncidentDetail) -> (IncidentDetail, FieldErrors) {
        var detail = current
        var errors = FieldErrors()
        detail.circumstances = form.all("circumstances").compactMap(Circumstance.init(rawValue:))
        detail.characteristics = form.all("characteristics").compactMap(Characteristic.init(rawValue:))
        detail.contributingFactors = form.all("contributingFactors").compactMap(ContributingFactor.init(rawValue:))
        detail.bodyParts = form.all("bodyParts").compactMap(BodyPart.init(rawValue:))
        func text(_ name: String) -> String { (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        detail.injuries = text("injuries")
        detail.weapon = text("weapon")
        detail.witnesses = text("witnesses")
        detail.patientIdentifier = text("patientIdentifier")
        detail.actionsTaken = text("actionsTaken")
        detail.police = .init(attended: form["policeAttended"] == "yes", crimeReference: text("police.crimeReference"), outcome: text("police.outcome"))
        detail.completedByName = text("completedByName")
        detail.completedByJobTitle = text("completedByJobTitle")
        detail.completedOn = text("completedOn")
        detail.regulatorReference = text("regulatorReference")
        detail.regulatorReportedOn = text("regulatorReportedOn")
        let absence = text("absenceDays")
        if absence.isEmpty { detail.absenceDays = nil }
        else if let days = Int(absence) { detail.absenceDays = days }
        else { errors.add("absenceDays", "Enter the days off work as a whole number, like 3") }
        let sanction = text("sanctionKind")
        if !sanction.isEmpty {
            if let kind = SanctionKind(rawValue: sanction) {
                detail.sanctions.append(.init(kind: kind, note: text("sanctionNote"), reviewOn: text("sanctionReviewOn")))
            } else {
                errors.add("sanctionKind", "Choose a kind of sanction")
            }
        }
        return (detail, errors)
    }

    func page(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, _ report: IncidentReport, detail: IncidentDetail,
              typed: FormInput?, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        func field(_ name: String, _ label: String, _ value: String, hint: String? = nil, type: String = "text") -> FormField {
            FormField(name, label, value: typed?[name] ?? value, hint: hint, type: type, required: false, errors: errors)
        }
        func ticks<T: RawRepresentable & CaseIterable & Equatable>(_ all: T.AllCases, _ chosen: [T], _ label: (T) -> String) -> [Choice] where T.RawValue == String {
            all.map { Choice(value: $0.rawValue, label: label($0), selected: chosen.contains($0)) }
        }
        let model = DetailPage(
            id: report.id, errors: .init(errors), csrfToken: context.csrfToken,
            circumstances: ticks(Circumstance.allCases, detail.circumstances) { $0.displayName },
            characteristics: ticks(Characteristic.allCases, detail.characteristics) { $0.displayName },
            contributingFactors: ticks(ContributingFactor.allCases, detail.contributingFactors) { $0.displayName },
            bodyParts: ticks(BodyPart.allCases, detail.bodyParts) { $0.displayName },
            injuries: field("injuries", "Injuries", detail.injuries),
            weapon: field("weapon", "Weapon or object used", detail.weapon),
            witnesses: field("witnesses", "Witnesses", detail.witnesses, hint: "Names or roles of people who saw it"),
            patientIdentifier: field("patientIdentifier", "Patient or service user (local identifier)", detail.patientIdentifier,
                                     hint: "The identifier your service uses, never a name"),
            actionsTaken: field("actionsTaken", "What was done at the time to keep people safe", detail.actionsTaken),
            policeAttended: detail.police.attended,
            crimeReference: field("police.crimeReference", "Crime reference", detail.police.crimeReference),
            policeOutcome: field("police.outcome", "Police outcome", detail.police.outcome),
            sanctions: detail.sanctions.map { "\($0.kind.displayName)\($0.note.isEmpty ? "" : ": " + $0.note)\($0.reviewOn.isEmpty ? "" : ", review on " + $0.reviewOn)" },
            sanctionKinds: SanctionKind.allCases.map { Choice(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == typed?["sanctionKind"]) },
            sanctionKindError: errors["sanctionKind"],
            sanctionNote: field("sanctionNote", "Sanction details", ""),
            sanctionReviewOn: field("sanctionReviewOn", "Review the sanction on", "", type: "date"),
            absenceDays: field("absenceDays", "Days unable to do normal work after the day it happened",
                               detail.absenceDays.map(String.init) ?? "", hint: "Counts for RIDDOR: more than 7 days must be reported", type: "number"),
            regulatorReference: field("regulatorReference", "HSE or Cal/OSHA reference, once reported", detail.regulatorReference),
            regulatorReportedOn: field("regulatorReportedOn", "Reported to the regulator on", detail.regulatorReportedOn, type: "date"),
            completedByName: field("completedByName", "Completed by (name)", detail.completedByName.isEmpty ? identity.user.name : detail.completedByName),
            completedByJobTitle: field("completedByJobTitle", "Job title", detail.completedByJobTitle.isEmpty ? identity.user.jobTitle : detail.completedByJobTitle),
            completedOn: field("completedOn", "Date", detail.completedOn.isEmpty
                               ? CalendarColumns(web.environment.clock.now(), timeZone: TimeZone(identifier: identity.organisation.timeZone) ?? .gmt).localDate
                               : detail.completedOn, type: "date"))
        return try await web.page("incidents/detail", model, title: "Add detail", request: request, context: context, status: status)
    }
}

struct DetailPage: Sendable {
    var id: String
    var errors: ErrorSummary
    var csrfToken: String
    var circumstances: [Choice]
    var characteristics: [Choice]
    var contributingFactors: [Choice]
    var bodyParts: [Choice]
    var injuries: FormField
    var weapon: FormField
    var witnesses: FormField
    var patientIdentifier: FormField
    var actionsTaken: FormField
    var policeAttended: Bool
    var crimeReference: FormField
    var policeOutcome: FormField
    var sanctions: [String]
    var sanctionKinds: [Choice]
    var sanctionKindError: String?
    var sanctionNote: FormField
    var sanctionReviewOn: FormField
    var absenceDays: FormField
    var regulatorReference: FormField
    var regulatorReportedOn: FormField
    var completedByName: FormField
    var completedByJobTitle: FormField
    var completedOn: FormField
}
