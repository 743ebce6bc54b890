import Foundation
import HavenCore
import HavenData

/// The rows of each use-of-force download. CSV fields go through `IncidentExport.csvField` (quoting and formula
/// defusing), the one CSV writer Haven has.
struct UseOfForceExportRows: Sendable {
    let unitCodes: [String: String]
    let calendar: Calendar
    let viewer: Actor
    /// For the anonymised file: its own counts per unit and month, and the threshold below which a value is "*".
    var counts = PatientValueCounts()
    var smallNumbers = SmallNumbers.standard

    static let characteristicColumns = ProtectedCharacteristic.allCases.map { ProtectedCharacteristicColumns.column($0).dropFirst(3) }
        .map(String.init)

    /// One row per restrictive intervention, with the MHSDS v5 restrictive intervention type fields (MHS515: type code,
    /// start and end date and time in local time) and the patient's local identifier, never the name or NHS number.
    static let mhsdsHeader = ["LocalPatientId", "RestrictiveIntIncID", "RestrictiveIntType", "RestrictiveIntTypeDesc",
                              "StartDateRestrictiveIntType", "StartTimeRestrictiveIntType", "EndDateRestrictiveIntType",
                              "EndTimeRestrictiveIntType", "RestrictiveIntDurationMinutes", "UnitCode"].joined(separator: ",") + "\r\n"

    func mhsds(_ stored: StoredUseOfForce) -> String {
        let episode = stored.episode
        return episode.interventions.map { intervention in
            let (startDate, startTime) = local(intervention.startedAt), (endDate, endTime) = local(intervention.endedAt)
            return csvLine([episode.patient.localIdentifier, episode.id, intervention.type.code, intervention.type.label, startDate, startTime,
                            endDate, endTime, String(UseOfForceRates.wholeMinutes(intervention.durationSeconds)), unitCodes[episode.unitId] ?? ""])
        }.joined()
    }

    static let csvHeader = (["episode_id", "unit_code", "intervention", "type", "type_label", "started_at", "ended_at", "duration_seconds",
                             "position", "planned_in_care_plan", "pain_based", "harm", "patient_local_id", "detained", "detention_section",
                             "learning_disability_or_autism"] + characteristicColumns + ["alerts", "reviewed_at", "police_body_cameras"]).joined(separator: ",") + "\r\n"

    func csv(_ stored: StoredUseOfForce) -> String {
        let episode = stored.episode, patient = episode.patient
        let alerts = Set(UseOfForceRules.alerts(for: episode).map(\.kind.rawValue)).sorted().joined(separator: " ")
        return episode.interventions.enumerated().map { index, intervention in
            csvLine([episode.id, unitCodes[episode.unitId] ?? "", String(index + 1), intervention.type.code, intervention.type.label,
                     intervention.startedAt.iso8601, intervention.endedAt.iso8601, String(intervention.durationSeconds),
                     intervention.position ?? "", yesNo(intervention.plannedInCarePlan), yesNo(intervention.painBased), episode.harm.rawValue,
                     patient.localIdentifier, yesNo(patient.detained), patient.detentionSection ?? "", patient.learningDisabilityOrAutism.rawValue]
                    + ProtectedCharacteristic.allCases.map { patient.characteristics[$0] }
                    + [alerts, stored.reviewedAt?.iso8601 ?? "", episode.police.bodyCameras?.rawValue ?? ""])
        }.joined()
    }

    func jsonLine(_ stored: StoredUseOfForce) throws -> String {
        String(decoding: try JSONEncoder.api.encode(UseOfForceJSON(stored, viewer: viewer)), as: UTF8.self) + "\n"
    }

    /// Nothing that names or points to a person or a record: the month rather than the date and time, the unit's
    /// code, and numbers within the file instead of ids.
    static let anonymisedHeader = (["episode", "month", "unit_code", "intervention", "type", "type_label", "duration_minutes",
                                    "planned_in_care_plan", "pain_based", "harm", "detained", "learning_disability_or_autism"]
                                   + characteristicColumns).joined(separator: ",") + "\r\n"

    /// What the anonymised file says about the patient: each value as recorded, or "*" when few episodes of the unit
    /// and month in the file share it (small-number suppression), so a rare characteristic does not point to a person.
    func publishedValues(_ episode: UseOfForceEpisode) -> [String: String] {
        let patient = episode.patient, unit = episode.unitId, month = month(episode.startedAt)
        var values = ["harm": episode.harm.rawValue, "detained": yesNo(patient.detained),
                      "learningDisabilityOrAutism": patient.learningDisabilityOrAutism.rawValue]
        for characteristic in ProtectedCharacteristic.allCases { values[characteristic.rawValue] = patient.characteristics[characteristic] }
        for (field, value) in values where smallNumbers.hides(counts.count(unit: unit, month: month, field: field, value: value)) {
            values[field] = SmallNumbers.marker
        }
        return values
    }

    func anonymisedCSV(_ stored: StoredUseOfForce, number: Int) -> String {
        let episode = stored.episode
        let values = publishedValues(episode)
        return episode.interventions.enumerated().map { index, intervention in
            csvLine([String(number), month(episode.startedAt), unitCodes[episode.unitId] ?? "", String(index + 1), intervention.type.code,
                     intervention.type.label, String(UseOfForceRates.wholeMinutes(intervention.durationSeconds)),
                     yesNo(intervention.plannedInCarePlan), yesNo(intervention.painBased), values["harm"]!, values["detained"]!,
                     values["learningDisabilityOrAutism"]!] + ProtectedCharacteristic.allCases.map { values[$0.rawValue]! })
        }.joined()
    }

    struct AnonymisedEpisode: Encodable {
        struct Item: Encodable {
            var type, typeLabel: String
            var durationMinutes: Int
            var plannedInCarePlan, painBased: Bool
        }
        var episode: Int
        /// "yes", "no" or "*" (suppressed), as in the CSV.
        var month, unitCode, harm, learningDisabilityOrAutism, detained: String
        var characteristics: [String: String]
        var interventions: [Item]
    }

    func anonymisedJSONLine(_ stored: StoredUseOfForce, number: Int) throws -> String {
        let episode = stored.episode
        let values = publishedValues(episode)
        let value = AnonymisedEpisode(
            episode: number, month: month(episode.startedAt), unitCode: unitCodes[episode.unitId] ?? "", harm: values["harm"]!,
            learningDisabilityOrAutism: values["learningDisabilityOrAutism"]!, detained: values["detained"]!,
            characteristics: Dictionary(uniqueKeysWithValues: ProtectedCharacteristic.allCases.map { ($0.rawValue, values[$0.rawValue]!) }),
            interventions: episode.interventions.map {
                .init(type: $0.type.code, typeLabel: $0.type.label, durationMinutes: UseOfForceRates.wholeMinutes($0.durationSeconds),
                      plannedInCarePlan: $0.plannedInCarePlan, painBased: $0.painBased)
            })
        return String(decoding: try JSONEncoder.api.encode(value), as: UTF8.self) + "\n"
    }

    func csvLine(_ fields: [String]) -> String { fields.map(IncidentExport.csvField).joined(separator: ",") + "\r\n" }
    func yesNo(_ value: Bool) -> String { value ? "yes" : "no" }

    /// YYYY-MM-DD and HH:mm:ss in the organisation's time zone.
    func local(_ date: Date) -> (String, String) {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return (zeroPadded(parts.year!, 4) + "-" + zeroPadded(parts.month!, 2) + "-" + zeroPadded(parts.day!, 2),
                zeroPadded(parts.hour!, 2) + ":" + zeroPadded(parts.minute!, 2) + ":" + zeroPadded(parts.second!, 2))
    }

    func month(_ date: Date) -> String { CalendarMonth(date, in: calendar.timeZone).description }
}
