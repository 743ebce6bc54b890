import Foundation

/// One row of the violent incident log (SB 553, Labor Code §6401.9; Title 8 §3342(d); REFERENCE §10.1–10.2 and
/// §15 A 3–4 and 6). It is built so that it carries no personal identifier: no reporter, no patient identifier,
/// no witnesses, no crime reference, no record id, and free text passes through `Redaction`. The same log is the
/// redacted export staff-side representatives are entitled to, so there is one builder for both.
public struct ViolentIncidentLogEntry: Codable, Sendable, Equatable {
    /// YYYY-MM-DD and HH:mm in the organisation's time zone.
    public var date: String
    public var time: String
    public var timeZone: String
    public var site: String
    public var unit: String
    public var specificArea: String
    /// 1 to 4 (`Perpetrator.usWorkplaceViolenceType`).
    public var violenceType: Int
    public var perpetratorClassification: String
    public var incidentType: String
    public var description: String
    public var circumstances: [String]
    public var characteristics: [String]
    public var weapon: String
    public var contributingFactors: [String]
    public var harm: String
    public var injuries: String
    public var bodyParts: [String]
    public var policeAttended: Bool
    public var actionsTaken: String
    public var completedByName: String
    public var completedByJobTitle: String
    public var completedOn: String

    /// `calendar` is set to the organisation's time zone (made once per export, not per row).
    public init(_ report: IncidentReport, site: String, unit: String, calendar: Calendar) {
        let detail = report.detail
        // What the report itself knows to be identifying is taken out of every free-text field.
        let known = [detail.patientIdentifier, detail.police.crimeReference] + Redaction.names(in: detail.witnesses)
        func scrub(_ text: String) -> String { Redaction.scrub(text, removing: known) }
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: report.occurredAt)
        date = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        time = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        timeZone = calendar.timeZone.identifier
        self.site = site
        self.unit = unit
        specificArea = scrub(report.area)
        violenceType = report.perpetrator.usWorkplaceViolenceType
        perpetratorClassification = report.perpetrator.logClassification
        incidentType = report.type.displayName
        // A confidential HR case is logged (the log must hold every incident) without its words, which could
        // identify the people involved however they are scrubbed.
        description = report.confidential ? "Confidential case: the details are held by HR" : scrub(report.description)
        circumstances = detail.circumstances.map(\.displayName)
        characteristics = detail.characteristics.map(\.displayName)
        weapon = scrub(detail.weapon)
        contributingFactors = detail.contributingFactors.map(\.displayName)
        harm = report.harm.displayName
        injuries = scrub(detail.injuries)
        bodyParts = detail.bodyParts.map(\.displayName)
        policeAttended = detail.police.attended
        actionsTaken = scrub(detail.actionsTaken)
        // The person completing the log is named by law (SB 553); they are staff acting in that role.
        completedByName = detail.completedByName
        completedByJobTitle = detail.completedByJobTitle
        completedOn = detail.completedOn
    }

    /// The CSV headings, in the order of `values`.
    public static let headings = [
        "date", "time", "time_zone", "site", "unit", "specific_area", "violence_type", "perpetrator_classification",
        "incident_type", "description", "circumstances", "characteristics", "weapon", "contributing_factors", "harm",
        "injuries", "body_parts", "police_attended", "actions_taken", "completed_by_name", "completed_by_job_title", "completed_on",
    ]

    /// The row as text in the order of `headings`; lists are joined with "; ".
    public var values: [String] {
        [date, time, timeZone, site, unit, specificArea, String(violenceType), perpetratorClassification,
         incidentType, description, circumstances.joined(separator: "; "), characteristics.joined(separator: "; "), weapon,
         contributingFactors.joined(separator: "; "), harm, injuries, bodyParts.joined(separator: "; "), policeAttended ? "yes" : "no",
         actionsTaken, completedByName, completedByJobTitle, completedOn]
    }
}

extension Perpetrator {
    /// The perpetrator's classification as the log states it (SB 553: stranger, customer or client, employee,
    /// relative…), in the third person rather than the reporter's "someone I know".
    public var logClassification: String {
        switch self {
        case .patientOrServiceUser: "Patient or service user"
        case .relativeOrVisitor: "Relative or visitor of a patient"
        case .memberOfThePublic: "Member of the public (stranger)"
        case .colleague: "Employee (colleague)"
        case .manager: "Employee (manager)"
        case .personalAcquaintance: "Personal relationship with the employee (partner, relative, friend)"
        }
    }
}
