import Foundation
import HavenCore
import HavenData

/// The HR steps of a confidential case (REFERENCE §7): informal stage with a trusted person or a formal complaint,
/// an impartial investigator, investigation without undue delay, measures, support, and a retaliation check.
extension IncidentCases {
    public struct HarassmentChange: Sendable {
        public var stage: HarassmentCase.Stage?
        public var trustedPersonId: String?
        public var subjectId: String?
        public var investigatorId: String?
        public var measures: String?
        public var support: String?
        public var retaliationChecked: Bool?
        public var retaliationNote: String?

        public init(stage: HarassmentCase.Stage? = nil, trustedPersonId: String? = nil, subjectId: String? = nil, investigatorId: String? = nil,
                    measures: String? = nil, support: String? = nil, retaliationChecked: Bool? = nil, retaliationNote: String? = nil) {
            self.stage = stage
            self.trustedPersonId = trustedPersonId
            self.subjectId = subjectId
            self.investigatorId = investigatorId
            self.measures = measures
            self.support = support
            self.retaliationChecked = retaliationChecked
            self.retaliationNote = retaliationNote
        }
    }

    public func changeHarassmentCase(_ report: IncidentReport, _ change: HarassmentChange, organisation: Organisation,
                                     origin: Origin) async throws -> HarassmentCase {
        guard report.confidential, var updated = try await store.harassmentCase(incidentId: report.id, organisationId: report.organisationId) else {
            throw CaseConflict("This report is not a harassment or staff-on-staff case.")
        }
        var errors = FieldErrors()
        func person(_ id: String?, field: String, label: String) async throws -> User? {
            guard let id, !id.isEmpty else { return nil }
            guard let user = try await users.find(id: id, organisationId: report.organisationId)?.user, user.active else {
                errors.add(field, "Choose an active member of staff as the \(label)")
                return nil
            }
            return user
        }
        if let stage = change.stage { updated.stage = stage }
        if let id = change.trustedPersonId { updated.trustedPersonId = try await person(id, field: "trustedPersonId", label: "trusted person")?.id }
        if let id = change.subjectId { updated.subjectId = try await person(id, field: "subjectId", label: "person complained about")?.id }
        if let id = change.investigatorId { updated.investigatorId = try await person(id, field: "investigatorId", label: "investigator")?.id }
        if let text = change.measures {
            updated.measures = Validate.text(text, field: "measures", label: "Measures", required: false, max: TimelineEntry.maximumBody, into: &errors)
        }
        if let text = change.support {
            updated.support = Validate.text(text, field: "support", label: "Support", required: false, max: TimelineEntry.maximumBody, into: &errors)
        }
        if let text = change.retaliationNote {
            updated.retaliationNote = Validate.text(text, field: "retaliationNote", label: "Retaliation check note", required: false,
                                                    max: TimelineEntry.maximumBody, into: &errors)
        }
        // Impartiality: never the person complained about, nor their manager.
        if let investigatorId = updated.investigatorId, errors["investigatorId"] == nil,
           let investigator = try await users.find(id: investigatorId, organisationId: report.organisationId)?.user {
            let subject = try await updated.subjectId.asyncMap { try await users.find(id: $0, organisationId: report.organisationId)?.user }
            if let problem = HarassmentCase.investigatorProblem(investigator: investigator.actor, subject: subject??.actor) {
                errors.add("investigatorId", problem)
            }
        }
        try errors.throwIfAny()
        let timeZone = TimeZone(identifier: organisation.timeZone) ?? .gmt
        let today = CalendarDay(CalendarColumns(clock.now(), timeZone: timeZone).localDate)!
        if updated.stage == .formal && updated.investigationDueOn == nil {
            updated.investigationDueOn = today.adding(days: HarassmentCase.investigationTargetDays).description
        }
        if change.retaliationChecked == true && updated.retaliationCheckedAt == nil { updated.retaliationCheckedAt = clock.now() }
        if change.retaliationChecked == false { updated.retaliationCheckedAt = nil }
        try await store.save(updated, organisationId: report.organisationId, origin: origin)
        return updated
    }

    /// When a confidential case closes, HR is asked three months later whether the person has suffered retaliation.
    func scheduleRetaliationCheck(_ report: IncidentReport, origin: Origin) async throws {
        guard report.confidential, report.status == .closed,
              var harassmentCase = try await store.harassmentCase(incidentId: report.id, organisationId: report.organisationId),
              let organisation = try await organisations.organisation(id: report.organisationId) else { return }
        let timeZone = TimeZone(identifier: organisation.timeZone) ?? .gmt
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let due = calendar.date(byAdding: .month, value: HarassmentCase.retaliationCheckMonths, to: report.closedAt ?? clock.now())!
        harassmentCase.retaliationCheckDueOn = CalendarColumns(due, timeZone: timeZone).localDate
        try await store.save(harassmentCase, organisationId: report.organisationId, origin: origin)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
