import Foundation
import HavenCore
import HavenData
import Hummingbird

/// Use-of-force downloads, streamed a keyset page at a time through the incident export's helper and CSV field
/// escaping, every one audited:
/// - `/export?format=mhsds-csv|csv|jsonl` for those who see the records (`viewUseOfForce`), within their remit:
///   MHSDS-shaped rows of restrictive interventions, Haven's own rows, or the whole record as JSON Lines.
///   Names and NHS numbers are only in the JSON Lines, and only for a reader who may see them.
/// - `/export/anonymised?format=csv|jsonl` for publication and partnership representatives (`viewUseOfForceStatistics`):
///   no names, NHS numbers, local identifiers, staff, record ids, exact times or free text; the month, the unit, the
///   types and lengths, the outcome and the characteristics, with episodes numbered within the file; a value that
///   few episodes of the unit and month share is "*" (`SmallNumbers`).
struct UseOfForceExport {
    let web: WebContext
    var store: UseOfForceStore { web.environment.useOfForce.store }
    static let apiPath = UseOfForceAPI.base + "/export"
    static let anonymisedAPIPath = UseOfForceAPI.base + "/export/anonymised"
    static let anonymisedPagePath = UseOfForceRoute.export.path + "/anonymised"
    static let formats = ["mhsds-csv", "csv", "jsonl"]
    static let anonymisedFormats = ["csv", "jsonl"]

    func register(_ routes: Routes) {
        for (path, api) in [(Self.apiPath, true), (UseOfForceRoute.export.path, false)] {
            routes.add(.get, path, .viewUseOfForce, api: api) { request, context, identity in
                try await answer(api: api) { try await download(request, context, identity, anonymised: false) }
            }
        }
        for (path, api) in [(Self.anonymisedAPIPath, true), (Self.anonymisedPagePath, false)] {
            routes.add(.get, path, .viewUseOfForceStatistics, api: api) { request, context, identity in
                try await answer(api: api) { try await download(request, context, identity, anonymised: true) }
            }
        }
    }

    /// The API's errors as they are; a page shows a 403 or a plain 400 page with the message.
    func answer(api: Bool, _ work: () async throws -> Response) async throws -> Response {
        do { return try await work() } catch let error as APIError where !api {
            if error.status == .forbidden { throw PageError.forbidden }
            throw PageError.badRequest(error.fields.sorted { $0.key < $1.key }.map(\.value).joined(separator: ". "))
        }
    }

    func download(_ request: Request, _ context: HavenRequestContext, _ identity: Identity, anonymised: Bool) async throws -> Response {
        let query = request.uri.queryParameters
        func text(_ key: String) -> String? { query[Substring(key)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        let allowed = anonymised ? Self.anonymisedFormats : Self.formats
        let format = text("format") ?? "csv"
        var errors = FieldErrors()
        if !allowed.contains(format) { errors.add("format", "format must be one of " + allowed.joined(separator: ", ")) }
        var filter = UseOfForceStore.Filter()
        (filter.fromDate, filter.toDate) = DateRangeInput.read(text, into: &errors)
        let action: Action = anonymised ? .viewUseOfForceStatistics : .viewUseOfForce
        let scope = Access.scope(of: identity.actor, for: action)
        if case .units(let ids) = scope { filter.unitIds = ids }
        let units = try await web.environment.organisations.units(organisationId: identity.organisation.id)
        if let unit = text("unitId") {
            if !units.contains(where: { $0.id == unit }) { errors.add("unitId", "unitId is not a unit of this organisation") }
            else if !scope.contains(unit) { throw APIError(.forbidden, code: "forbidden", message: "This unit is outside your remit", fields: ["unitId": "This unit is outside your remit"]) }
            else { filter.unitId = unit }
        }
        for key in query.map({ String($0.key) }) where !["format", "from", "to", "unitId"].contains(key) {
            errors.add(key, "Unknown parameter \(key); use format, from, to or unitId")
        }
        if !errors.isEmpty { throw APIError.validation(errors) }

        try await AuditLog.record(web.environment.database, at: web.environment.clock.now(), origin: context.origin(),
                                  action: anonymised ? "use-of-force.export-anonymised" : "use-of-force.export", entity: "use-of-force",
                                  entityId: nil, changes: ["format": format, "from": filter.fromDate ?? "", "to": filter.toDate ?? "",
                                                           "unitId": filter.unitId ?? ""])
        let codes = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0.code) })
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: identity.organisation.timeZone) ?? .gmt
        var built = UseOfForceExportRows(unitCodes: codes, calendar: calendar, viewer: identity.actor)
        if anonymised {
            // Small-number suppression counts the file's own episodes first (one grouped read per field), so the values
            // a file holds are checked against the file, not against figures the reader cannot see.
            built.counts = try await store.patientValueCounts(organisationId: identity.organisation.id, filter)
            built.smallNumbers = try await web.environment.useOfForce.debriefs.settings(organisationId: identity.organisation.id).smallNumbers
        }
        let rows = built
        let header: String
        let line: @Sendable (StoredUseOfForce) throws -> String
        switch (anonymised, format) {
        case (false, "mhsds-csv"): (header, line) = (UseOfForceExportRows.mhsdsHeader, rows.mhsds)
        case (false, "csv"): (header, line) = (UseOfForceExportRows.csvHeader, rows.csv)
        case (false, _): (header, line) = ("", rows.jsonLine)
        case (true, "csv"):
            let numbering = EpisodeNumbering()
            (header, line) = (UseOfForceExportRows.anonymisedHeader, { rows.anonymisedCSV($0, number: numbering.next()) })
        default:
            let numbering = EpisodeNumbering()
            (header, line) = ("", { try rows.anonymisedJSONLine($0, number: numbering.next()) })
        }
        let store = self.store, organisationId = identity.organisation.id, size = IncidentStream.pageSize, selected = filter
        return IncidentStream.response(
            format: format, filename: anonymised ? "use-of-force-anonymised" : "use-of-force-\(format == "mhsds-csv" ? "mhsds" : "records")",
            csvHeader: header,
            next: { (cursor: UseOfForceStore.Cursor?) in
                let page = try await store.page(organisationId: organisationId, selected, after: cursor, size: size)
                return (page, page.count < size ? nil : page.last.map { .init(startedAt: $0.episode.startedAt, id: $0.episode.id) })
            }, line: line)
    }
}

/// Numbers the episodes of one anonymised file in the order they are written, so its interventions can be grouped
/// without an identifier that could be matched to the record. The stream writes one row at a time.
final class EpisodeNumbering: @unchecked Sendable {
    private let lock = NSLock()
    private var last = 0
    func next() -> Int { lock.withLock { last += 1; return last } }
}
