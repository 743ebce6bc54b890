import Foundation
import HavenCore
import HavenData
import Hummingbird

/// Retention periods, for administrators: a page (`/admin/retention`) and `GET`/`PUT /api/v1/retention`. Each period
/// is checked against the rule pack's legal minimum; the daily purge uses them (see `RetentionPurge`).
struct RetentionController {
    let web: WebContext
    var store: RetentionStore { web.environment.retention }

    static let pagePath = "/admin/retention"
    static let apiPath = "/api/v1/retention"

    func register(_ routes: Routes) {
        routes.add(.get, Self.pagePath, .manageRetention) { request, context, identity in
            let settings = try await store.settings(organisationId: identity.organisation.id)
            let typed = Dictionary(uniqueKeysWithValues: RetainedRecord.allCases.map {
                ($0, String(settings[$0] ?? RetentionPolicy.rule(for: $0, rulePack: identity.organisation.rulePack).defaultYears))
            })
            return try await page(request, context, identity, typed: typed, errors: .init(),
                                  flash: request.uri.queryParameters["done"] == "1" ? "The retention periods have been saved." : nil)
        }
        routes.add(.post, Self.pagePath, .manageRetention) { request, context, identity in
            let form = try await FormInput(request, context: context)
            var errors = FieldErrors()
            var periods: [RetainedRecord: Int] = [:]
            for record in RetainedRecord.allCases {
                periods[record] = RetentionPolicy.years(form[record.field], for: record, rulePack: identity.organisation.rulePack, into: &errors)
            }
            guard errors.isEmpty else {
                let typed = Dictionary(uniqueKeysWithValues: RetainedRecord.allCases.map { ($0, form[$0.field] ?? "") })
                return try await page(request, context, identity, typed: typed, errors: errors, status: .badRequest)
            }
            try await store.save(periods, organisationId: identity.organisation.id, origin: context.origin())
            return .redirect(to: Self.pagePath + "?done=1")
        }
        routes.add(.get, Self.apiPath, .manageRetention, api: true) { _, _, identity in
            try jsonResponse(try await json(identity.organisation))
        }
        // PUT replaces the whole setting, so every record type is required.
        routes.add(.put, Self.apiPath, .manageRetention, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            var errors = FieldErrors()
            var periods: [RetainedRecord: Int] = [:]
            for record in RetainedRecord.allCases {
                // A wide range here, so that the rule below says what is wrong (negative, under the legal minimum).
                guard let years = input.int(record.field, range: -1_000_000...1_000_000) else {
                    if !input.has(record.field) { input.require(record.field) }
                    continue
                }
                periods[record] = RetentionPolicy.check(years, for: record, rulePack: identity.organisation.rulePack, into: &errors)
            }
            try input.finish()
            if !errors.isEmpty { throw APIError.validation(errors) }
            try await store.save(periods, organisationId: identity.organisation.id, origin: context.origin())
            return try jsonResponse(try await json(identity.organisation))
        }
    }

    func json(_ organisation: Organisation) async throws -> RetentionJSON {
        let settings = try await store.settings(organisationId: organisation.id)
        return RetentionJSON(rulePack: organisation.rulePack.rawValue, records: RetainedRecord.allCases.map { record in
            let rule = RetentionPolicy.rule(for: record, rulePack: organisation.rulePack)
            return .init(recordType: record.field, years: RetentionPolicy.effectiveYears(settings[record], for: record, rulePack: organisation.rulePack),
                         minimumYears: rule.minimumYears, defaultYears: rule.defaultYears, setByOrganisation: settings[record] != nil, basis: rule.basis)
        })
    }

    func page(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, typed: [RetainedRecord: String], errors: FieldErrors,
              status: HTTPResponse.Status = .ok, flash: String? = nil) async throws -> Response {
        let runs = try await AuditLog.list(web.environment.database, filter: .init(organisationId: identity.organisation.id, action: "retention.purge", limit: 5))
        let page = RetentionPage(
            errors: .init(errors), csrfToken: context.csrfToken, rulePack: identity.organisation.rulePack.displayName,
            fields: RetainedRecord.allCases.map { record in
                let rule = RetentionPolicy.rule(for: record, rulePack: identity.organisation.rulePack)
                return FormField(record.field, "\(record.displayName): years to keep", value: typed[record] ?? "",
                                 hint: "\(rule.basis) Default \(rule.defaultYears).", type: "number", errors: errors)
            },
            runs: runs.map(RetentionPage.Run.init), hasRuns: !runs.isEmpty)
        return try await web.page("admin/retention", page, title: "Retention", request: request, context: context, status: status, flash: flash)
    }
}

struct RetentionJSON: Encodable {
    struct Record: Encodable {
        var recordType: String
        /// The period the purge uses now.
        var years: Int
        var minimumYears: Int
        var defaultYears: Int
        var setByOrganisation: Bool
        var basis: String
    }
    var rulePack: String
    var records: [Record]
}

struct RetentionPage: Sendable {
    struct Run: Sendable {
        var at: String
        var summary: String

        init(_ event: AuditEvent) {
            at = event.at.iso8601
            let changes = (try? JSONDecoder().decode([String: String].self, from: Data(event.changes.utf8))) ?? [:]
            let count = changes["count"] ?? "0"
            summary = "\(count) incident \(count == "1" ? "report" : "reports") anonymised (reported before \(changes["reportedBefore"]?.prefix(10) ?? "?"))"
        }
    }
    var errors: ErrorSummary
    var csrfToken: String
    var rulePack: String
    var fields: [FormField]
    var runs: [Run]
    var hasRuns: Bool
}
