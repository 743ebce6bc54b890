import Foundation

/// A positive behaviour support plan for a patient known to be at risk of restrictive interventions
/// ("Positive and Proactive Care", REFERENCE §3: everyone at such risk needs one), with the date it is next reviewed.
public struct BehaviourSupportPlan: Sendable, Equatable, Codable {
    public var id: String
    public var organisationId: String
    public var unitId: String
    public var patientLocalId: String
    public var title: String
    /// The plan's strategies in brief: triggers, early signs, what helps, what the patient asks for.
    public var summary: String
    public var startsOn: String
    public var reviewOn: String
    /// Set when the plan stops applying (discharge, replaced by a new plan).
    public var endedOn: String?
    public var createdBy: String

    public init(id: String, organisationId: String, unitId: String, patientLocalId: String, title: String, summary: String,
                startsOn: String, reviewOn: String, endedOn: String? = nil, createdBy: String) {
        self.id = id; self.organisationId = organisationId; self.unitId = unitId; self.patientLocalId = patientLocalId
        self.title = title; self.summary = summary; self.startsOn = startsOn; self.reviewOn = reviewOn; self.endedOn = endedOn
        self.createdBy = createdBy
    }

    /// Started and not ended, on a local day (YYYY-MM-DD strings compare as dates).
    public func isCurrent(on today: String) -> Bool { startsOn <= today && (endedOn.map { $0 > today } ?? true) }
    public func reviewIsOverdue(on today: String) -> Bool { isCurrent(on: today) && reviewOn < today }

    /// A plan is reviewed at least once a year.
    public static let longestReviewDays = 366

    /// What a form or the API sent, checked; every problem at once.
    public static func checked(id: String, organisationId: String, createdBy: String, unitId: String?, patientLocalId: String?,
                               title: String?, summary: String?, startsOn: String?, reviewOn: String?, endedOn: String?) throws(FieldErrors)
        -> BehaviourSupportPlan
    {
        var errors = FieldErrors()
        let unit = (unitId ?? "").trimmingCharacters(in: .whitespaces)
        if unit.isEmpty { errors.add("unitId", "Choose the unit") }
        let patient = Validate.text(patientLocalId, field: "patientLocalId", label: "The patient's local identifier", required: true, max: 64, into: &errors)
        let name = Validate.text(title, field: "title", label: "A title for the plan", required: true, max: 200, into: &errors)
        let text = Validate.text(summary, field: "summary", label: "What the plan says", required: true, max: 4000, into: &errors)
        func day(_ value: String?, _ field: String, _ label: String, required: Bool) -> CalendarDay? {
            let trimmed = (value ?? "").trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { if required { errors.add(field, "Enter \(label)") }; return nil }
            guard let parsed = CalendarDay(trimmed) else { errors.add(field, "Enter \(label) as a real date, for example 2026-12-01"); return nil }
            return parsed
        }
        let start = day(startsOn, "startsOn", "the date the plan starts", required: true)
        let review = day(reviewOn, "reviewOn", "the date it is next reviewed", required: true)
        let end = day(endedOn, "endedOn", "the date it ended", required: false)
        if let start, let review {
            if review < start { errors.add("reviewOn", "The review date must be on or after the start") }
            else if review > start.adding(days: longestReviewDays) { errors.add("reviewOn", "Review the plan at least once a year") }
        }
        if let start, let end, end < start { errors.add("endedOn", "The end date must be on or after the start") }
        try errors.throwIfAny()
        return BehaviourSupportPlan(id: id, organisationId: organisationId, unitId: unit, patientLocalId: patient, title: name, summary: text,
                                    startsOn: start!.description, reviewOn: review!.description, endedOn: end?.description, createdBy: createdBy)
    }
}

extension UseOfForceRules {
    /// Three or more interventions within 30 days (REFERENCE §15 C 18: repeated interventions need a plan).
    public static let repeatedInterventions = 3
    public static let repeatedWindowDays = 30
    /// Counting stops here: the warning needs three, and a record must not cost more for a patient with a long history.
    public static let repeatedInterventionsCountedUpTo = 50

    public static func supportPlanWarning(interventionsInWindow: Int, hasCurrentPlan: Bool) -> String? {
        guard interventionsInWindow >= repeatedInterventions, !hasCurrentPlan else { return nil }
        let count = interventionsInWindow >= repeatedInterventionsCountedUpTo ? "\(repeatedInterventionsCountedUpTo) or more" : "\(interventionsInWindow)"
        return "This patient has had \(count) restrictive interventions in \(repeatedWindowDays) days and has no current behaviour support plan"
    }
}
