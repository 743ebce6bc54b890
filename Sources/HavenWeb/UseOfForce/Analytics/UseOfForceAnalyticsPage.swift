import Foundation
import HavenCore
import HavenData
import Hummingbird

/// The analytics page: a GET form (unit, months) and, for what it selects, the rate of restraint per 1,000 occupied
/// bed days by month, the figures by unit, and each characteristic's share of force against its share of the
/// unit's patients. Each chart has the same figures in a table beside it.
struct UseOfForceAnalyticsController {
    let web: WebContext

    func register(_ routes: Routes) {
        routes.add(.get, UseOfForceRoute.analytics.path, .viewUseOfForceStatistics) { request, context, identity in
            let parameters = request.uri.queryParameters
            let units = try await web.environment.organisations.units(organisationId: identity.organisation.id)
            let query = UseOfForceStatisticsQuery({ parameters[Substring($0)].map(String.init) }, identity: identity, units: units,
                                                  now: web.environment.clock.now())
            if query.forbiddenUnit { throw PageError.forbidden }
            // A bad month shows the form with its error and the default range's figures.
            let counted = query.errors.isEmpty ? query
                : UseOfForceStatisticsQuery({ $0 == "unitId" && query.errors["unitId"] == nil ? query.unitId : nil }, identity: identity,
                                            units: units, now: web.environment.clock.now())
            let statistics = try await web.environment.useOfForce.store.statistics(
                organisationId: identity.organisation.id, from: counted.from, to: counted.to, unitIds: counted.unitIds)
            let typed = (from: parameters["from"].map(String.init) ?? counted.from.description, to: parameters["to"].map(String.init) ?? counted.to.description)
            let hiding = try await web.useOfForceSuppression(identity, unitIds: counted.unitIds)
            let page = UseOfForceAnalyticsPage(statistics, query: counted, typed: typed, errors: query.errors, hiding: hiding,
                                               canManagePopulation: Access.allows(identity.actor, .manageUseOfForcePopulation),
                                               canViewRecords: Access.allows(identity.actor, .viewUseOfForce))
            return try await web.page("use-of-force/analytics", page, title: "Use of force: reduction analytics", request: request,
                                      context: context, status: query.errors.isEmpty ? .ok : .badRequest)
        }
    }
}

struct UseOfForceAnalyticsPage: Sendable {
    struct Cell: Sendable { var text: String }
    struct Row: Sendable {
        var heading: String
        var cells: [Cell]
    }
    struct Table: Sendable {
        var caption: String
        var headings: [String]
        var rows: [Row]
    }
    struct Section: Sendable {
        var id: String
        var title: String
        var note: String?
        var chart: BarChart
        var table: Table
    }

    var errors: ErrorSummary
    var units: [Choice]
    var from: FormField
    var to: FormField
    var rangeText: String
    var summaryLines: [SummaryLine]
    var rate: Section
    var byUnit: Table
    var characteristics: [Section]
    var ratioMethod: String
    var populationHref: String?
    var exportLinks: [ExportLink]
    /// The record list, for those who may open it (others would get 403).
    var recordsHref: String?
    /// Said when small numbers are withheld from this reader (a partnership representative).
    var suppression: String?

    struct ExportLink: Sendable { var href: String; var label: String }

    /// `n` withholds small numbers and what is worked out from them (`UseOfForceAccess.withholdsSmallNumbers`).
    init(_ statistics: UseOfForceStatistics, query: UseOfForceStatisticsQuery, typed: (from: String, to: String), errors: FieldErrors,
         hiding n: SmallNumbers = .nothingHidden, canManagePopulation: Bool, canViewRecords: Bool) {
        suppression = n.threshold > 0 ? n.explanation : nil
        self.errors = ErrorSummary(errors)
        units = [Choice(value: "", label: "All units in your remit", selected: query.unitId == nil)]
            + query.units.map { Choice(value: $0.id, label: $0.name, selected: $0.id == query.unitId) }
        from = FormField("from", "From month", value: typed.from, hint: "As YYYY-MM, for example 2026-01", type: "month", required: false, errors: errors)
        to = FormField("to", "To month", value: typed.to, hint: "As YYYY-MM; included", type: "month", required: false, errors: errors)
        rangeText = "\(Self.monthName(statistics.from)) to \(Self.monthName(statistics.to))"
        let totals = statistics.totals
        let m = totals.measures
        let restraintMinutes = "\(Self.number(totals.meanRestraintMinutes, "–")), \(Self.number(totals.medianRestraintMinutes, "–")), "
            + (totals.maximumRestraintMinutes.map(String.init) ?? "–")
        summaryLines = [
            .init(label: "Episodes of force", value: n.count(m.episodes)),
            .init(label: "Patients force was used on (each counted once)", value: Self.patients(statistics.patients.total, n)),
            .init(label: "Physical restraints (codes 01, 07–13)", value: n.count(m.restraints)),
            .init(label: "Restraints per 1,000 occupied bed days",
                  value: n.derived(Self.number(totals.restraintsPerThousandBedDays, "no bed days entered"), from: m.restraints)),
            .init(label: "Minutes of restraint: mean, median, maximum", value: n.derived(restraintMinutes, from: m.restraints)),
            .init(label: "Prone restraints (of which 10 minutes or more)", value: "\(n.count(m.prone)) (\(n.count(m.proneTenMinutes)))"),
            .init(label: "Seclusion: episodes and hours", value: "\(n.count(m.seclusions)), \(n.derived(Self.number(totals.seclusionHours, "0"), from: m.seclusions))"),
            .init(label: "Segregation: episodes and hours",
                  value: "\(n.count(m.segregations)), \(n.derived(Self.number(totals.segregationHours, "0"), from: m.segregations))"),
            .init(label: "Chemical restraints (of which rapid tranquillisation)", value: "\(n.count(m.chemical)) (\(n.count(m.rapidTranquillisation)))"),
            .init(label: "Mechanical restraints", value: n.count(m.mechanical)),
            .init(label: "Pain-based techniques", value: n.count(m.painBased)),
            .init(label: "Serious injuries; deaths", value: "\(n.count(m.seriousInjuries)); \(n.count(m.deaths))"),
            .init(label: "Negligible force: short records, counted apart from all the above", value: n.count(totals.negligibleUses)),
        ]
        if totals.monthsWithoutBedDays > 0 {
            summaryLines.append(.init(label: "Unit-months without bed days (left out of the rate)", value: String(totals.monthsWithoutBedDays)))
        }
        let months = statistics.months
        let monthsPublished = Self.published(months, statistics, n)
        rate = Section(
            id: "rate", title: "Restraints per 1,000 occupied bed days, by month", note: nil,
            chart: BarChart(id: "rate-chart", title: "Restraints per 1,000 occupied bed days, by month",
                            summary: "One bar per month from \(rangeText); the table below gives the same figures.",
                            values: zip(months, monthsPublished).map { month, published in
                                let rate = month.figures.restraintsPerThousandBedDays
                                if published.hides(.restraints) || published.hides(.ratedRestraints) { return (Self.monthName(month.month), nil, SmallNumbers.marker) }
                                return (Self.monthName(month.month), rate, Self.number(rate, ""))
                            }),
            table: Table(caption: "Restraints per 1,000 occupied bed days, by month",
                         headings: Self.figuresHeadings("Month"),
                         rows: zip(months, monthsPublished).map {
                             Self.figuresRow(Self.monthName($0.month), $0.figures, patients: statistics.patients.month($0.month), $1)
                         }))
        let counted = query.units.filter { query.unitIds?.contains($0.id) ?? true }
        let unitsPublished = n.published(counted.map { (statistics.unit($0.id), statistics.patients.unit($0.id)) })
        byUnit = Table(caption: "By unit, \(rangeText)",
                       headings: Self.figuresHeadings("Unit"),
                       rows: zip(counted, unitsPublished).map {
                           Self.figuresRow($0.name, statistics.unit($0.id), patients: statistics.patients.unit($0.id), $1)
                       })
        characteristics = statistics.characteristics.map { Self.section($0, published: n) }
        ratioMethod = UseOfForceStatisticsJSON.ratioMethod
        populationHref = canManagePopulation ? UseOfForceRoute.population.path : nil
        var pairs = [("from", statistics.from.firstDay), ("to", statistics.to.lastDay)]
        if let unit = query.unitId { pairs.append(("unitId", unit)) }
        let filter = pairs.map { "\($0.0)=\(IncidentListController.encode($0.1))" }.joined(separator: "&")
        exportLinks = [("csv", "Anonymised CSV (for publication)"), ("jsonl", "Anonymised JSON Lines")].map {
            ExportLink(href: UseOfForceExport.anonymisedPagePath + "?format=\($0.0)&" + filter, label: $0.1)
        }
        if canViewRecords {
            recordsHref = UseOfForceRoute.list.path
            exportLinks += [("mhsds-csv", "MHSDS-shaped CSV of restrictive interventions"), ("csv", "CSV of interventions"),
                            ("jsonl", "Whole records as JSON Lines")].map {
                ExportLink(href: UseOfForceRoute.export.path + "?format=\($0.0)&" + filter, label: $0.1)
            }
        }
    }

    static func figuresHeadings(_ first: String) -> [String] {
        [first, "Episodes", "Patients", "Occupied bed days", "Restraints", "Per 1,000 bed days", "Median minutes", "Prone (10+ min)",
         "Seclusion hours", "Segregation hours", "Chemical", "Negligible force (counted apart)"]
    }

    /// A number of patients; "at least" when some of the episodes lost their patient identifier to retention.
    static func patients(_ count: PatientCount, _ published: SmallNumbers = .nothingHidden) -> String {
        (count.incomplete ? "at least " : "") + published.count(count.patients)
    }

    /// The months of a range as published: each month's counts add up to the range's totals shown above them.
    static func published(_ months: [(month: CalendarMonth, figures: UseOfForceFigures)], _ statistics: UseOfForceStatistics,
                          _ n: SmallNumbers) -> [PublishedCounts] {
        n.published(months.map { ($0.figures, statistics.patients.month($0.month)) })
    }

    /// A row of figures; `published` withholds small counts, the counts that would give them away, and what is
    /// worked out from them (a representative's page, the annual report).
    static func figuresRow(_ heading: String, _ figures: UseOfForceFigures, patients: PatientCount, _ published: PublishedCounts) -> Row {
        let p = published
        return Row(heading: heading, cells: [
            p.count(.episodes), (patients.incomplete ? "at least " : "") + p.count(.patients),
            figures.occupiedBedDays.map(String.init) ?? "not entered", p.count(.restraints),
            p.derived(number(figures.restraintsPerThousandBedDays, "–"), from: .restraints, .ratedRestraints),
            p.derived(number(figures.medianRestraintMinutes, "–"), from: .restraints), "\(p.count(.prone)) (\(p.count(.proneTenMinutes)))",
            p.derived(number(figures.seclusionHours, "0"), from: .seclusions), p.derived(number(figures.segregationHours, "0"), from: .segregations),
            p.count(.chemical), p.count(.negligibleUses),
        ].map(Cell.init))
    }

    /// A characteristic's chart and table; `published` withholds small counts of episodes, restraints and patients, the
    /// counts that would give them away from the totals, and the shares, ratios, minutes and hours worked out from them.
    static func section(_ figures: CharacteristicFigures, published n: SmallNumbers) -> Section {
        let name = figures.characteristic.label
        let published = n.published(figures)
        let rows = Array(zip(figures.values, published))
        let hasPopulation = figures.values.contains { $0.patients != nil }
        return Section(
            id: figures.characteristic.rawValue, title: name,
            note: hasPopulation ? nil : "No patient population has been entered for these units and months, so no ratio can be given.",
            chart: BarChart(id: "ratio-\(figures.characteristic.rawValue)", title: "\(name): disproportionality ratio of episodes",
                            summary: "One bar per value; a ratio above 1 means a larger share of episodes than of patients. The table below gives the figures.",
                            values: rows.filter { $0.0.isKnown }.map { value, p in
                                let ratio = p.shown(value.episodeRatio, from: .episodes, .patients)
                                let withheld = ratio == nil && value.episodeRatio != nil
                                return (BarChart.short(value.label), ratio, withheld ? SmallNumbers.marker : number(ratio, ""))
                            },
                            reference: hasPopulation ? (1, "1 = in proportion") : nil),
            table: Table(caption: "\(name): episodes and restraints against the unit's patients",
                         headings: ["Value", "Episodes", "Share of episodes", "Patients", "Share of patients", "Ratio (episodes)",
                                    "Restraints", "Ratio (restraints)", "Mean restraint minutes", "Median restraint minutes",
                                    "Longest restraint minutes", "Prone (10+ min)", "Seclusion hours",
                                    "Segregation hours", "Chemical"],
                         rows: rows.map { value, p in
                             let m = value.measures
                             return Row(heading: value.label, cells: [
                                 p.count(.episodes), p.derived(percent(value.episodeShare), from: .episodes),
                                 value.patients == nil ? "not entered" : p.count(.patients), p.derived(percent(value.populationShare), from: .patients),
                                 p.derived(number(value.episodeRatio, "–"), from: .episodes, .patients), p.count(.restraints),
                                 p.derived(number(value.restraintRatio, "–"), from: .restraints, .patients),
                                 p.derived(number(value.meanRestraintMinutes, "–"), from: .restraints),
                                 p.derived(number(value.medianRestraintMinutes, "–"), from: .restraints),
                                 p.derived(value.maximumRestraintMinutes.map(String.init) ?? "–", from: .restraints),
                                 "\(p.count(.prone)) (\(p.count(.proneTenMinutes)))",
                                 p.derived(number(Double(m.seclusionSeconds) / 3600, "0"), from: .seclusions),
                                 p.derived(number(Double(m.segregationSeconds) / 3600, "0"), from: .segregations), p.count(.chemical),
                             ].map(Cell.init))
                         }))
    }

    static func number(_ value: Double?, _ missing: String) -> String {
        guard let value else { return missing }
        return value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }

    static func percent(_ share: Double?) -> String { share.map { String(format: "%.1f%%", $0 * 100) } ?? "–" }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static func monthName(_ month: CalendarMonth) -> String { "\(monthNames[month.month - 1]) \(month.year)" }
}
