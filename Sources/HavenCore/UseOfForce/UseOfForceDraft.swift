import Foundation

/// What a recorder submitted, before it is checked: the same shape for the web form and the API, so both name
/// the same fields and give the same statutory messages.
public struct UseOfForceDraft: Sendable, Equatable {
    public struct InterventionDraft: Sendable, Equatable {
        public var type: String?
        public var startedAt: Date?
        public var endedAt: Date?
        public var position: String?
        public var plannedInCarePlan: Bool?
        public var painBased: Bool?
        public init(type: String? = nil, startedAt: Date? = nil, endedAt: Date? = nil, position: String? = nil,
                    plannedInCarePlan: Bool? = nil, painBased: Bool? = nil) {
            self.type = type; self.startedAt = startedAt; self.endedAt = endedAt; self.position = position
            self.plannedInCarePlan = plannedInCarePlan; self.painBased = painBased
        }
    }

    public var unitId: String?
    public var reason: String?
    public var place: String?
    public var interventions: [InterventionDraft] = []
    public var description: String?
    public var staff: [StaffInvolved] = []
    public var nonStaffInvolved: Bool?
    public var nonStaffReason: String?
    public var outcome: String?
    public var harm: String?
    public var effortsToAvoid: String?
    public var carePlanContactsNotified: String?
    public var patientLocalId: String?
    public var patientName: String?
    public var patientNameNotKnown: Bool?
    public var nhsNumber: String?
    public var nhsNumberNotKnown: Bool?
    public var mentalDisorder: String?
    public var mentalDisorderNotKnown: Bool?
    /// s6(5)(k): characteristic → code (`ProtectedCharacteristic`); a characteristic left out is not known.
    public var characteristics: [String: String] = [:]
    /// Anything else relevant the fixed choices do not say (optional).
    public var characteristicsNote: String?
    /// "recorded", "not-known" or "declined" (s6(5)(k) says "if known"; a patient may decline to say).
    public var characteristicsStatus: String?
    public var learningDisabilityOrAutism: String?
    public var detained: Bool?
    public var detentionSection: String?
    /// Required when any intervention was prone: why, and when the patient was released or repositioned
    /// (Positive and Proactive Care: no planned prone restraint; REFERENCE §15 C 16).
    public var proneJustification: String?
    /// The recorder has checked that a physical restraint really lasted more than 24 hours.
    public var confirmLongRestraint: Bool?
    /// The recorder has checked that an intervention overlapping one of the same type on the same patient, in
    /// another record, is not the same restraint recorded twice.
    public var confirmOverlap: Bool?
    /// The incident report this episode arose from, if any (checked against the store by the caller).
    public var incidentId: String?
    /// s12: whether police attended and whether their body cameras were on (`PoliceBodyCameras`); optional.
    public var policeBodyCameras: String?
    public var policeForce: String?
    public var policeBodyCameraReason: String?
    /// Where recorded footage is held (optional).
    public var footageReference: String?

    public init() {}
}

/// The longest a physical restraint may be recorded as lasting without a second look (the bad-input list).
public let longestPhysicalRestraintSeconds = 24 * 3600

extension UseOfForceDraft {
    /// The statutory item each field records, for messages that say which part of s6(5) is missing.
    static let items: [String: String] = [
        "reason": "s6(5)(a) reason for the use of force",
        "place": "s6(5)(b) place",
        "interventions": "s6(5)(c) type of force used",
        "plannedInCarePlan": "s6(5)(d) whether it was part of the care plan",
        "patientName": "s6(5)(e) patient's name",
        "description": "s6(5)(f) how force was used",
        "nhsNumber": "s6(5)(g) patient's NHS number",
        "staff": "s6(5)(h) staff who used force",
        "nonStaffReason": "s6(5)(i) why a person other than staff was involved",
        "mentalDisorder": "s6(5)(j) patient's mental disorder",
        "characteristics": "s6(5)(k) patient's relevant characteristics",
        "learningDisabilityOrAutism": "s6(5)(l) whether the patient has a learning disability or autism",
        "outcome": "s6(5)(m) outcome",
        "harm": "s6(5)(n) whether the patient died or was seriously injured",
        "effortsToAvoid": "s6(5)(o) efforts made to avoid force",
        "carePlanContactsNotified": "s6(5)(p) whether the people named in the care plan were notified",
    ]

    static func missing(_ key: String, _ hint: String) -> String { "\(items[key]!): \(hint)" }

    /// Checks every item and returns the episode, or every problem at once, each naming its statutory item.
    public func validated(id: String, organisationId: String, recordedBy: String, now: Date) throws(FieldErrors) -> UseOfForceEpisode {
        var errors = FieldErrors()
        func text(_ value: String?, _ field: String, hint: String, max: Int = 4000, required: Bool = true) -> String {
            let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let item = Self.items[field] ?? field
            if trimmed.isEmpty {
                if required { errors.add(field, "\(item): \(hint)") }
            } else if trimmed.count > max {
                errors.add(field, "\(item): must be \(max) characters or fewer")
            } else if Validate.hasControlCharacters(trimmed) {
                errors.add(field, "\(item): must not contain control characters")
            }
            return trimmed
        }

        let unit = (unitId ?? "").trimmingCharacters(in: .whitespaces)
        if unit.isEmpty { errors.add("unitId", "Choose the unit where force was used") }
        let reason = text(self.reason, "reason", hint: "say why force was used")
        let place = text(self.place, "place", hint: "say where force was used", max: 200)

        var interventions: [Intervention] = []
        if self.interventions.isEmpty { errors.add("interventions", Self.missing("interventions", "add at least one intervention")) }
        for (index, draft) in self.interventions.enumerated() {
            let prefix = "interventions[\(index)]"
            let code = (draft.type ?? "").trimmingCharacters(in: .whitespaces)
            let type = RestrictiveInterventionType(rawValue: code)
            if code.isEmpty { errors.add("\(prefix).type", Self.missing("interventions", "choose the type")) }
            else if type == nil { errors.add("\(prefix).type", "s6(5)(c): \(code) is not an MHSDS restrictive intervention type; valid codes are \(RestrictiveInterventionType.validCodes)") }
            if draft.startedAt == nil { errors.add("\(prefix).startedAt", "s6(5)(b) date: enter when the intervention started") }
            if draft.endedAt == nil { errors.add("\(prefix).endedAt", "s6(5)(b) duration: enter when the intervention ended") }
            if let start = draft.startedAt, start > now { errors.add("\(prefix).startedAt", "s6(5)(b) date: the start cannot be in the future") }
            if let start = draft.startedAt, let end = draft.endedAt {
                if end < start { errors.add("\(prefix).endedAt", "s6(5)(b) duration: the end must be after the start") }
                else if end > now { errors.add("\(prefix).endedAt", "s6(5)(b) duration: the end cannot be in the future") }
                else if type?.isPhysicalRestraint == true, Int(end.timeIntervalSince(start)) > longestPhysicalRestraintSeconds,
                        confirmLongRestraint != true {
                    errors.add("\(prefix).endedAt", "s6(5)(b) duration: a physical restraint of more than 24 hours is almost certainly a mistake; "
                               + "check the times, or confirm that it really lasted this long")
                }
            }
            let position = (draft.position ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if type == .physicalOther && position.isEmpty {
                errors.add("\(prefix).position", "s6(5)(f): describe the position of a physical restraint not listed (code 13)")
            }
            if position.count > 200 { errors.add("\(prefix).position", "s6(5)(f): the position must be 200 characters or fewer") }
            if draft.plannedInCarePlan == nil { errors.add("\(prefix).plannedInCarePlan", Self.missing("plannedInCarePlan", "say yes or no")) }
            if let type, let start = draft.startedAt, let end = draft.endedAt, let planned = draft.plannedInCarePlan {
                interventions.append(Intervention(type: type, startedAt: start, endedAt: end,
                                                  position: type == .physicalOther ? position : nil,
                                                  plannedInCarePlan: planned, painBased: draft.painBased ?? false))
            }
        }

        let description = text(self.description, "description", hint: "describe how force was used")
        if staff.isEmpty { errors.add("staff", Self.missing("staff", "name at least one member of staff and their job title")) }
        for (index, person) in staff.enumerated() {
            let name = person.name.trimmingCharacters(in: .whitespacesAndNewlines)
            let title = person.jobTitle.trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty || name.count > 200 { errors.add("staff[\(index)].name", "s6(5)(h): enter the name of each member of staff (up to 200 characters)") }
            if title.isEmpty || title.count > 200 { errors.add("staff[\(index)].jobTitle", "s6(5)(h): enter the job title of each member of staff (up to 200 characters)") }
        }
        let staffList = staff.map { StaffInvolved(name: $0.name.trimmingCharacters(in: .whitespacesAndNewlines),
                                                  jobTitle: $0.jobTitle.trimmingCharacters(in: .whitespacesAndNewlines)) }

        if nonStaffInvolved == nil { errors.add("nonStaffInvolved", "s6(5)(i): say whether anyone other than staff (police, for example) was involved") }
        let nonStaff = text(self.nonStaffReason, "nonStaffReason", hint: "say why they were involved", required: nonStaffInvolved == true)
        let outcome = text(self.outcome, "outcome", hint: "describe the outcome")
        let harm = HarmOutcome(rawValue: self.harm ?? "")
        if harm == nil { errors.add("harm", Self.missing("harm", "choose none, serious injury or death")) }
        let efforts = text(self.effortsToAvoid, "effortsToAvoid", hint: "describe what was tried first")
        let notified = NotificationAnswer(rawValue: self.carePlanContactsNotified ?? "")
        if notified == nil { errors.add("carePlanContactsNotified", Self.missing("carePlanContactsNotified", "choose yes, no or no-one named")) }

        let localId = (patientLocalId ?? "").trimmingCharacters(in: .whitespaces)
        if localId.isEmpty || localId.count > 64 { errors.add("patientLocalId", "Enter the patient's local identifier (up to 64 characters)") }
        // The statistics join a unit-month's identifiers with a control character, so none may hold one.
        else if localId.unicodeScalars.contains(where: Validate.isControl) {
            errors.add("patientLocalId", "The patient's local identifier must not contain control characters")
        }
        let name = text(self.patientName, "patientName", hint: "enter the name, or tick not known", max: 200, required: patientNameNotKnown != true)
        var nhs: String?
        if nhsNumberNotKnown != true {
            let entered = (nhsNumber ?? "").trimmingCharacters(in: .whitespaces)
            if entered.isEmpty { errors.add("nhsNumber", Self.missing("nhsNumber", "enter the 10-digit NHS number, or tick not known")) }
            else if let valid = NHSNumber.normalised(entered) { nhs = valid }
            else { errors.add("nhsNumber", "s6(5)(g): \(entered) is not a valid NHS number (10 digits with a correct check digit)") }
        }
        let disorder = text(self.mentalDisorder, "mentalDisorder", hint: "enter the mental disorder, or tick not known", max: 500, required: mentalDisorderNotKnown != true)
        let status = characteristicsStatus ?? "recorded"
        if !["recorded", "not-known", "declined"].contains(status) {
            errors.add("characteristicsStatus", "s6(5)(k): choose recorded, not known or declined")
        }
        var characteristics = RelevantCharacteristics.parse(self.characteristics, into: &errors)
        if status == "recorded" && !characteristics.anyRecorded && errors["characteristics"] == nil {
            errors.add("characteristics", Self.missing("characteristics", "record at least one, or choose not known or declined"))
        } else if status != "recorded" && characteristics.anyRecorded {
            errors.add("characteristics", Self.missing("characteristics", "leave them empty when they are not known or the patient declined"))
        }
        if status == "declined" { characteristics = .all(ProtectedCharacteristic.declined) }
        let note = text(self.characteristicsNote, "characteristicsNote", hint: "", max: 1000, required: false)
        let ldAutism = Answer(rawValue: learningDisabilityOrAutism ?? "")
        if ldAutism == nil { errors.add("learningDisabilityOrAutism", Self.missing("learningDisabilityOrAutism", "choose yes, no or not known")) }
        if detained == nil { errors.add("detained", "Say whether the patient is detained under the Mental Health Act") }
        let section = (detentionSection ?? "").trimmingCharacters(in: .whitespaces)
        if detained == true && section.isEmpty { errors.add("detentionSection", "Enter the section of the Mental Health Act the patient is detained under") }
        if section.count > 40 { errors.add("detentionSection", "The section must be 40 characters or fewer") }
        let prone = self.interventions.contains { $0.type == RestrictiveInterventionType.prone.rawValue }
        let justification = (proneJustification ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if prone && justification.isEmpty {
            errors.add("proneJustification", "Prone restraint: say why the patient was prone (for example unintended during a fall) "
                       + "and when they were released or repositioned")
        }
        if justification.count > 2000 { errors.add("proneJustification", "The prone justification must be 2000 characters or fewer") }
        let incident = (incidentId ?? "").trimmingCharacters(in: .whitespaces)
        if incident.count > 64 { errors.add("incidentId", "That is not an incident reference") }
        let police = validatedPoliceAndFootage(into: &errors)

        try errors.throwIfAny()
        let patient = UseOfForcePatient(localIdentifier: localId,
                                        name: patientNameNotKnown == true ? nil : name,
                                        nhsNumber: nhs,
                                        mentalDisorder: mentalDisorderNotKnown == true ? nil : disorder,
                                        characteristics: characteristics,
                                        characteristicsNote: note.isEmpty ? nil : note,
                                        characteristicsDeclined: status == "declined",
                                        learningDisabilityOrAutism: ldAutism!, detained: detained!,
                                        detentionSection: detained! ? section : nil)
        return UseOfForceEpisode(id: id, organisationId: organisationId, unitId: unit, recordedBy: recordedBy, recordedAt: now,
                                 reason: reason, place: place, interventions: interventions, description: description,
                                 staff: staffList, nonStaffInvolvement: nonStaffInvolved! ? nonStaff : nil,
                                 outcome: outcome, harm: harm!, effortsToAvoid: efforts,
                                 carePlanContactsNotified: notified!, patient: patient,
                                 proneJustification: prone ? justification : nil,
                                 longRestraintConfirmed: confirmLongRestraint == true && interventions.contains {
                                     $0.type.isPhysicalRestraint && $0.durationSeconds > longestPhysicalRestraintSeconds },
                                 incidentId: incident.isEmpty ? nil : incident, police: police)
    }
}
