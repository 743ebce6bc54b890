import Foundation
import HavenCore
import HavenData
import Hummingbird

/// The annual use-of-force report (REFERENCE §3: providers publish an annual report on restrictive intervention use;
/// §15 C 26): a printable page for a calendar year with the totals by kind of force, the rate per 1,000 occupied bed
/// days, prone, pain-based techniques, serious injuries and deaths, the disproportionality ratios, the trend by month
/// and against the year before, and links to the organisation's use-of-force policy (s3) and patient information (s4).
/// Aggregates only, for the same readers as the analytics (`viewUseOfForceStatistics`), within their remit.
struct UseOfForceAnnualReportController {
    let web: WebContext
    var store: UseOfForceStore { web.environment.useOfForce.store }
    static let path = "/use-of-force/annual-report"
    static let linksPath = "/use-of-force/annual-report/links"

    func register(_ routes: Routes) {
        routes.add(.get, Self.path, .viewUseOfForceStatistics) { request, context, identity in
            try await page(request, context, identity, typed: nil, errors: .init())
        }
        routes.add(.post, Self.linksPath, .publishUseOfForceReport) { request, context, identity in
            let form = try await FormInput(request, context: context)
            var errors = FieldErrors()
            let policy = Self.link(form["policyURL"], field: "policyURL", into: &errors)
            let leaflet = Self.link(form["patientInformationURL"], field: "patientInformationURL", into: &errors)
            guard errors.isEmpty else {
                return try await page(request, context, identity, typed: (form["policyURL"] ?? "", form["patientInformationURL"] ?? ""),
                                      errors: errors, status: .badRequest)
            }
            try await store.setPublications(.init(policyURL: policy, patientInformationURL: leaflet), organisationId: identity.organisation.id,
                                            origin: context.origin())
            return .redirect(to: Self.path + "?done=1")
        }
    }

    /// An address people can open: http or https, a host, at most 500 characters; empty clears it.
    static func link(_ text: String?, field: String, into errors: inout FieldErrors) -> String? {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        guard trimmed.count <= 500, let url = URL(string: trimmed), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
              !(url.host ?? "").isEmpty else {
            errors.add(field, "Enter a web address starting with https://, for example https://www.example.nhs.uk/use-of-force-policy")
            return nil
        }
        return trimmed
    }

    func page(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, typed: (String, String)?, errors: FieldErrors,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        var errors = errors
        let timeZone = TimeZone(identifier: identity.organisation.timeZone) ?? .gmt
        let now = web.environment.clock.now()
        let current = CalendarMonth(now, in: timeZone).year
        var year = current - 1
        var status = status
        if let text = request.uri.queryParameters["year"].map(String.init), !text.isEmpty {
            if let asked = Int(text), (2000...current).contains(asked) { year = asked } else {
                errors.add("year", "year must be a year from 2000 to \(current), for example \(current - 1)")
                status = .badRequest
            }
        }
        let units = try await web.environment.organisations.units(organisationId: identity.organisation.id)
        let query = UseOfForceStatisticsQuery({ _ in nil }, identity: identity, units: units, now: now)
        let this = try await store.statistics(organisationId: identity.organisation.id, from: CalendarMonth(year: year, month: 1),
                                              to: CalendarMonth(year: year, month: 12), unitIds: query.unitIds)
        let last = try await store.statistics(organisationId: identity.organisation.id, from: CalendarMonth(year: year - 1, month: 1),
                                              to: CalendarMonth(year: year - 1, month: 12), unitIds: query.unitIds)
        let links = try await store.publications(organisationId: identity.organisation.id)
        let canPublish = Access.allows(identity.actor, .publishUseOfForceReport)
        let published = try await web.environment.useOfForce.debriefs.settings(organisationId: identity.organisation.id).smallNumbers
        let model = UseOfForceAnnualReportPage(
            year: year, typedYear: request.uri.queryParameters["year"].map(String.init), organisation: identity.organisation.name,
            this: this, last: last, links: links, errors: errors, published: published,
            typed: typed, canPublish: canPublish, csrfToken: context.csrfToken, partial: query.unitIds != nil)
        let flash = request.uri.queryParameters["done"] == "1" ? "The links have been saved." : nil
        return try await web.page("use-of-force/annual-report", model, title: "Use of force annual report \(year)", request: request,
                                  context: context, status: status, flash: flash)
    }
}

struct UseOfForceAnnualReportPage: Sendable {
    struct Line: Sendable { var label: String; var value: String; var before: String }
    var title: String
    var scope: String
    var errors: ErrorSummary
    var yearField: FormField
    var lines: [Line]
    var trend: UseOfForceAnalyticsPage.Section
    var characteristics: [UseOfForceAnalyticsPage.Section]
    var ratioMethod: String
    var suppression: String
    var policyHref: String?
    var patientInformationHref: String?
    var noLinks: Bool
    var canPublish: Bool
    var policyField: FormField
    var patientInformationField: FormField
    var csrfToken: String

    init(year: Int, typedYear: String?, organisation: String, this: UseOfForceStatistics, last: UseOfForceStatistics, links: UseOfForcePublications,
         errors: FieldErrors, published n: SmallNumbers, typed: (String, String)?, canPublish: Bool, csrfToken: String, partial: Bool) {
        title = "\(organisation): use of force in \(year)"
        scope = partial ? "The units in your remit only; the organisation's report counts every unit." : "Every unit of the organisation."
        self.errors = ErrorSummary(errors)
        yearField = FormField("year", "Year", value: errors["year"] == nil ? String(year) : typedYear ?? "", hint: "A calendar year, January to December", type: "number", required: false, errors: errors)
        let number = UseOfForceAnalyticsPage.number
        func line(_ label: String, _ value: (UseOfForceFigures) -> String) -> Line {
            Line(label: label, value: value(this.totals), before: value(last.totals))
        }
        // A report is published: small counts, and what is worked out from them, are "*" (SmallNumbers).
        lines = [
            line("Episodes of force") { n.count($0.measures.episodes) },
            Line(label: "Patients force was used on (each counted once)", value: UseOfForceAnalyticsPage.patients(this.patients.total, n),
                 before: UseOfForceAnalyticsPage.patients(last.patients.total, n)),
            line("Physical restraints (of which prone)") { "\(n.count($0.measures.restraints)) (\(n.count($0.measures.prone)))" },
            line("Prone restraints of 10 minutes or more") { n.count($0.measures.proneTenMinutes) },
            line("Restraints per 1,000 occupied bed days") {
                n.derived(number($0.restraintsPerThousandBedDays, "no bed days entered"), from: $0.restraintsInMonthsWithBedDays)
            },
            line("Minutes of restraint: mean, median, maximum") {
                n.derived("\(number($0.meanRestraintMinutes, "–")), \(number($0.medianRestraintMinutes, "–")), \($0.maximumRestraintMinutes.map(String.init) ?? "–")",
                          from: $0.measures.restraints)
            },
            line("Mechanical restraints") { n.count($0.measures.mechanical) },
            line("Seclusions (hours)") { "\(n.count($0.measures.seclusions)) (\(n.derived(number($0.seclusionHours, "0"), from: $0.measures.seclusions)))" },
            line("Segregations (hours)") { "\(n.count($0.measures.segregations)) (\(n.derived(number($0.segregationHours, "0"), from: $0.measures.segregations)))" },
            line("Chemical restraints (of which rapid tranquillisation)") { "\(n.count($0.measures.chemical)) (\(n.count($0.measures.rapidTranquillisation)))" },
            line("Pain-based techniques used") { n.count($0.measures.painBased) },
            line("Serious injuries (s6(5)(n))") { n.count($0.measures.seriousInjuries) },
            line("Deaths (s6(5)(n))") { n.count($0.measures.deaths) },
            line("Negligible force under the organisation's policy (short records, counted apart)") { n.count($0.negligibleUses) },
        ]
        suppression = n.explanation
        let months = this.months
        let published = UseOfForceAnalyticsPage.published(months, this, n)
        trend = UseOfForceAnalyticsPage.Section(
            id: "trend", title: "Restraints per 1,000 occupied bed days, month by month", note: nil,
            chart: BarChart(id: "trend-chart", title: "Restraints per 1,000 occupied bed days in \(year), by month",
                            summary: "One bar per month of \(year); the table below gives the same figures.",
                            values: zip(months, published).map { month, p in
                                let rate = month.figures.restraintsPerThousandBedDays
                                let withheld = rate != nil && p.hides(.ratedRestraints)
                                return (UseOfForceAnalyticsPage.monthName(month.month), withheld ? nil : rate,
                                        withheld ? SmallNumbers.marker : number(rate, ""))
                            }),
            table: UseOfForceAnalyticsPage.Table(
                caption: "By month, \(year)",
                headings: UseOfForceAnalyticsPage.figuresHeadings("Month"),
                rows: zip(months, published).map {
                    UseOfForceAnalyticsPage.figuresRow(UseOfForceAnalyticsPage.monthName($0.month), $0.figures, patients: this.patients.month($0.month), $1)
                }))
        characteristics = this.characteristics.filter { $0.characteristic == .ethnicity || $0.characteristic == .sex || $0.characteristic == .ageBand
            || $0.characteristic == .disability }.map { UseOfForceAnalyticsPage.section($0, published: n) }
        ratioMethod = UseOfForceStatisticsJSON.ratioMethod
        policyHref = links.policyURL; patientInformationHref = links.patientInformationURL
        noLinks = links.policyURL == nil && links.patientInformationURL == nil
        self.canPublish = canPublish
        policyField = FormField("policyURL", "Use-of-force policy (s3)", value: typed?.0 ?? links.policyURL ?? "", hint: "Its web address", type: "url",
                                required: false, errors: errors)
        patientInformationField = FormField("patientInformationURL", "Information for patients (s4)", value: typed?.1 ?? links.patientInformationURL ?? "",
                                            hint: "Its web address, e.g. the leaflet", type: "url", required: false, errors: errors)
        self.csrfToken = csrfToken
    }
}
