import Foundation

/// RIDDOR 2013 as it applies to work-related violence (REFERENCE §5, §15 B 11–12): whether an injury must be
/// reported to the HSE, under which category, and by which date. Pure rules: no I/O, no clock.
public enum Riddor {
    public enum InjuredPerson: String, CaseIterable, Codable, Sendable {
        case worker
        case nonWorker = "non-worker"
    }

    public enum Category: String, CaseIterable, Codable, Sendable {
        case death
        case specifiedInjury = "specified-injury"
        case overSevenDay = "over-seven-day"
        case nonWorkerHospital = "non-worker-hospital"
        case none
    }

    public struct Facts: Sendable, Equatable {
        public var accidentDate: CalendarDay
        public var injuredPerson: InjuredPerson
        /// Arose out of or in connection with work (not a personal dispute or a domestic matter).
        public var workRelated: Bool
        public var death: Bool
        /// A reg. 4 specified injury: fracture other than fingers, thumbs or toes; amputation; injury likely
        /// to reduce sight permanently; crush injury to head or torso; serious burns; and the rest of the list.
        public var specifiedInjury: Bool
        /// Days unable to do normal work, not counting the day of the accident, weekends and rest days included.
        public var incapacitationDays: Int
        /// For a person not at work: taken directly from the scene to hospital for treatment.
        public var takenToHospital: Bool
        public var physicalInjury: Bool
        /// For a person not at work: the accident happened on hospital premises (a specified injury there is reportable).
        public var onHospitalPremises: Bool

        public init(accidentDate: CalendarDay, injuredPerson: InjuredPerson, workRelated: Bool, death: Bool, specifiedInjury: Bool,
                    incapacitationDays: Int, takenToHospital: Bool, physicalInjury: Bool, onHospitalPremises: Bool = false) {
            self.accidentDate = accidentDate
            self.injuredPerson = injuredPerson
            self.workRelated = workRelated
            self.death = death
            self.specifiedInjury = specifiedInjury
            self.incapacitationDays = incapacitationDays
            self.takenToHospital = takenToHospital
            self.physicalInjury = physicalInjury
            self.onHospitalPremises = onHospitalPremises
        }
    }

    public struct Assessment: Sendable, Equatable {
        public var reportable: Bool
        public var category: Category
        /// The last day the report may reach the HSE, or nil when there is nothing to report.
        public var reportBy: CalendarDay?
        /// Over three days' incapacity: keep a record, but do not report.
        public var recordOnly: Bool
        public var reason: String
    }

    /// Deaths, specified injuries and non-worker hospital cases: notify without delay, report within 10 days.
    public static let urgentReportDays = 10
    /// Over-seven-day injuries: report within 15 days of the accident.
    public static let overSevenDayReportDays = 15

    public static func assess(_ facts: Facts) -> Assessment {
        let date = facts.accidentDate
        guard facts.workRelated else {
            return Assessment(reportable: false, category: .none, reportBy: nil, recordOnly: false, reason:
                "Not reportable: RIDDOR covers accidents arising out of or in connection with work, and a personal dispute or a domestic matter is not. Record it locally.")
        }
        if facts.death {
            return Assessment(reportable: true, category: .death, reportBy: date.adding(days: urgentReportDays), recordOnly: false, reason:
                "Reportable: a death from work-related violence. Notify the HSE without delay and send the report within 10 days of the incident.")
        }
        switch facts.injuredPerson {
        case .worker:
            if facts.specifiedInjury {
                return Assessment(reportable: true, category: .specifiedInjury, reportBy: date.adding(days: urgentReportDays), recordOnly: false, reason:
                    "Reportable: a specified injury to a worker. Notify the HSE without delay and send the report within 10 days of the incident.")
            }
            guard facts.physicalInjury else {
                return Assessment(reportable: false, category: .none, reportBy: nil, recordOnly: false, reason:
                    "Not reportable: there was no physical injury. Threats and verbal abuse are not RIDDOR-reportable, but record them: they show the trends that come before assaults.")
            }
            if facts.incapacitationDays > 7 {
                return Assessment(reportable: true, category: .overSevenDay, reportBy: date.adding(days: overSevenDayReportDays), recordOnly: false, reason:
                    "Reportable: the worker was unable to do their normal work for more than 7 days (not counting the day of the incident). Report within 15 days of the incident.")
            }
            if facts.incapacitationDays > 3 {
                return Assessment(reportable: false, category: .none, reportBy: nil, recordOnly: true, reason:
                    "Not reportable yet, but record it: more than 3 days' incapacity must be recorded. It becomes reportable if the absence goes beyond 7 days.")
            }
            return Assessment(reportable: false, category: .none, reportBy: nil, recordOnly: false, reason:
                "Not reportable: no death, no specified injury and no more than 3 days' incapacity. It becomes reportable if the absence goes beyond 7 days.")
        case .nonWorker:
            if facts.physicalInjury && facts.takenToHospital {
                return Assessment(reportable: true, category: .nonWorkerHospital, reportBy: date.adding(days: urgentReportDays), recordOnly: false, reason:
                    "Reportable: a person not at work was injured and taken directly to hospital for treatment. Notify the HSE without delay and send the report within 10 days.")
            }
            if facts.specifiedInjury && facts.onHospitalPremises {
                return Assessment(reportable: true, category: .nonWorkerHospital, reportBy: date.adding(days: urgentReportDays), recordOnly: false, reason:
                    "Reportable: a person not at work suffered a specified injury on hospital premises. Notify the HSE without delay and send the report within 10 days.")
            }
            return Assessment(reportable: false, category: .none, reportBy: nil, recordOnly: false, reason:
                "Not reportable: for a person not at work, RIDDOR asks only about a death, an injury taken directly to hospital for treatment, or a specified injury on hospital premises.")
        }
    }
}

/// A date without a time (YYYY-MM-DD), for deadlines counted in calendar days.
public struct CalendarDay: Sendable, Equatable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    private static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    /// Parses `YYYY-MM-DD`, refusing dates that do not exist (2026-02-30).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              let date = Self.calendar.date(from: DateComponents(year: year, month: month, day: day)),
              Self.calendar.component(.day, from: date) == day, Self.calendar.component(.month, from: date) == month else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day a date falls on in a time zone.
    public init(_ date: Date, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        year = parts.year!
        month = parts.month!
        day = parts.day!
    }

    /// Midnight at the start of this day in a time zone.
    public func start(in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: year, month: month, day: day))!
    }

    public func adding(days: Int) -> CalendarDay {
        let date = Self.calendar.date(from: DateComponents(year: year, month: month, day: day))!
        return CalendarDay(Self.calendar.date(byAdding: .day, value: days, to: date)!, in: Self.calendar.timeZone)
    }

    public var description: String { zeroPadded(year, 4) + "-" + zeroPadded(month, 2) + "-" + zeroPadded(day, 2) }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
