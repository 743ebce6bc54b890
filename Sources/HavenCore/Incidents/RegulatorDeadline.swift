import Foundation

/// What an incident owes a regulator, and by when: RIDDOR under the England rule pack (REFERENCE §5, §15 B 11–12),
/// Cal/OSHA's §3342(g) 24- and 72-hour hospital reports under the California pack (§15 B 13). Worked out from
/// the report and its detail each time, so a change to the absence or the harm moves the deadline at once.
public struct RegulatorDeadline: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// RIDDOR report due (death, specified injury or over-seven-day).
        case riddor
        /// Day 8 after a time-off-work injury with no absence recorded: RIDDOR depends on it.
        case recordAbsence = "record-absence"
        case calOSHA24 = "cal-osha-24h"
        case calOSHA72 = "cal-osha-72h"
    }

    public var kind: Kind
    public var title: String
    public var dueAt: Date
    public var overdue: Bool

    /// The deadline an incident has now, or nil when it owes nothing (or was already reported: a regulator
    /// reference is recorded).
    public static func of(_ report: IncidentReport, rulePack: RulePack, timeZone: TimeZone, now: Date) -> RegulatorDeadline? {
        guard report.detail.regulatorReference.isEmpty else { return nil }
        switch rulePack {
        case .england: return riddor(report, timeZone: timeZone, now: now)
        case .california: return calOSHA(report, now: now)
        case .jointCommission: return nil
        }
    }

    static func riddor(_ report: IncidentReport, timeZone: TimeZone, now: Date) -> RegulatorDeadline? {
        let injured = [.firstAid, .medicalTreatment, .timeOffWork].contains(report.harm)
        guard injured, let day = CalendarDay(CalendarColumns(report.occurredAt, timeZone: timeZone).localDate) else { return nil }
        let today = CalendarDay(CalendarColumns(now, timeZone: timeZone).localDate) ?? day
        if let absence = report.detail.absenceDays {
            let facts = Riddor.Facts(accidentDate: day, injuredPerson: .worker, workRelated: report.perpetrator != .personalAcquaintance,
                                     death: false, specifiedInjury: false, incapacitationDays: absence, takenToHospital: false, physicalInjury: true)
            let assessment = Riddor.assess(facts)
            guard assessment.reportable, let by = assessment.reportBy else { return nil }
            return RegulatorDeadline(kind: .riddor, title: "RIDDOR report (over seven days' incapacity) due by \(by)",
                                     dueAt: endOfDay(by, timeZone), overdue: today > by)
        }
        // "Prompt on day 8": the over-seven-day question can be answered from the eighth day after the incident.
        let eighth = day.adding(days: 8)
        guard report.harm == .timeOffWork, today >= eighth else { return nil }
        let reportBy = day.adding(days: Riddor.overSevenDayReportDays)
        return RegulatorDeadline(kind: .recordAbsence, title: "Record the days off work: if more than 7, RIDDOR needs a report by \(reportBy)",
                                 dueAt: endOfDay(reportBy, timeZone), overdue: today > reportBy)
    }

    /// §3342(g): physical force against an employee by a patient or a companion, or any incident with a weapon.
    /// 24 hours when there is injury, a weapon or an urgent threat; 72 hours otherwise. Counted from the report.
    static func calOSHA(_ report: IncidentReport, now: Date) -> RegulatorDeadline? {
        let weapon = report.detail.characteristics.contains(.weapon) || !report.detail.weapon.isEmpty
        let force = [.physicalAssault, .attemptedAssault].contains(report.type)
            && [.patientOrServiceUser, .relativeOrVisitor].contains(report.perpetrator)
        guard force || weapon else { return nil }
        let urgent = weapon || report.harm != .none
        let due = report.reportedAt + (urgent ? 24 : 72) * 3600
        return RegulatorDeadline(kind: urgent ? .calOSHA24 : .calOSHA72,
                                 title: "Cal/OSHA report (§3342(g), \(urgent ? "24" : "72") hours)", dueAt: due, overdue: now > due)
    }

    static func endOfDay(_ day: CalendarDay, _ timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 23, minute: 59, second: 59)) ?? Date()
    }
}
