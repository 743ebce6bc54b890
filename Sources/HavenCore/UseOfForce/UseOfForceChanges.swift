/// Which parts of a record a correction changed, by name, for the audit trail: the audit says that the NHS number
/// was corrected, never what it was or became.
public enum UseOfForceChanges {
    public static func items(from old: UseOfForceEpisode, to new: UseOfForceEpisode) -> [String] {
        var changed: [String] = []
        func check(_ name: String, _ differs: Bool) { if differs { changed.append(name) } }
        check("unitId", old.unitId != new.unitId)
        check("reason", old.reason != new.reason)
        check("place", old.place != new.place)
        check("interventions", old.interventions != new.interventions)
        check("description", old.description != new.description)
        check("staff", old.staff != new.staff)
        check("nonStaffInvolvement", old.nonStaffInvolvement != new.nonStaffInvolvement)
        check("outcome", old.outcome != new.outcome)
        check("harm", old.harm != new.harm)
        check("effortsToAvoid", old.effortsToAvoid != new.effortsToAvoid)
        check("carePlanContactsNotified", old.carePlanContactsNotified != new.carePlanContactsNotified)
        check("patientLocalId", old.patient.localIdentifier != new.patient.localIdentifier)
        check("patientName", old.patient.name != new.patient.name)
        check("nhsNumber", old.patient.nhsNumber != new.patient.nhsNumber)
        check("mentalDisorder", old.patient.mentalDisorder != new.patient.mentalDisorder)
        check("characteristics", old.patient.characteristics != new.patient.characteristics
              || old.patient.characteristicsDeclined != new.patient.characteristicsDeclined
              || old.patient.characteristicsNote != new.patient.characteristicsNote)
        check("learningDisabilityOrAutism", old.patient.learningDisabilityOrAutism != new.patient.learningDisabilityOrAutism)
        check("detained", old.patient.detained != new.patient.detained || old.patient.detentionSection != new.patient.detentionSection)
        check("proneJustification", old.proneJustification != new.proneJustification)
        check("incidentId", old.incidentId != new.incidentId)
        check("policeBodyCameras", old.police.bodyCameras != new.police.bodyCameras || old.police.force != new.police.force
              || old.police.bodyCameraReason != new.police.bodyCameraReason)
        check("footageReference", old.police.footageReference != new.police.footageReference)
        return changed
    }
}
