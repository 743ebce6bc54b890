import Foundation
import HavenCore
import HavenData

/// A use-of-force record as the API returns it: the same field names the API takes, so a record read can be
/// corrected by sending back only what changed. The patient's name and NHS number are left out (and
/// `identityHidden` is true) for a reader who may see the record but not who the patient is.
struct UseOfForceJSON: Encodable {
    struct InterventionJSON: Encodable {
        var type: String
        var typeLabel: String
        var startedAt: Date
        var endedAt: Date
        var durationSeconds: Int
        var position: String?
        var plannedInCarePlan: Bool
        var painBased: Bool
    }
    struct ReviewJSON: Encodable {
        var reviewedAt: Date
        var reviewedBy: String?
        var note: String?
    }

    var id: String
    var unitId: String
    var recordedBy: String
    var recordedAt: Date
    var updatedAt: Date?
    var startedAt: Date
    var durationSeconds: Int
    var reason: String
    var place: String
    var interventions: [InterventionJSON]
    var description: String
    var staff: [StaffInvolved]
    var nonStaffInvolved: Bool
    var nonStaffReason: String?
    var outcome: String
    var harm: String
    var effortsToAvoid: String
    var carePlanContactsNotified: String
    var patientLocalId: String
    var identityHidden: Bool
    var patientName: String?
    var patientNameNotKnown: Bool?
    var nhsNumber: String?
    var nhsNumberNotKnown: Bool?
    var mentalDisorder: String?
    var mentalDisorderNotKnown: Bool
    var characteristicsStatus: String
    var characteristics: RelevantCharacteristics
    var characteristicsNote: String?
    var learningDisabilityOrAutism: String
    var detained: Bool
    var detentionSection: String?
    var proneJustification: String?
    var incidentId: String?
    var policeBodyCameras: String?
    var policeForce: String?
    var policeBodyCameraReason: String?
    var footageReference: String?
    var alerts: [UseOfForceAlert]
    var review: ReviewJSON?
    /// On a single record: a patient with repeated interventions and no current behaviour support plan.
    var warnings: [String]?

    init(_ stored: StoredUseOfForce, viewer: Actor) {
        let episode = stored.episode, patient = episode.patient
        let draft = UseOfForceDraft(episode)
        let showIdentity = UseOfForceAccess.canSeeIdentity(unitId: episode.unitId, viewer)
        id = episode.id; unitId = episode.unitId; recordedBy = episode.recordedBy; recordedAt = episode.recordedAt
        updatedAt = stored.updatedAt; startedAt = episode.startedAt; durationSeconds = episode.durationSeconds
        reason = episode.reason; place = episode.place
        interventions = episode.interventions.map {
            InterventionJSON(type: $0.type.code, typeLabel: $0.type.label, startedAt: $0.startedAt, endedAt: $0.endedAt,
                             durationSeconds: $0.durationSeconds, position: $0.position, plannedInCarePlan: $0.plannedInCarePlan,
                             painBased: $0.painBased)
        }
        description = episode.description; staff = episode.staff
        nonStaffInvolved = episode.nonStaffInvolvement != nil; nonStaffReason = episode.nonStaffInvolvement
        outcome = episode.outcome; harm = episode.harm.rawValue; effortsToAvoid = episode.effortsToAvoid
        carePlanContactsNotified = episode.carePlanContactsNotified.rawValue
        patientLocalId = patient.localIdentifier
        identityHidden = !showIdentity
        if showIdentity {
            patientName = patient.name; patientNameNotKnown = patient.name == nil
            nhsNumber = patient.nhsNumber; nhsNumberNotKnown = patient.nhsNumber == nil
        }
        mentalDisorder = patient.mentalDisorder; mentalDisorderNotKnown = patient.mentalDisorder == nil
        characteristicsStatus = draft.characteristicsStatus ?? "not-known"
        characteristics = patient.characteristics; characteristicsNote = patient.characteristicsNote
        learningDisabilityOrAutism = patient.learningDisabilityOrAutism.rawValue
        detained = patient.detained; detentionSection = patient.detentionSection
        proneJustification = episode.proneJustification; incidentId = episode.incidentId
        policeBodyCameras = episode.police.bodyCameras?.rawValue; policeForce = episode.police.force
        policeBodyCameraReason = episode.police.bodyCameraReason; footageReference = episode.police.footageReference
        alerts = UseOfForceRules.alerts(for: episode)
        review = stored.reviewedAt.map { ReviewJSON(reviewedAt: $0, reviewedBy: stored.reviewedBy, note: stored.reviewNote) }
    }
}
