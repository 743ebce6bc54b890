import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// Reports made without signing in, when the organisation allows them. The reporter gets a receipt code (only its
/// hash is stored) to see the status and exchange messages with the handler without saying who they are. Unknown
/// codes are throttled per address, so codes cannot be guessed.
struct AnonymousReports {
    let web: WebContext
    var pages: IncidentsController { IncidentsController(web: web) }
    var environment: HavenEnvironment { web.environment }

    func register(_ routes: Routes) {
        // Pages. The code travels in form bodies, never in a link, so it stays out of browser history and logs.
        routes.addPublic(.get, "/report") { request, context in
            let organisation = try await allowingOrganisation()
            return try await pages.formPage(request, context, organisationId: organisation.id, ownUnits: [], action: "/report", anonymous: true,
                                            form: nil, errors: .init())
        }
        routes.addPublic(.post, "/report") { request, context in
            let organisation = try await allowingOrganisation()
            let form = try await FormInput(request, context: context)
            let answers = IncidentInput.answers(form, timeZone: TimeZone(identifier: organisation.timeZone) ?? .gmt)
            do {
                let (_, code) = try await submit(answers, organisation: organisation, idempotencyKey: form["submission"], origin: context.origin())
                return try await web.page("incidents/receipt", ReceiptPage(code: code ?? "", repeated: code == nil),
                                          title: "Your receipt code", request: request, context: context, status: code == nil ? .ok : .created)
            } catch let errors as FieldErrors {
                return try await pages.formPage(request, context, organisationId: organisation.id, ownUnits: [], action: "/report", anonymous: true,
                                                form: form, errors: errors, status: .badRequest)
            }
        }
        routes.addPublic(.get, "/report/follow") { request, context in
            try await followPage(request, context, code: "", errors: .init())
        }
        routes.addPublic(.post, "/report/follow") { request, context in
            let form = try await FormInput(request, context: context)
            let code = form["receiptCode"] ?? ""
            do {
                let report = try await lookUp(code, address: context.remoteAddress)
                if let message = form["message"] {
                    do {
                        _ = try await environment.incidentCases.message(report, body: message, authorId: nil, fromReporter: true, origin: context.origin())
                    } catch let errors as FieldErrors {
                        return try await followPage(request, context, code: code, report: report, errors: errors, status: .badRequest)
                    }
                    return try await followPage(request, context, code: code, report: report, errors: .init(), flash: "Your message has been sent.")
                }
                return try await followPage(request, context, code: code, report: report, errors: .init())
            } catch let error as APIError where error.status == .notFound || error.status == .tooManyRequests {
                var response = try await followPage(request, context, code: code, errors: FieldErrors("receiptCode", error.message), status: error.status)
                response.headers[.retryAfter] = error.headers[.retryAfter]
                return response
            }
        }

        // API
        routes.addPublic(.get, "/api/v1/anonymous-reports/units", api: true) { _, _ in
            let organisation = try await allowingOrganisation(api: true)
            let units = try await environment.organisations.units(organisationId: organisation.id)
            return try jsonResponse(units.map { ["id": $0.id, "code": $0.code, "name": $0.name] })
        }
        routes.addPublic(.post, "/api/v1/anonymous-reports", api: true) { request, context in
            let organisation = try await allowingOrganisation(api: true)
            var input = try await JSONInput(request, context: context)
            let answers = IncidentInput.answers(&input)
            try input.finish()
            let (report, code) = try await submit(answers, organisation: organisation, idempotencyKey: nil, origin: context.origin())
            return try jsonResponse(AnonymousReportJSON(report, timeline: [], receiptCode: code ?? ""), status: .created)
        }
        routes.addPublic(.get, "/api/v1/anonymous-reports/{receiptCode}", api: true) { _, context in
            let report = try await lookUp(try context.parameter("receiptCode"), address: context.remoteAddress)
            let timeline = try await environment.incidents.timeline(incidentId: report.id, organisationId: report.organisationId)
            return try jsonResponse(AnonymousReportJSON(report, timeline: timeline, receiptCode: nil))
        }
        routes.addPublic(.post, "/api/v1/anonymous-reports/{receiptCode}/messages", api: true) { request, context in
            let report = try await lookUp(try context.parameter("receiptCode"), address: context.remoteAddress)
            var input = try await JSONInput(request, context: context)
            let body = input.string("body", required: true)
            try input.finish()
            let entry = try await environment.incidentCases.message(report, body: body ?? "", authorId: nil, fromReporter: true, origin: context.origin())
            return try jsonResponse(TimelineJSON(entry), status: .created)
        }
    }

    /// The organisation, when it accepts reports without sign-in; otherwise 404, as if the feature were absent.
    func allowingOrganisation(api: Bool = false) async throws -> Organisation {
        guard let organisation = try await environment.organisations.primaryOrganisation(), organisation.allowsUnsignedReports else {
            if api { throw APIError(.notFound, code: "not_found", message: "This organisation does not accept reports without signing in") }
            throw PageError.notFound
        }
        return organisation
    }

    /// Saves the report; the code is nil when the same form was already sent (the code was shown then, and only its
    /// hash was kept, so it cannot be shown again).
    func submit(_ answers: IncidentInput.Answers, organisation: Organisation, idempotencyKey: String?, origin: Origin) async throws -> (IncidentReport, String?) {
        let units = try await environment.organisations.units(organisationId: organisation.id)
        let report = try IncidentInput.report(answers, units: units, organisationId: organisation.id, reporterId: nil, now: environment.clock.now())
        let code = ReceiptCode.make()
        let (saved, created) = try await environment.incidentCases.report(report, organisation: organisation, idempotencyKey: idempotencyKey,
                                                                          receiptCode: ReceiptCode.normalise(code), origin: origin)
        return (saved, created ? code : nil)
    }

    /// The report a receipt code belongs to. Unknown codes count against the address (and all addresses together),
    /// and too many answer 429 with Retry-After before any lookup.
    func lookUp(_ typed: String, address: String) async throws -> IncidentReport {
        if let seconds = environment.receiptThrottle.retryAfter(account: "receipt-codes", address: address) {
            throw APIError(.tooManyRequests, code: "too_many_requests",
                           message: "Too many receipt codes that did not match; try again in \(seconds) seconds", headers: [.retryAfter: String(seconds)])
        }
        guard let code = ReceiptCode.normalise(typed), let report = try await environment.incidents.find(receiptHash: SecretHash.of(code)) else {
            environment.receiptThrottle.recordFailure(account: "receipt-codes", address: address)
            throw APIError(.notFound, code: "not_found", message: "No report has that receipt code. Check it and try again.")
        }
        return report
    }

    func followPage(_ request: Request, _ context: HavenRequestContext, code: String, report: IncidentReport? = nil, errors: FieldErrors,
                    status: HTTPResponse.Status = .ok, flash: String? = nil) async throws -> Response {
        var page = FollowPage(errors: .init(errors), csrfToken: context.csrfToken,
                              receiptCode: FormField("receiptCode", "Receipt code", value: code, hint: "For example 7KQ2-M9XD-4T1P-ZR8C-3WNB",
                                                     autocomplete: "off", errors: errors),
                              found: report != nil, status: report?.status.displayName ?? "", type: report?.type.displayName ?? "",
                              entries: [], messageError: errors["body"])
        if let report {
            let organisation = try await environment.organisations.organisation(id: report.organisationId)
            page.reported = organisation.map { DisplayDate.dateTime(report.reportedAt, $0) } ?? report.reportedAt.iso8601
            page.entries = try await environment.incidents.timeline(incidentId: report.id, organisationId: report.organisationId).map { entry in
                FollowPage.Entry(who: entry.fromReporter ? "You" : (entry.kind == .status ? "Status" : "Handler"), body: entry.body,
                                 when: organisation.map { DisplayDate.dateTime(entry.createdAt, $0) } ?? entry.createdAt.iso8601)
            }
        }
        return try await web.page("incidents/follow", page, title: "Follow your report", request: request, context: context, status: status, flash: flash)
    }
}

struct ReceiptPage: Sendable {
    var code: String
    var repeated: Bool
}

struct FollowPage: Sendable {
    struct Entry: Sendable {
        var who: String
        var body: String
        var when: String
    }
    var errors: ErrorSummary
    var csrfToken: String
    var receiptCode: FormField
    var found: Bool
    var status: String
    var type: String
    var reported = ""
    var entries: [Entry]
    var messageError: String?
}

/// What an anonymous reporter sees: never who handles the case or anything about other people.
struct AnonymousReportJSON: Encodable {
    struct Entry: Encodable {
        var kind: String
        var fromReporter: Bool
        var body: String
        var createdAt: Date
    }
    var receiptCode: String?
    var type: String
    var status: String
    var occurredAt: Date
    var reportedAt: Date
    var timeline: [Entry]

    init(_ report: IncidentReport, timeline: [TimelineEntry], receiptCode: String?) {
        self.receiptCode = receiptCode
        type = report.type.rawValue
        status = report.status.rawValue
        occurredAt = report.occurredAt
        reportedAt = report.reportedAt
        self.timeline = timeline.map { Entry(kind: $0.kind.rawValue, fromReporter: $0.fromReporter, body: $0.body, createdAt: $0.createdAt) }
    }
}
