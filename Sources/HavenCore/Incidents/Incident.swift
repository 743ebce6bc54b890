import Foundation

/// What happened: the whole HSE definition, not only injuries (REFERENCE §15 A 1).
public enum IncidentType: String, CaseIterable, Codable, Sendable {
    case physicalAssault = "physical-assault"
    case attemptedAssault = "attempted-assault"
    case threat
    case verbalAbuse = "verbal-abuse"
    case sexualHarassmentOrAssault = "sexual-harassment-or-assault"
    case hateAbuse = "hate-abuse"
    case onlineOrWrittenAbuse = "online-or-written-abuse"
    case damageToProperty = "damage-to-property"
    case other

    public var displayName: String {
        switch self {
        case .physicalAssault: "Physical assault"
        case .attemptedAssault: "Attempted assault"
        case .threat: "Threat"
        case .verbalAbuse: "Verbal abuse"
        case .sexualHarassmentOrAssault: "Sexual harassment or assault"
        case .hateAbuse: "Hate abuse (race, religion, disability, sexuality or another characteristic)"
        case .onlineOrWrittenAbuse: "Online or written abuse"
        case .damageToProperty: "Damage to property"
        case .other: "Something else"
        }
    }
}

/// Who did it (REFERENCE §15 A 2).
public enum Perpetrator: String, CaseIterable, Codable, Sendable {
    case patientOrServiceUser = "patient-or-service-user"
    case relativeOrVisitor = "relative-or-visitor"
    case memberOfThePublic = "member-of-the-public"
    case colleague
    case manager
    case personalAcquaintance = "personal-acquaintance"

    public var displayName: String {
        switch self {
        case .patientOrServiceUser: "A patient or service user"
        case .relativeOrVisitor: "A relative or visitor"
        case .memberOfThePublic: "A member of the public"
        case .colleague: "A colleague"
        case .manager: "A manager"
        case .personalAcquaintance: "Someone I know personally (partner, relative, friend)"
        }
    }

    /// The US workplace-violence type (SB 553, §10.1): 1 no legitimate business at the site, 2 customers,
    /// clients, patients (and their visitors), 3 current or former employees, 4 a personal relationship.
    public var usWorkplaceViolenceType: Int {
        switch self {
        case .memberOfThePublic: 1
        case .patientOrServiceUser, .relativeOrVisitor: 2
        case .colleague, .manager: 3
        case .personalAcquaintance: 4
        }
    }
}

/// How badly the person was hurt.
public enum Harm: String, CaseIterable, Codable, Sendable {
    case none
    case minor
    case firstAid = "first-aid"
    case medicalTreatment = "medical-treatment"
    case timeOffWork = "time-off-work"

    public var displayName: String {
        switch self {
        case .none: "No harm"
        case .minor: "Minor harm"
        case .firstAid: "First aid given"
        case .medicalTreatment: "Needed medical treatment"
        case .timeOffWork: "Needed time off work"
        }
    }
}

/// The reporter's part in it.
public enum ReporterRole: String, CaseIterable, Codable, Sendable {
    case harmed
    case witness
    case onBehalf = "on-behalf"

    public var displayName: String {
        switch self {
        case .harmed: "It happened to me"
        case .witness: "I saw it happen"
        case .onBehalf: "I am reporting for someone else"
        }
    }
}

public enum IncidentStatus: String, CaseIterable, Codable, Sendable {
    case reported
    case underReview = "under-review"
    case investigating
    case actions
    case closed
}

/// The calendar columns analytics group by, computed once on write in the organisation's time zone, so that no
/// report depends on a database's own date functions.
public struct CalendarColumns: Sendable, Equatable {
    /// YYYY-MM-DD
    public var localDate: String
    /// ISO 8601 week, e.g. 2026-W48
    public var isoWeek: String
    /// YYYY-MM
    public var month: String
    /// 0–23
    public var hour: Int
    /// 1 Monday … 7 Sunday (ISO)
    public var weekday: Int

    public init(_ date: Date, timeZone: TimeZone) {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .weekday, .weekOfYear, .yearForWeekOfYear], from: date)
        month = zeroPadded(parts.year!, 4) + "-" + zeroPadded(parts.month!, 2)
        localDate = month + "-" + zeroPadded(parts.day!, 2)
        isoWeek = zeroPadded(parts.yearForWeekOfYear!, 4) + "-W" + zeroPadded(parts.weekOfYear!, 2)
        hour = parts.hour!
        weekday = (parts.weekday! + 5) % 7 + 1
    }
}

/// An incident as first reported: the six required answers and who reported it.
public struct IncidentReport: Sendable, Equatable {
    public var id: String
    public var organisationId: String
    public var type: IncidentType
    public var occurredAt: Date
    public var unitId: String
    public var area: String
    public var perpetrator: Perpetrator
    public var harm: Harm
    public var description: String
    public var reporterRole: ReporterRole
    /// nil for a report made without signing in.
    public var reporterId: String?
    public var status: IncidentStatus
    public var reportedAt: Date
    /// Made without a name: the reporter follows it with a receipt code (only its hash is stored).
    public var anonymous = false
    /// A harassment or staff-on-staff case: seen and handled by HR only (see HarassmentCase).
    public var confidential = false
    public var detail = IncidentDetail()
    /// The person handling the case, once someone takes it.
    public var handlerId: String?
    /// When the first review is due: the organisation's target in working days after the report.
    public var reviewDueAt: Date?
    /// "What we did": told to the reporter; required to close.
    public var outcome = ""
    public var lessons = ""
    public var closedAt: Date?
    /// Set by the retention purge: the content is gone and the case can no longer change.
    public var anonymised = false
    public var updatedAt: Date?

    public init(id: String, organisationId: String, type: IncidentType, occurredAt: Date, unitId: String, area: String,
                perpetrator: Perpetrator, harm: Harm, description: String, reporterRole: ReporterRole, reporterId: String?,
                status: IncidentStatus, reportedAt: Date) {
        self.id = id
        self.organisationId = organisationId
        self.type = type
        self.occurredAt = occurredAt
        self.unitId = unitId
        self.area = area
        self.perpetrator = perpetrator
        self.harm = harm
        self.description = description
        self.reporterRole = reporterRole
        self.reporterId = reporterId
        self.status = status
        self.reportedAt = reportedAt
    }

    /// Longest description accepted (issue 3's bad-input list).
    public static let maximumDescription = 20_000
    /// A clock a few minutes fast on a phone is forgiven; a time further ahead is a mistake.
    public static let futureAllowance: TimeInterval = 5 * 60
}

/// A number with leading zeros to `width` digits. `String(format:)` is slow on Linux and this runs on every report.
public func zeroPadded(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
