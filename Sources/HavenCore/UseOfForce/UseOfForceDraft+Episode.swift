import Foundation

extension UseOfForceDraft {
    /// The draft a saved episode came from, so a correction (PATCH, or the edit form) changes only what it names
    /// and the whole record is checked again by the same rules as when it was first saved.
    public init(_ episode: UseOfForceEpisode) {
        self.init()
        unitId = episode.unitId
        reason = episode.reason
        place = episode.place
        interventions = episode.interventions.map {
            InterventionDraft(type: $0.type.code, startedAt: $0.startedAt, endedAt: $0.endedAt, position: $0.position,
                              plannedInCarePlan: $0.plannedInCarePlan, painBased: $0.painBased)
        }
        description = episode.description
        staff = episode.staff
        nonStaffInvolved = episode.nonStaffInvolvement != nil
        nonStaffReason = episode.nonStaffInvolvement
        outcome = episode.outcome
        harm = episode.harm.rawValue
        effortsToAvoid = episode.effortsToAvoid
        carePlanContactsNotified = episode.carePlanContactsNotified.rawValue
        let patient = episode.patient
        patientLocalId = patient.localIdentifier
        patientName = patient.name
        patientNameNotKnown = patient.name == nil
        nhsNumber = patient.nhsNumber
        nhsNumberNotKnown = patient.nhsNumber == nil
        mentalDisorder = patient.mentalDisorder
        mentalDisorderNotKnown = patient.mentalDisorder == nil
        if patient.characteristicsDeclined {
            characteristicsStatus = "declined"
        } else if patient.characteristics.anyRecorded {
            characteristicsStatus = "recorded"
            for (characteristic, code) in patient.characteristics.values where code != ProtectedCharacteristic.notKnown {
                characteristics[characteristic.rawValue] = code
            }
        } else {
            characteristicsStatus = "not-known"
        }
        characteristicsNote = patient.characteristicsNote
        learningDisabilityOrAutism = patient.learningDisabilityOrAutism.rawValue
        detained = patient.detained
        detentionSection = patient.detentionSection
        proneJustification = episode.proneJustification
        confirmLongRestraint = episode.longRestraintConfirmed
        incidentId = episode.incidentId
        policeBodyCameras = episode.police.bodyCameras?.rawValue
        policeForce = episode.police.force
        policeBodyCameraReason = episode.police.bodyCameraReason
        footageReference = episode.police.footageReference
    }
}
