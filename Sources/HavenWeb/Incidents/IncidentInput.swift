import Foundation
import HavenCore

/// The checks on a new report, shared by the page and the API so both refuse the same things with the same words.
enum IncidentInput {
    struct Answers {
        var type: String?
        /// nil means now.
        var occurredAt: Date?
        var occurredAtProblem: String?
        var unitId: String?
        var area: String?
        var perpetrator: String?
        var harm: String?
        var description: String?
        var reporterRole: String?
    }

    static func report(_ answers: Answers, units: [CareUnit], identity: Identity, now: Date) throws -> IncidentReport {
        try report(answers, units: units, organisationId: identity.organisation.id, reporterId: identity.user.id, now: now)
    }

    /// The six answers from an API body.
    static func answers(_ input: inout JSONInput) -> Answers {
        let (occurredAt, problem) = apiTime(input.string("occurredAt"))
        return Answers(type: input.string("type", required: true), occurredAt: occurredAt, occurredAtProblem: problem,
                       unitId: input.string("unitId", required: true), area: input.string("area", required: true),
                       perpetrator: input.string("perpetrator", required: true), harm: input.string("harm", required: true),
                       description: input.string("description", required: true), reporterRole: input.string("reporterRole"))
    }

    /// The six answers from the form, its date and time read in the organisation's time zone.
    static func answers(_ form: FormInput, timeZone: TimeZone) -> Answers {
        let (occurredAt, problem) = formTime(date: form["date"], time: form["time"], timeZone: timeZone)
        return Answers(type: form["type"], occurredAt: occurredAt, occurredAtProblem: problem, unitId: form["unitId"], area: form["area"],
                       perpetrator: form["perpetrator"], harm: form["harm"], description: form["description"], reporterRole: form["reporterRole"])
    }

    /// `reporterId` is nil for a report made without signing in.
    static func report(_ answers: Answers, units: [CareUnit], organisationId: String, reporterId: String?, now: Date) throws -> IncidentReport {
        var errors = FieldErrors()
        let type = IncidentType(rawValue: answers.type ?? "")
        if type == nil { errors.add("type", "Choose what happened") }
        let occurredAt = answers.occurredAt ?? now
        if let problem = answers.occurredAtProblem { errors.add("occurredAt", problem) }
        else if occurredAt > now + IncidentReport.futureAllowance { errors.add("occurredAt", "The time it happened cannot be in the future") }
        let unit = units.first { $0.id == answers.unitId }
        if unit == nil { errors.add("unitId", "Choose the unit where it happened") }
        let area = Validate.text(answers.area, field: "area", label: "Where exactly", required: true, max: 200, into: &errors)
        let perpetrator = Perpetrator(rawValue: answers.perpetrator ?? "")
        if perpetrator == nil { errors.add("perpetrator", "Choose who did it") }
        let harm = Harm(rawValue: answers.harm ?? "")
        if harm == nil { errors.add("harm", "Choose how badly anyone was hurt") }
        let description = Validate.text(answers.description, field: "description", label: "What happened, in a few words", required: true,
                                        max: IncidentReport.maximumDescription, into: &errors)
        let role = answers.reporterRole.map { ReporterRole(rawValue: $0) } ?? .harmed
        if role == nil { errors.add("reporterRole", "Choose whether it happened to you, you saw it, or you report for someone else") }
        try errors.throwIfAny()
        return IncidentReport(id: Identifier.make(), organisationId: organisationId, type: type!, occurredAt: occurredAt,
                              unitId: unit!.id, area: area, perpetrator: perpetrator!, harm: harm!, description: description,
                              reporterRole: role!, reporterId: reporterId, status: .reported, reportedAt: now)
    }

    /// The date and time boxes of the form, read in the organisation's time zone; both blank means now.
    static func formTime(date: String?, time: String?, timeZone: TimeZone) -> (Date?, String?) {
        let dateText = (date ?? "").trimmingCharacters(in: .whitespaces), timeText = (time ?? "").trimmingCharacters(in: .whitespaces)
        if dateText.isEmpty && timeText.isEmpty { return (nil, nil) }
        guard let day = CalendarDay(dateText) else { return (nil, "Enter the date as a real date, for example 2026-11-27") }
        let parts = timeText.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, (0...23).contains(parts[0]), (0...59).contains(parts[1]) else {
            return (nil, "Enter the time as hours and minutes, for example 21:30")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let date = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: parts[0], minute: parts[1]))
        return (date, date == nil ? "Enter a real date and time" : nil)
    }

    /// An ISO 8601 date-time from the API, with or without fractional seconds.
    static func apiTime(_ text: String?, field: String = "occurredAt") -> (Date?, String?) {
        guard let text else { return (nil, nil) }
        if let date = try? Date(text, strategy: .iso8601) { return (date, nil) }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return (date, nil) }
        return (nil, "\(field) must be an ISO 8601 date and time, like 2026-11-27T21:30:00Z")
    }
}
