import Foundation
import HavenCore
import HavenData

/// The checks on a case's actions and support, shared by the case page and the API.
enum IncidentCaseInput {
    static func action(_ report: IncidentReport, description: String?, ownerId: String?, dueOn: String?, users: UserStore,
                       now: Date) async throws -> IncidentAction {
        var errors = FieldErrors()
        let text = Validate.text(description, field: "description", label: "Action", required: true, max: 2_000, into: &errors)
        let owner = (ownerId ?? "").isEmpty ? nil : ownerId
        if let owner {
            let user = try await users.find(id: owner, organisationId: report.organisationId)?.user
            if user == nil || !user!.active { errors.add("ownerId", "Choose an active member of staff as the owner") }
        }
        let due = (dueOn ?? "").trimmingCharacters(in: .whitespaces)
        if !due.isEmpty && CalendarDay(due) == nil { errors.add("dueOn", "Enter the due date as a real date, for example 2026-12-31") }
        try errors.throwIfAny()
        return IncidentAction(id: Identifier.make(), incidentId: report.id, description: text, ownerId: owner, dueOn: due.isEmpty ? nil : due,
                              doneAt: nil, createdAt: now)
    }

    static func support(_ report: IncidentReport, kind: String?, dueAt: String?) throws -> SupportItem {
        var errors = FieldErrors()
        let parsedKind = SupportKind(rawValue: kind ?? "")
        if parsedKind == nil { errors.add("kind", "Choose the kind of support: \(SupportKind.allCases.map(\.rawValue).joined(separator: ", "))") }
        let due = IncidentInput.apiTime(dueAt)
        if due.0 == nil { errors.add("dueAt", "dueAt must be an ISO 8601 date and time, like 2026-12-01T09:00:00Z") }
        try errors.throwIfAny()
        return SupportItem(id: Identifier.make(), incidentId: report.id, kind: parsedKind!, dueAt: due.0!, outcome: nil, note: "", doneAt: nil)
    }

    static func supportOutcome(_ outcome: String?, note: String?) throws -> (SupportOutcome, String) {
        var errors = FieldErrors()
        let parsed = SupportOutcome(rawValue: outcome ?? "")
        if parsed == nil { errors.add("outcome", "Choose how it ended: \(SupportOutcome.allCases.map(\.rawValue).joined(separator: ", "))") }
        let text = Validate.text(note, field: "note", label: "Note", required: false, max: 2_000, into: &errors)
        try errors.throwIfAny()
        return (parsed!, text)
    }
}
