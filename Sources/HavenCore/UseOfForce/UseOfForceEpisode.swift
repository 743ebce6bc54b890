import Foundation

/// An answer the Act lets a recorder give when the fact is not available: s6(5)(j) and (k) say "if known",
/// and a patient may decline to state a characteristic. Offered only for those items.
public enum Answer: String, Sendable, Codable, CaseIterable {
    case yes, no
    case notKnown = "not-known"
}

/// s6(5)(n): whether the patient died or suffered serious injury as a result.
public enum HarmOutcome: String, Sendable, Codable, CaseIterable {
    case noHarm = "none", seriousInjury = "serious-injury", death
}

/// s6(5)(p): whether the people named in the care plan were notified; "no-one named" when the plan names nobody.
public enum NotificationAnswer: String, Sendable, Codable, CaseIterable {
    case yes, no
    case noOneNamed = "no-one-named"
}

/// s6(5)(h): each member of staff who used force, by name and job title.
public struct StaffInvolved: Sendable, Codable, Equatable {
    public var name: String
    public var jobTitle: String
    public init(name: String, jobTitle: String) { self.name = name; self.jobTitle = jobTitle }
}

/// One restrictive intervention within an episode (s6(5)(b) duration, (c) type, (d) care plan).
public struct Intervention: Sendable, Codable, Equatable {
    public var type: RestrictiveInterventionType
    public var startedAt: Date
    public var endedAt: Date
    /// Only for code 13, whose position the code does not say.
    public var position: String?
    public var plannedInCarePlan: Bool
    /// A technique that relies on pain: the law wants every use recorded, and each one goes to senior review.
    public var painBased: Bool

    public init(type: RestrictiveInterventionType, startedAt: Date, endedAt: Date, position: String? = nil,
                plannedInCarePlan: Bool, painBased: Bool = false) {
        self.type = type; self.startedAt = startedAt; self.endedAt = endedAt; self.position = position
        self.plannedInCarePlan = plannedInCarePlan; self.painBased = painBased
    }

    public var durationSeconds: Int { Int(endedAt.timeIntervalSince(startedAt)) }
}

/// The patient as s6(5)(e), (g), (j), (k) and (l) describe them. Personal data: the name and NHS number are
/// shown only to the roles that need them.
public struct UseOfForcePatient: Sendable, Codable, Equatable {
    public var localIdentifier: String
    /// nil when not known (s6(5)(e)): a patient may be unidentified when force is used.
    public var name: String?
    /// nil when the patient has no NHS number or it is not known.
    public var nhsNumber: String?
    /// nil when not known (s6(5)(j) "if known").
    public var mentalDisorder: String?
    /// s6(5)(k): each Equality Act characteristic, `not-known` where nothing was recorded (all `declined` when
    /// the patient declined to say).
    public var characteristics: RelevantCharacteristics
    /// Anything else relevant, in the recorder's words.
    public var characteristicsNote: String?
    public var characteristicsDeclined: Bool
    public var learningDisabilityOrAutism: Answer
    public var detained: Bool
    /// The Mental Health Act section, when detained.
    public var detentionSection: String?

    public init(localIdentifier: String, name: String?, nhsNumber: String?, mentalDisorder: String?,
                characteristics: RelevantCharacteristics = .init(), characteristicsNote: String? = nil, characteristicsDeclined: Bool = false,
                learningDisabilityOrAutism: Answer, detained: Bool, detentionSection: String?) {
        self.localIdentifier = localIdentifier; self.name = name; self.nhsNumber = nhsNumber
        self.mentalDisorder = mentalDisorder; self.characteristics = characteristics; self.characteristicsNote = characteristicsNote
        self.characteristicsDeclined = characteristicsDeclined; self.learningDisabilityOrAutism = learningDisabilityOrAutism
        self.detained = detained; self.detentionSection = detentionSection
    }
}

/// A use-of-force episode: the record s6(5) of the Mental Health Units (Use of Force) Act 2018 requires.
public struct UseOfForceEpisode: Sendable, Codable, Equatable {
    public var id: String
    public var organisationId: String
    public var unitId: String
    public var recordedBy: String
    public var recordedAt: Date
    /// (a)
    public var reason: String
    /// (b) place; the date and duration come from the interventions.
    public var place: String
    /// (c), (d) and the times of (b).
    public var interventions: [Intervention]
    /// (f)
    public var description: String
    /// (h)
    public var staff: [StaffInvolved]
    /// (i) nil when no-one other than staff was involved.
    public var nonStaffInvolvement: String?
    /// (m)
    public var outcome: String
    /// (n)
    public var harm: HarmOutcome
    /// (o)
    public var effortsToAvoid: String
    /// (p)
    public var carePlanContactsNotified: NotificationAnswer
    public var patient: UseOfForcePatient
    /// Why the patient was prone and when released (required when any intervention was prone).
    public var proneJustification: String?
    /// A physical restraint over 24 hours that the recorder confirmed.
    public var longRestraintConfirmed: Bool
    /// The incident report this episode is linked to.
    public var incidentId: String?
    /// s12: the police's body cameras, and where any footage is held.
    public var police: PoliceAndFootage

    public init(id: String, organisationId: String, unitId: String, recordedBy: String, recordedAt: Date,
                reason: String, place: String, interventions: [Intervention], description: String,
                staff: [StaffInvolved], nonStaffInvolvement: String?, outcome: String, harm: HarmOutcome,
                effortsToAvoid: String, carePlanContactsNotified: NotificationAnswer, patient: UseOfForcePatient,
                proneJustification: String? = nil, longRestraintConfirmed: Bool = false, incidentId: String? = nil,
                police: PoliceAndFootage = PoliceAndFootage()) {
        self.id = id; self.organisationId = organisationId; self.unitId = unitId; self.recordedBy = recordedBy
        self.recordedAt = recordedAt; self.reason = reason; self.place = place; self.interventions = interventions
        self.description = description; self.staff = staff; self.nonStaffInvolvement = nonStaffInvolvement
        self.outcome = outcome; self.harm = harm; self.effortsToAvoid = effortsToAvoid
        self.carePlanContactsNotified = carePlanContactsNotified; self.patient = patient
        self.proneJustification = proneJustification; self.longRestraintConfirmed = longRestraintConfirmed; self.incidentId = incidentId
        self.police = police
    }

    /// (b) date: when the first intervention began.
    public var startedAt: Date { interventions.map(\.startedAt).min() ?? recordedAt }
    /// (b) duration: from the first start to the last end.
    public var durationSeconds: Int {
        guard let end = interventions.map(\.endedAt).max() else { return 0 }
        return Int(end.timeIntervalSince(startedAt))
    }
}
