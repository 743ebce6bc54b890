import Foundation

/// The kinds of record Haven keeps for a set time and then anonymises (REFERENCE §15 A 7). Each feature that
/// owns such a record adds a case here; its period is then set on the same page and purged by the same job.
public enum RetainedRecord: String, CaseIterable, Codable, Sendable {
    case incidents
    case useOfForce = "use-of-force"
    /// Positive behaviour support plans (issue 5): kept like the use-of-force records they are written to prevent.
    case behaviourSupportPlans = "behaviour-support-plans"
    /// Short records of force the organisation's policy counts as negligible (s6(2)–(3)).
    case negligibleForce = "negligible-force"

    /// The name of the field in the API body and the form.
    public var field: String {
        switch self {
        case .incidents: "incidents"
        case .useOfForce: "useOfForce"
        case .behaviourSupportPlans: "behaviourSupportPlans"
        case .negligibleForce: "negligibleForce"
        }
    }

    public var displayName: String {
        switch self {
        case .incidents: "Incident reports"
        case .useOfForce: "Use-of-force records"
        case .behaviourSupportPlans: "Behaviour support plans"
        case .negligibleForce: "Negligible-force records"
        }
    }
}

/// How long a record must be kept under a rule pack, what Haven suggests, and why.
public struct RetentionRule: Sendable, Equatable {
    /// Below this the law is broken: a setting under it is refused, and the purge never uses less.
    public var minimumYears: Int
    public var defaultYears: Int
    /// The source of the minimum and the reason for the default, shown beside the setting.
    public var basis: String
}

public enum RetentionPolicy {
    /// Longer than any record needs to be kept; a bigger number is a typing mistake.
    public static let maximumYears = 100

    public static func rule(for record: RetainedRecord, rulePack: RulePack) -> RetentionRule {
        switch (record, rulePack) {
        case (.incidents, .england):
            // RIDDOR reg. 12 asks for the accident record to be kept 3 years; the default follows the NHS records
            // management code's 10 years for (non-serious) incident records, which also outlasts the 3-year
            // limitation period for injury claims. The statistics survive the purge, so a long default buys little.
            RetentionRule(minimumYears: 3, defaultYears: 10,
                          basis: "At least 3 years (RIDDOR reg. 12). Haven suggests 10, as the NHS records management code does for incident records.")
        case (.incidents, .california), (.incidents, .jointCommission):
            RetentionRule(minimumYears: 5, defaultYears: 5,
                          basis: "At least 5 years: the violent incident log and investigations (Title 8 §3342(h), SB 553).")
        case (.useOfForce, .england):
            // The Use of Force Act asks for 3 years; 10 keeps a use of force as long as the incident it is part of.
            RetentionRule(minimumYears: 3, defaultYears: 10,
                          basis: "At least 3 years from the date made (Mental Health Units (Use of Force) Act 2018 s6(6)). Haven suggests 10, the same as incidents.")
        case (.useOfForce, .california), (.useOfForce, .jointCommission):
            RetentionRule(minimumYears: 5, defaultYears: 5,
                          basis: "At least 5 years, kept with the violent incident record it belongs to (Title 8 §3342(h)).")
        case (.behaviourSupportPlans, .england):
            // No statute names a period for the plan; it explains the records of force it was written to prevent, so it
            // is kept at least as long as they are, counted from the day it stopped applying.
            RetentionRule(minimumYears: 3, defaultYears: 10,
                          basis: "At least 3 years after the plan ended (or was last due for review), as long as the use-of-force records it belongs with (s6(6)). Haven suggests 10.")
        case (.negligibleForce, .england):
            RetentionRule(minimumYears: 3, defaultYears: 10,
                          basis: "At least 3 years from the date made, like the full use-of-force records (s6(6)). Haven suggests 10.")
        case (.behaviourSupportPlans, .california), (.behaviourSupportPlans, .jointCommission),
             (.negligibleForce, .california), (.negligibleForce, .jointCommission):
            RetentionRule(minimumYears: 5, defaultYears: 5,
                          basis: "At least 5 years, like the violent incident records they belong with (Title 8 §3342(h)).")
        }
    }

    /// The period the purge uses: the organisation's setting, but never less than the law asks under the rule pack
    /// in force now (a setting made under a laxer pack does not survive a change of pack).
    public static func effectiveYears(_ setting: Int?, for record: RetainedRecord, rulePack: RulePack) -> Int {
        let rule = rule(for: record, rulePack: rulePack)
        return max(setting ?? rule.defaultYears, rule.minimumYears)
    }

    /// Checks a typed period (a form field or a JSON number as text); the error names the record's field.
    public static func years(_ text: String?, for record: RetainedRecord, rulePack: RulePack, into errors: inout FieldErrors) -> Int? {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            errors.add(record.field, "Enter how many years to keep \(record.displayName.lowercased())")
            return nil
        }
        guard let years = Int(trimmed) else {
            errors.add(record.field, "\(record.displayName) retention must be a whole number of years")
            return nil
        }
        return check(years, for: record, rulePack: rulePack, into: &errors)
    }

    public static func check(_ years: Int, for record: RetainedRecord, rulePack: RulePack, into errors: inout FieldErrors) -> Int? {
        let rule = rule(for: record, rulePack: rulePack)
        if years < 0 {
            errors.add(record.field, "\(record.displayName) retention cannot be negative")
            return nil
        }
        if years < rule.minimumYears {
            errors.add(record.field, "\(record.displayName) must be kept at least \(rule.minimumYears) years under the \(rulePack.displayName) rule pack")
            return nil
        }
        if years > maximumYears {
            errors.add(record.field, "\(record.displayName) retention must be \(maximumYears) years or fewer")
            return nil
        }
        return years
    }

    /// Records reported before this moment are past a period of `years` at `now` (calendar years, so a leap day
    /// does not shift the boundary).
    public static func cutoff(now: Date, years: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar.date(byAdding: .year, value: -years, to: now) ?? now
    }
}
