import Foundation
import HavenCore

/// The use-of-force form as the browser sends it: plain named values. Rows of interventions and staff are numbered
/// (`interventions[0].type`, `staff[1].name`) and a blank row is left out, so the page works without JavaScript:
/// "Add another" sends the form back with one more row.
struct UseOfForceForm: Sendable {
    var values: [String: String]

    static let firstInterventionRows = 2, firstStaffRows = 3, maximumRows = 20

    init(values: [String: String] = [:]) { self.values = values }

    init(_ form: FormInput) {
        var values: [String: String] = [:]
        for name in Self.names(interventionRows: Self.rows(form["interventionRows"], Self.firstInterventionRows),
                               staffRows: Self.rows(form["staffRows"], Self.firstStaffRows)) {
            if let value = form[name] { values[name] = value }
        }
        self.init(values: values)
        compactRows()
    }

    /// Moves filled rows up over blank ones, so row N of the form is item N of the record and an error about
    /// `interventions[1]` stands beside the second row the person filled in.
    mutating func compactRows() {
        func compact(_ prefix: String, rows: Int, fields: [String]) {
            var filled: [[String: String]] = []
            for row in 0..<rows {
                var item: [String: String] = [:]
                for field in fields { if let value = values.removeValue(forKey: "\(prefix)[\(row)].\(field)"), !value.isEmpty { item[field] = value } }
                if !item.isEmpty { filled.append(item) }
            }
            for (row, item) in filled.enumerated() { for (field, value) in item { values["\(prefix)[\(row)].\(field)"] = value } }
        }
        compact("interventions", rows: interventionRows, fields: Self.interventionFields)
        compact("staff", rows: staffRows, fields: ["name", "jobTitle"])
    }

    subscript(_ name: String) -> String { values[name] ?? "" }
    func checked(_ name: String) -> Bool { !self[name].isEmpty }

    var interventionRows: Int { Self.rows(values["interventionRows"], Self.firstInterventionRows) }
    var staffRows: Int { Self.rows(values["staffRows"], Self.firstStaffRows) }

    static func rows(_ text: String?, _ fallback: Int) -> Int {
        min(maximumRows, max(1, text.flatMap { Int($0) } ?? fallback))
    }

    static let singleFields = [
        "unitId", "place", "reason", "incidentId", "interventionRows", "staffRows", "proneJustification", "confirmLongRestraint",
        "description", "effortsToAvoid", "outcome", "harm", "nonStaffInvolved", "nonStaffReason", "patientLocalId", "patientName",
        "patientNameNotKnown", "nhsNumber", "nhsNumberNotKnown", "mentalDisorder", "mentalDisorderNotKnown", "detained",
        "detentionSection", "learningDisabilityOrAutism", "characteristicsStatus", "characteristicsNote", "carePlanContactsNotified",
        "confirmOverlap", "policeBodyCameras", "policeForce", "policeBodyCameraReason", "footageReference",
    ]
    static let interventionFields = ["type", "startDate", "startTime", "endDate", "endTime", "position", "planned", "painBased"]

    /// Every name the form may send, so nothing else is read.
    static func names(interventionRows: Int, staffRows: Int) -> [String] {
        singleFields
            + (0..<interventionRows).flatMap { row in interventionFields.map { "interventions[\(row)].\($0)" } }
            + (0..<staffRows).flatMap { row in ["staff[\(row)].name", "staff[\(row)].jobTitle"] }
            + ProtectedCharacteristic.allCases.map { "characteristics.\($0.rawValue)" }
    }

    /// The draft the statutory checks read, and the problems of the form itself (a time that cannot be read).
    func draft(timeZone: TimeZone) -> (UseOfForceDraft, FieldErrors) {
        var draft = UseOfForceDraft()
        var errors = FieldErrors()
        func text(_ name: String) -> String? { self[name].isEmpty ? nil : self[name] }
        func yesNo(_ name: String) -> Bool? { self[name] == "yes" ? true : self[name] == "no" ? false : nil }
        draft.unitId = text("unitId"); draft.place = text("place"); draft.reason = text("reason"); draft.incidentId = text("incidentId")
        for row in 0..<interventionRows {
            let field = { (name: String) in self["interventions[\(row)].\(name)"] }
            let blank = Self.interventionFields.allSatisfy { field($0).isEmpty }
            if blank { continue }
            let index = draft.interventions.count  // equal to row once the rows are compacted
            let (start, startProblem) = IncidentInput.formTime(date: field("startDate"), time: field("startTime"), timeZone: timeZone)
            let (end, endProblem) = IncidentInput.formTime(date: field("endDate"), time: field("endTime"), timeZone: timeZone)
            if let startProblem { errors.add("interventions[\(index)].startedAt", "Start: " + startProblem) }
            if let endProblem { errors.add("interventions[\(index)].endedAt", "End: " + endProblem) }
            draft.interventions.append(.init(type: field("type").isEmpty ? nil : field("type"), startedAt: start, endedAt: end,
                                             position: field("position"), plannedInCarePlan: yesNo("interventions[\(row)].planned"),
                                             painBased: !field("painBased").isEmpty))
        }
        for row in 0..<staffRows {
            let name = self["staff[\(row)].name"], title = self["staff[\(row)].jobTitle"]
            if name.isEmpty && title.isEmpty { continue }
            draft.staff.append(StaffInvolved(name: name, jobTitle: title))
        }
        draft.proneJustification = text("proneJustification")
        draft.confirmLongRestraint = checked("confirmLongRestraint")
        draft.confirmOverlap = checked("confirmOverlap")
        draft.description = text("description"); draft.effortsToAvoid = text("effortsToAvoid"); draft.outcome = text("outcome")
        draft.harm = text("harm")
        draft.nonStaffInvolved = yesNo("nonStaffInvolved"); draft.nonStaffReason = text("nonStaffReason")
        draft.policeBodyCameras = text("policeBodyCameras"); draft.policeForce = text("policeForce")
        draft.policeBodyCameraReason = text("policeBodyCameraReason"); draft.footageReference = text("footageReference")
        draft.patientLocalId = text("patientLocalId")
        draft.patientName = text("patientName"); draft.patientNameNotKnown = checked("patientNameNotKnown")
        draft.nhsNumber = text("nhsNumber"); draft.nhsNumberNotKnown = checked("nhsNumberNotKnown")
        draft.mentalDisorder = text("mentalDisorder"); draft.mentalDisorderNotKnown = checked("mentalDisorderNotKnown")
        draft.detained = yesNo("detained"); draft.detentionSection = text("detentionSection")
        draft.learningDisabilityOrAutism = text("learningDisabilityOrAutism")
        draft.characteristicsStatus = text("characteristicsStatus")
        for characteristic in ProtectedCharacteristic.allCases {
            let code = self["characteristics.\(characteristic.rawValue)"]
            if !code.isEmpty && code != ProtectedCharacteristic.notKnown { draft.characteristics[characteristic.rawValue] = code }
        }
        draft.characteristicsNote = text("characteristicsNote")
        draft.carePlanContactsNotified = text("carePlanContactsNotified")
        return (draft, errors)
    }

    /// The form filled in from a saved record, for a correction.
    init(_ episode: UseOfForceEpisode, timeZone: TimeZone) {
        let draft = UseOfForceDraft(episode)
        var values: [String: String] = [:]
        func set(_ name: String, _ value: String?) { if let value, !value.isEmpty { values[name] = value } }
        func yesNo(_ value: Bool?) -> String? { value.map { $0 ? "yes" : "no" } }
        set("unitId", draft.unitId); set("place", draft.place); set("reason", draft.reason); set("incidentId", draft.incidentId)
        values["interventionRows"] = String(max(Self.firstInterventionRows, draft.interventions.count))
        values["staffRows"] = String(max(Self.firstStaffRows, draft.staff.count))
        for (row, item) in draft.interventions.enumerated() {
            let prefix = "interventions[\(row)]."
            set(prefix + "type", item.type)
            if let start = item.startedAt { (values[prefix + "startDate"], values[prefix + "startTime"]) = Self.local(start, timeZone) }
            if let end = item.endedAt { (values[prefix + "endDate"], values[prefix + "endTime"]) = Self.local(end, timeZone) }
            set(prefix + "position", item.position); set(prefix + "planned", yesNo(item.plannedInCarePlan))
            if item.painBased == true { values[prefix + "painBased"] = "on" }
        }
        for (row, person) in draft.staff.enumerated() { set("staff[\(row)].name", person.name); set("staff[\(row)].jobTitle", person.jobTitle) }
        set("proneJustification", draft.proneJustification)
        if draft.confirmLongRestraint == true { values["confirmLongRestraint"] = "on" }
        set("description", draft.description); set("effortsToAvoid", draft.effortsToAvoid); set("outcome", draft.outcome); set("harm", draft.harm)
        set("nonStaffInvolved", yesNo(draft.nonStaffInvolved)); set("nonStaffReason", draft.nonStaffReason)
        set("policeBodyCameras", draft.policeBodyCameras); set("policeForce", draft.policeForce)
        set("policeBodyCameraReason", draft.policeBodyCameraReason); set("footageReference", draft.footageReference)
        set("patientLocalId", draft.patientLocalId); set("patientName", draft.patientName)
        if draft.patientNameNotKnown == true { values["patientNameNotKnown"] = "on" }
        set("nhsNumber", draft.nhsNumber)
        if draft.nhsNumberNotKnown == true { values["nhsNumberNotKnown"] = "on" }
        set("mentalDisorder", draft.mentalDisorder)
        if draft.mentalDisorderNotKnown == true { values["mentalDisorderNotKnown"] = "on" }
        set("detained", yesNo(draft.detained)); set("detentionSection", draft.detentionSection)
        set("learningDisabilityOrAutism", draft.learningDisabilityOrAutism); set("characteristicsStatus", draft.characteristicsStatus)
        for (key, code) in draft.characteristics { set("characteristics.\(key)", code) }
        set("characteristicsNote", draft.characteristicsNote); set("carePlanContactsNotified", draft.carePlanContactsNotified)
        self.init(values: values)
    }

    /// A moment as the date and time boxes show it, in the organisation's time zone.
    static func local(_ date: Date, _ timeZone: TimeZone) -> (String, String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return (zeroPadded(parts.year!, 4) + "-" + zeroPadded(parts.month!, 2) + "-" + zeroPadded(parts.day!, 2),
                zeroPadded(parts.hour!, 2) + ":" + zeroPadded(parts.minute!, 2))
    }
}
