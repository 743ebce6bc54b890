import Foundation
import HavenCore
import HavenData
import HavenServices
import Hummingbird

/// Observations after rapid tranquillisation: the schedule and each set, through the API and on the record page.
struct UseOfForceObservations {
    let web: WebContext
    var records: UseOfForceRecords { web.environment.useOfForce }
    static let valueFields = ["pulse", "systolic", "diastolic", "respiratoryRate", "temperature", "oxygenSaturation"]

    func register(_ routes: Routes) {
        routes.add(.get, UseOfForceAPI.base + "/{id}/observations", .accessUseOfForce, api: true) { _, context, identity in
            let stored = try await UseOfForceAPI(web: web).visible(context, identity)
            let items = try await records.observations.observations(episodeId: stored.episode.id, organisationId: identity.organisation.id)
            return try jsonResponse(["items": items.map(ObservationJSON.init)])
        }
        routes.add(.put, UseOfForceAPI.base + "/{id}/observations/{seq}", .recordUseOfForce, api: true) { request, context, identity in
            var input = try await JSONInput(request, context: context)
            let (takenAt, problem) = IncidentInput.apiTime(input.string("takenAt", required: true), field: "takenAt")
            var values: [String: Double] = [:]
            for field in Self.valueFields { if let value = input.double(field, range: -1e6...1e6) { values[field] = value } }
            let consciousness = input.string("consciousness"), reason = input.string("notTakenReason"), notes = input.string("notes")
            if let problem { input.absorb(FieldErrors("takenAt", problem)) }
            try input.finish()
            guard let seq = Int(try context.parameter("seq")) else { throw APIError.notFound("observation") }
            let saved = try await UseOfForceAPI.answering {
                try await records.recordObservation(episodeId: try context.parameter("id"), seq: seq, by: identity.user, takenAt: takenAt,
                                                    values: values, consciousness: consciousness, notTakenReason: reason, notes: notes,
                                                    origin: context.origin())
            }
            return try jsonResponse(ObservationJSON(saved))
        }
        routes.add(.post, "/use-of-force/{id}/observations/{seq}", .recordUseOfForce) { request, context, identity in
            let controller = UseOfForceController(web: web)
            let stored = try await controller.visible(context, identity)
            guard let seq = Int(try context.parameter("seq")) else { throw PageError.notFound }
            let form = try await FormInput(request, context: context)
            let (takenAt, problem) = IncidentInput.formTime(date: form["takenDate"], time: form["takenTime"], timeZone: controller.timeZone(identity))
            var values: [String: Double] = [:]
            var unreadable = FieldErrors()
            for field in Self.valueFields {
                guard let text = form[field]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { continue }
                if let value = Double(text), value.isFinite { values[field] = value } else { unreadable.add(field, "Enter a number") }
            }
            if let problem { unreadable.add("takenAt", problem) }
            do {
                try unreadable.throwIfAny()
                let saved = try await records.recordObservation(episodeId: stored.episode.id, seq: seq, by: identity.user, takenAt: takenAt,
                                                                values: values, consciousness: form["consciousness"],
                                                                notTakenReason: form["notTakenReason"], notes: form["notes"], origin: context.origin())
                return .redirect(to: UseOfForceRoute.episode(stored.episode.id).path + (saved.concerns.isEmpty ? "?done=observation" : "?done=concern"))
            } catch {
                let (errors, status) = try UseOfForceController.formErrors(error, merging: .init(), field: "notes")
                return try await controller.showPage(request, context, identity, stored, errors: errors.prefixed("obs-"), typedNote: nil,
                                                     typedObservation: form, status: status)
            }
        }
    }
}

/// One set of observations as the API returns it; `concerns` says in words what needs a doctor now.
struct ObservationJSON: Encodable {
    var seq: Int
    var dueAt: Date
    var takenAt: Date?
    var takenBy: String?
    var pulse: Int?
    var systolic: Int?
    var diastolic: Int?
    var respiratoryRate: Int?
    var temperature: Double?
    var oxygenSaturation: Int?
    var consciousness: String?
    var notTakenReason: String?
    var notes: String?
    var concerns: [String]

    init(_ observation: RapidTranquillisationObservation) {
        seq = observation.seq; dueAt = observation.dueAt; takenAt = observation.takenAt; takenBy = observation.takenBy
        pulse = observation.pulse; systolic = observation.systolic; diastolic = observation.diastolic
        respiratoryRate = observation.respiratoryRate; temperature = observation.temperature
        oxygenSaturation = observation.oxygenSaturation; consciousness = observation.consciousness?.rawValue
        notTakenReason = observation.notTakenReason; notes = observation.notes; concerns = observation.concerns
    }
}

/// The observations section of the record page: the schedule as a table, and the form for the next set due.
struct ObservationPanel: Sendable {
    struct Row: Sendable { var due: String; var status: String; var values: String }
    var rows: [Row]
    var canRecord: Bool
    var action: String
    var nextDue: String
    var fields: [FormField]
    var levels: [Choice]
    var levelError: String?

    init?(_ observations: [RapidTranquillisationObservation], episodeId: String, organisation: Organisation, canRecord: Bool, now: Date,
          errors: FieldErrors, typed: FormInput?) {
        guard !observations.isEmpty else { return nil }
        let when = { (date: Date) in DisplayDate.dateTime(date, organisation) }
        rows = observations.map { item in
            let status = item.takenAt.map { "Taken " + when($0) } ?? (item.isOverdue(now: now) ? "Overdue" : "Due")
            var values = item.notTakenReason.map { "Not taken: " + $0 } ?? [
                item.pulse.map { "pulse \($0)" }, item.systolic.flatMap { s in item.diastolic.map { "BP \(s)/\($0)" } },
                item.respiratoryRate.map { "breathing \($0)/min" }, item.temperature.map { "\($0) °C" },
                item.oxygenSaturation.map { "SpO₂ \($0)%" }, item.consciousness?.label,
            ].compactMap { $0 }.joined(separator: ", ")
            if !item.concerns.isEmpty { values += ". Needs a doctor now: " + item.concerns.joined(separator: "; ") }
            return Row(due: when(item.dueAt), status: status, values: values)
        }
        let next = observations.first { $0.takenAt == nil }
        self.canRecord = canRecord && next != nil
        action = "/use-of-force/\(episodeId)/observations/\(next?.seq ?? 0)"
        nextDue = next.map { when($0.dueAt) } ?? ""
        func field(_ name: String, _ label: String, type: String = "text", hint: String? = nil, required: Bool = true) -> FormField {
            var field = FormField("obs-" + name, label, value: typed?[name] ?? "", hint: hint, type: type, required: required, errors: errors)
            field.formName = name
            return field
        }
        var taken = field("takenDate", "Date taken", type: "date")
        taken.error = errors["obs-takenAt"]
        fields = [taken, field("takenTime", "Time taken", type: "time"),
                  field("pulse", "Pulse (beats a minute)", type: "number"), field("systolic", "Blood pressure: systolic", type: "number"),
                  field("diastolic", "Blood pressure: diastolic", type: "number"),
                  field("respiratoryRate", "Respiratory rate (breaths a minute)", type: "number"),
                  field("temperature", "Temperature (°C)", hint: "For example 36.8"),
                  field("oxygenSaturation", "Oxygen saturation (%)", type: "number"),
                  field("notTakenReason", "If they could not be taken, why", hint: "For example: refused, or asleep and breathing normally", required: false),
                  field("notes", "Notes", required: false)]
        levels = [Choice(value: "", label: "Choose", selected: (typed?["consciousness"] ?? "").isEmpty)]
            + RapidTranquillisation.Consciousness.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: typed?["consciousness"] == $0.rawValue) }
        levelError = errors["obs-consciousness"]
    }
}
