import Foundation
import HavenCore

/// Reads a use-of-force body into a draft. Only the fields present are applied, so the same reader serves a new
/// record (from an empty draft) and a correction (from the stored record's draft). The field names are the
/// draft's, so an error from the statutory checks names the same field the caller sent.
enum UseOfForceInput {
    // Key paths are immutable values; Swift 6 does not yet mark WritableKeyPath Sendable.
    nonisolated(unsafe) static let textFields: [(String, WritableKeyPath<UseOfForceDraft, String?>)] = [
        ("unitId", \.unitId), ("reason", \.reason), ("place", \.place), ("description", \.description),
        ("nonStaffReason", \.nonStaffReason), ("outcome", \.outcome), ("harm", \.harm), ("effortsToAvoid", \.effortsToAvoid),
        ("carePlanContactsNotified", \.carePlanContactsNotified), ("patientLocalId", \.patientLocalId),
        ("patientName", \.patientName), ("nhsNumber", \.nhsNumber), ("mentalDisorder", \.mentalDisorder),
        ("characteristicsStatus", \.characteristicsStatus), ("characteristicsNote", \.characteristicsNote),
        ("learningDisabilityOrAutism", \.learningDisabilityOrAutism), ("detentionSection", \.detentionSection),
        ("proneJustification", \.proneJustification), ("incidentId", \.incidentId),
        ("policeBodyCameras", \.policeBodyCameras), ("policeForce", \.policeForce),
        ("policeBodyCameraReason", \.policeBodyCameraReason), ("footageReference", \.footageReference),
    ]
    nonisolated(unsafe) static let flagFields: [(String, WritableKeyPath<UseOfForceDraft, Bool?>)] = [
        ("nonStaffInvolved", \.nonStaffInvolved), ("patientNameNotKnown", \.patientNameNotKnown),
        ("nhsNumberNotKnown", \.nhsNumberNotKnown), ("mentalDisorderNotKnown", \.mentalDisorderNotKnown),
        ("detained", \.detained), ("confirmLongRestraint", \.confirmLongRestraint), ("confirmOverlap", \.confirmOverlap),
    ]

    /// Whether a body names any field of the record itself (a PATCH may carry only a review).
    static func sendsAnyRecordField(_ input: JSONInput) -> Bool {
        let keys = textFields.map(\.0) + flagFields.map(\.0) + ["interventions", "staff", "characteristics"]
        return keys.contains { input.has($0) }
    }

    /// Applies the fields of `input` to `draft`; type errors are left in `input` for `finish()`.
    static func apply(_ input: inout JSONInput, to draft: inout UseOfForceDraft) {
        for (key, path) in textFields where input.has(key) { draft[keyPath: path] = input.string(key) }
        for (key, path) in flagFields where input.has(key) { draft[keyPath: path] = input.bool(key) }
        if input.has("interventions"), let items = input.objects("interventions") {
            draft.interventions = items.enumerated().map { index, fields in
                var item = JSONInput(object: fields, prefix: "interventions[\(index)].")
                let (start, startProblem) = IncidentInput.apiTime(item.string("startedAt"), field: "startedAt")
                let (end, endProblem) = IncidentInput.apiTime(item.string("endedAt"), field: "endedAt")
                let intervention = UseOfForceDraft.InterventionDraft(
                    type: item.string("type"), startedAt: start, endedAt: end, position: item.string("position"),
                    plannedInCarePlan: item.bool("plannedInCarePlan"), painBased: item.bool("painBased"))
                var problems = item.problems()
                if let startProblem { problems.add("interventions[\(index)].startedAt", startProblem) }
                if let endProblem { problems.add("interventions[\(index)].endedAt", endProblem) }
                input.absorb(problems)
                return intervention
            }
        }
        if input.has("staff"), let items = input.objects("staff") {
            draft.staff = items.enumerated().map { index, fields in
                var item = JSONInput(object: fields, prefix: "staff[\(index)].")
                let person = StaffInvolved(name: item.string("name") ?? "", jobTitle: item.string("jobTitle") ?? "")
                input.absorb(item.problems())
                return person
            }
        }
        if input.has("characteristics"), let fields = input.object("characteristics") {
            var codes: [String: String] = [:]
            for (key, value) in fields {
                if case .string(let code) = value { codes[key] = code }
                else if value != .null { input.absorb(FieldErrors("characteristics.\(key)", "\(key) must be a string code")) }
            }
            draft.characteristics = codes
        }
    }
}
