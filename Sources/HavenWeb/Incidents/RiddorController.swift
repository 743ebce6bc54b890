import Foundation
import HavenCore
import Hummingbird

enum IncidentRoute {
    case riddor
    case list
    case newIncident
    case incident(id: String)

    var path: String {
        switch self {
        case .riddor: "/riddor"
        case .list: "/incidents"
        case .newIncident: "/incidents/new"
        case .incident(let id): "/incidents/\(id)"
        }
    }
}

/// The RIDDOR decision helper, as a page and as `POST /api/v1/riddor/assessments`.
struct RiddorController {
    let web: WebContext

    func register(_ routes: Routes) {
        routes.add(.get, IncidentRoute.riddor.path, .assessRiddor) { request, context, identity in
            try await page(request, context, identity, form: nil, errors: .init(), assessment: nil)
        }
        routes.add(.post, IncidentRoute.riddor.path, .assessRiddor) { request, context, identity in
            let form = try await FormInput(request, context: context)
            do {
                let facts = try facts(
                    accidentDate: form["accidentDate"], injuredPerson: form["injuredPerson"], workRelated: form["workRelated"].map { $0 == "yes" },
                    death: form.has("death"), specifiedInjury: form.has("specifiedInjury"), incapacitationDays: form["incapacitationDays"],
                    takenToHospital: form.has("takenToHospital"), physicalInjury: form.has("physicalInjury"),
                    onHospitalPremises: form.has("onHospitalPremises"), organisation: identity.organisation)
                return try await page(request, context, identity, form: form, errors: .init(), assessment: Riddor.assess(facts))
            } catch let errors as FieldErrors {
                return try await page(request, context, identity, form: form, errors: errors, assessment: nil, status: .badRequest)
            }
        }
        routes.add(.post, "/api/v1/riddor/assessments", .assessRiddor, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            let accidentDate = input.string("accidentDate", required: true), injuredPerson = input.string("injuredPerson", required: true)
            let workRelated = input.bool("workRelated"), death = input.bool("death"), specified = input.bool("specifiedInjury")
            let days = input.int("incapacitationDays", range: Int.min...Int.max), hospital = input.bool("takenToHospital")
            let physical = input.bool("physicalInjury"), premises = input.bool("onHospitalPremises")
            for key in ["workRelated", "death", "specifiedInjury", "incapacitationDays", "takenToHospital", "physicalInjury"] where !input.has(key) {
                input.require(key)
            }
            try input.finish()
            let facts = try facts(accidentDate: accidentDate, injuredPerson: injuredPerson, workRelated: workRelated, death: death ?? false,
                                  specifiedInjury: specified ?? false, incapacitationDays: days.map(String.init) ?? "0",
                                  takenToHospital: hospital ?? false, physicalInjury: physical ?? false,
                                  onHospitalPremises: premises ?? false, organisation: identity.organisation)
            return try jsonResponse(RiddorAssessmentJSON(Riddor.assess(facts)))
        }
    }

    /// Checks the answers: a real date not in the future, a known kind of person, whole days of 0 or more.
    func facts(accidentDate: String?, injuredPerson: String?, workRelated: Bool?, death: Bool, specifiedInjury: Bool,
               incapacitationDays: String?, takenToHospital: Bool, physicalInjury: Bool, onHospitalPremises: Bool,
               organisation: Organisation) throws -> Riddor.Facts {
        var errors = FieldErrors()
        let today = CalendarDay(web.environment.clock.now(), in: TimeZone(identifier: organisation.timeZone) ?? .gmt)
        let date = CalendarDay(accidentDate ?? "")
        if date == nil { errors.add("accidentDate", "Enter the date of the incident as a real date, YYYY-MM-DD") }
        else if date! > today { errors.add("accidentDate", "The date of the incident cannot be in the future") }
        let person = Riddor.InjuredPerson(rawValue: injuredPerson ?? "")
        if person == nil { errors.add("injuredPerson", "Say whether the injured person was a worker or a non-worker") }
        if workRelated == nil { errors.add("workRelated", "Say whether the incident arose out of or in connection with work") }
        let daysText = (incapacitationDays ?? "").trimmingCharacters(in: .whitespaces)
        let days = daysText.isEmpty ? 0 : Int(daysText)
        if days == nil { errors.add("incapacitationDays", "Enter the days of incapacity as a whole number, like 8") }
        else if days! < 0 { errors.add("incapacitationDays", "Days of incapacity cannot be negative") }
        else if days! > 3660 { errors.add("incapacitationDays", "Days of incapacity must be 3,660 or fewer") }
        try errors.throwIfAny()
        return Riddor.Facts(accidentDate: date!, injuredPerson: person!, workRelated: workRelated!, death: death, specifiedInjury: specifiedInjury,
                            incapacitationDays: days!, takenToHospital: takenToHospital, physicalInjury: physicalInjury,
                            onHospitalPremises: onHospitalPremises)
    }

    func page(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, form: FormInput?, errors: FieldErrors,
              assessment: Riddor.Assessment?, status: HTTPResponse.Status = .ok) async throws -> Response {
        func checked(_ name: String) -> Bool { form?.has(name) ?? false }
        let person = form?["injuredPerson"] ?? ""
        let work = form?["workRelated"] ?? ""
        let model = RiddorPage(
            errors: .init(errors), csrfToken: context.csrfToken,
            accidentDate: FormField("accidentDate", "Date of the incident", value: form?["accidentDate"] ?? "", hint: "For example 2026-11-27",
                                    type: "date", errors: errors),
            workerChecked: person == "worker", nonWorkerChecked: person == "non-worker", personError: errors["injuredPerson"],
            workYes: work == "yes", workNo: work == "no", workError: errors["workRelated"],
            death: checked("death"), specifiedInjury: checked("specifiedInjury"), physicalInjury: checked("physicalInjury"),
            takenToHospital: checked("takenToHospital"), onHospitalPremises: checked("onHospitalPremises"),
            incapacitationDays: FormField("incapacitationDays", "Days unable to do their normal work", value: form?["incapacitationDays"] ?? "",
                                          hint: "Do not count the day of the incident; do count weekends and rest days", type: "text",
                                          required: false, errors: errors),
            result: assessment.map { RiddorPage.Result($0) })
        return try await web.page("incidents/riddor", model, title: "Is it reportable under RIDDOR?", request: request, context: context, status: status)
    }
}

struct RiddorPage: Sendable {
    struct Result: Sendable {
        var reportable: Bool
        var headline: String
        var reportBy: String?
        var recordOnly: Bool
        var reason: String

        init(_ assessment: Riddor.Assessment) {
            reportable = assessment.reportable
            headline = assessment.reportable ? "Reportable to the HSE (\(assessment.category.rawValue))" : "Not reportable to the HSE"
            reportBy = assessment.reportBy?.description
            recordOnly = assessment.recordOnly
            reason = assessment.reason
        }
    }
    var errors: ErrorSummary
    var csrfToken: String
    var accidentDate: FormField
    var workerChecked: Bool
    var nonWorkerChecked: Bool
    var personError: String?
    var workYes: Bool
    var workNo: Bool
    var workError: String?
    var death: Bool
    var specifiedInjury: Bool
    var physicalInjury: Bool
    var takenToHospital: Bool
    var onHospitalPremises: Bool
    var incapacitationDays: FormField
    var result: Result?
}

struct RiddorAssessmentJSON: Encodable {
    var reportable: Bool
    var category: String
    var reportBy: String?
    var recordOnly: Bool
    var reason: String

    init(_ assessment: Riddor.Assessment) {
        reportable = assessment.reportable
        category = assessment.category.rawValue
        reportBy = assessment.reportBy?.description
        recordOnly = assessment.recordOnly
        reason = assessment.reason
    }

    // The contract: reportBy is present, as null when there is nothing to report.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(reportable, forKey: .reportable)
        try container.encode(category, forKey: .category)
        try container.encode(reportBy, forKey: .reportBy)
        try container.encode(recordOnly, forKey: .recordOnly)
        try container.encode(reason, forKey: .reason)
    }

    enum CodingKeys: String, CodingKey { case reportable, category, reportBy, recordOnly, reason }
}
