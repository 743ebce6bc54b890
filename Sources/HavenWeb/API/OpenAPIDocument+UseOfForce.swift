import Foundation
import HavenCore

/// The OpenAPI entries for use of force: the s6(5) record, its list, corrections and senior review.
extension OpenAPIDocument {
    static var useOfForceSchemas: JSON {
        let time = string("date-time")
        let codes = RestrictiveInterventionType.allCases.map(\.code)
        var characteristics: [String: JSON] = [:]
        for characteristic in ProtectedCharacteristic.allCases { characteristics[characteristic.rawValue] = string(enum: characteristic.validCodes) }
        return useOfForceAnalyticsSchemas.merging([
            "UseOfForceIntervention": object([
                "type": string(enum: codes), "typeLabel": string(), "startedAt": time, "endedAt": time,
                "durationSeconds": ["type": "integer", "minimum": 0], "position": nullable("string"),
                "plannedInCarePlan": ["type": "boolean"], "painBased": ["type": "boolean"],
            ]),
            "UseOfForceDebrief": object([
                "kind": string(enum: DebriefKind.allCases.map(\.rawValue)), "dueAt": time, "heldAt": nullable("string", ["format": "date-time"]),
                "recordedBy": nullable("string"), "attendees": nullable("string"), "notes": nullable("string"),
                "patientAccount": nullable("string"), "patientDeclined": ["type": "boolean"],
            ]),
            "BehaviourSupportPlan": object([
                "id": string(), "organisationId": string(), "unitId": string(), "patientLocalId": string(), "title": string(), "summary": string(),
                "startsOn": string("date"), "reviewOn": string("date"), "endedOn": nullable("string", ["format": "date"]), "createdBy": string(),
            ]),
            "RapidTranquillisationObservation": object([
                "seq": ["type": "integer", "minimum": 0], "dueAt": time, "takenAt": nullable("string", ["format": "date-time"]),
                "takenBy": nullable("string"), "pulse": nullable("integer"), "systolic": nullable("integer"), "diastolic": nullable("integer"),
                "respiratoryRate": nullable("integer"), "temperature": nullable("number"), "oxygenSaturation": nullable("integer"),
                "consciousness": nullable("string", ["enum": RapidTranquillisation.Consciousness.allCases.map(\.rawValue) as [Any] + [NSNull()]]),
                "notTakenReason": nullable("string"), "notes": nullable("string"),
                "concerns": ["type": "array", "items": string(), "description": "Signs that need a doctor now, in words"],
            ]),
            "UseOfForceSettings": object([
                "staffDebriefHours": ["type": "integer", "minimum": UseOfForceSettings.allowedHours.lowerBound, "maximum": UseOfForceSettings.allowedHours.upperBound],
                "patientDebriefHours": ["type": "integer", "minimum": UseOfForceSettings.allowedHours.lowerBound, "maximum": UseOfForceSettings.allowedHours.upperBound],
                "negligible": object(["types": ["type": "array", "items": string(enum: NegligibleForcePolicy.eligible.map(\.code))],
                                      "maximumSeconds": ["type": "integer", "minimum": 0, "maximum": NegligibleForcePolicy.longestSeconds],
                                      "definition": string()]),
                "suppressionThreshold": ["type": "integer", "minimum": SmallNumbers.allowedThresholds.lowerBound, "maximum": SmallNumbers.allowedThresholds.upperBound,
                                         "description": "Counts from 1 to this are shown as * in the annual report and the anonymised export"],
                "investigationTargetDays": investigationDays,
            ]),
            "NegligibleForceUse": object([
                "id": string(), "unitId": string(), "patientLocalId": string(), "type": string(enum: NegligibleForcePolicy.eligible.map(\.code)),
                "startedAt": time, "durationSeconds": ["type": "integer", "minimum": 0], "description": string(), "recordedBy": string(), "recordedAt": time,
            ]),
            "UseOfForceAlert": object([
                "kind": string(enum: ["prone-restraint", "prone-ten-minutes", "pain-based-technique", "seclusion-not-detained", "mechanical-restraint"]),
                "intervention": ["type": "integer", "minimum": 0], "message": string(),
            ]),
            "UseOfForce": object([
                "id": string(), "unitId": string(), "recordedBy": string(), "recordedAt": time, "updatedAt": nullable("string", ["format": "date-time"]),
                "startedAt": time, "durationSeconds": ["type": "integer", "minimum": 0],
                "reason": string(), "place": string(), "interventions": ["type": "array", "items": ref("UseOfForceIntervention")],
                "description": string(), "staff": ["type": "array", "items": object(["name": string(), "jobTitle": string()])],
                "nonStaffInvolved": ["type": "boolean"], "nonStaffReason": nullable("string"), "outcome": string(),
                "harm": string(enum: HarmOutcome.allCases.map(\.rawValue)), "effortsToAvoid": string(),
                "carePlanContactsNotified": string(enum: NotificationAnswer.allCases.map(\.rawValue)),
                "patientLocalId": string(),
                "identityHidden": ["type": "boolean", "description": "True when your role may see the record but not the patient's name and NHS number"],
                "patientName": nullable("string"), "patientNameNotKnown": nullable("boolean"),
                "nhsNumber": nullable("string"), "nhsNumberNotKnown": nullable("boolean"),
                "mentalDisorder": nullable("string"), "mentalDisorderNotKnown": ["type": "boolean"],
                "characteristicsStatus": string(enum: ["recorded", "not-known", "declined"]),
                "characteristics": object(characteristics), "characteristicsNote": nullable("string"),
                "learningDisabilityOrAutism": string(enum: Answer.allCases.map(\.rawValue)),
                "detained": ["type": "boolean"], "detentionSection": nullable("string"),
                "proneJustification": nullable("string"), "incidentId": nullable("string"),
                "policeBodyCameras": nullable("string", ["enum": PoliceBodyCameras.allCases.map(\.rawValue)]),
                "policeForce": nullable("string"), "policeBodyCameraReason": nullable("string"), "footageReference": nullable("string"),
                "alerts": ["type": "array", "items": ref("UseOfForceAlert")],
                "warnings": nullable("array", ["items": string(),
                                               "description": "On one record (not in lists): e.g. repeated interventions with no behaviour support plan"]),
                "review": nullable("object", ["properties": ["reviewedAt": time, "reviewedBy": nullable("string"), "note": nullable("string")],
                                              "required": ["reviewedAt"], "additionalProperties": false]),
            ]),
        ]) { $1 }
    }

    /// The fields a record is written with; a PATCH may send any of them, a POST must send the statutory ones.
    static var useOfForceBody: [String: JSON] {
        let codes = RestrictiveInterventionType.allCases.map(\.code)
        var characteristics: [String: JSON] = [:]
        for characteristic in ProtectedCharacteristic.allCases { characteristics[characteristic.rawValue] = string(enum: characteristic.validCodes) }
        let intervention = object(["type": string(enum: codes), "startedAt": string("date-time"), "endedAt": string("date-time"),
                                   "position": string(max: 200), "plannedInCarePlan": ["type": "boolean"], "painBased": ["type": "boolean"]],
                                  required: ["type", "startedAt", "endedAt", "plannedInCarePlan"])
        return [
            "unitId": string(), "reason": string(max: 4000), "place": string(max: 200),
            "interventions": ["type": "array", "items": intervention, "minItems": 1, "maxItems": 50],
            "description": string(max: 4000),
            "staff": ["type": "array", "items": object(["name": string(max: 200), "jobTitle": string(max: 200)]), "minItems": 1, "maxItems": 50],
            "nonStaffInvolved": ["type": "boolean"], "nonStaffReason": string(max: 4000), "outcome": string(max: 4000),
            "harm": string(enum: HarmOutcome.allCases.map(\.rawValue)), "effortsToAvoid": string(max: 4000),
            "carePlanContactsNotified": string(enum: NotificationAnswer.allCases.map(\.rawValue)),
            "patientLocalId": string(max: 64), "patientName": string(max: 200), "patientNameNotKnown": ["type": "boolean"],
            "nhsNumber": string(max: 20).merging(["description": "10 digits (spaces or hyphens allowed) with a correct modulus-11 check digit"]) { $1 },
            "nhsNumberNotKnown": ["type": "boolean"], "mentalDisorder": string(max: 500), "mentalDisorderNotKnown": ["type": "boolean"],
            "characteristicsStatus": string(enum: ["recorded", "not-known", "declined"]),
            "characteristics": object(characteristics, required: []), "characteristicsNote": string(max: 1000),
            "learningDisabilityOrAutism": string(enum: Answer.allCases.map(\.rawValue)),
            "detained": ["type": "boolean"], "detentionSection": string(max: 40),
            "proneJustification": string(max: 2000), "incidentId": string(max: 64),
            "policeBodyCameras": string(enum: PoliceBodyCameras.allCases.map(\.rawValue)).merging([
                "description": "s12: whether police officers attended and whether their body cameras were on; anything but no-police needs nonStaffInvolved true, "
                    + "and on-in-part or not-worn needs policeBodyCameraReason"]) { $1 },
            "policeForce": string(max: 200), "policeBodyCameraReason": string(max: 2000),
            "footageReference": string(max: 200).merging(["description": "Where recorded footage is held (police reference or the unit's own camera clip)"]) { $1 },
            "confirmLongRestraint": ["type": "boolean", "description": "A physical restraint over 24 hours really lasted that long"],
            "confirmOverlap": ["type": "boolean", "description": "An overlap with another record of the same type on the same patient is not a duplicate"],
        ]
    }

    static var useOfForcePaths: JSON {
        let id = pathParameter("id")
        let tag = "Use of force"
        let record = ref("UseOfForce")
        let required = ["unitId", "reason", "place", "interventions", "description", "staff", "nonStaffInvolved", "outcome", "harm",
                        "effortsToAvoid", "carePlanContactsNotified", "patientLocalId", "learningDisabilityOrAutism", "detained"]
        var patchBody = useOfForceBody
        patchBody["review"] = object(["note": string(max: 4000)])
        let planBody: [String: JSON] = ["unitId": string(), "patientLocalId": string(max: 64), "title": string(max: 200), "summary": string(max: 4000),
                                        "startsOn": string("date"), "reviewOn": string("date"), "endedOn": string("date")]
        let hours: JSON = ["type": "integer", "minimum": UseOfForceSettings.allowedHours.lowerBound, "maximum": UseOfForceSettings.allowedHours.upperBound]
        return useOfForceAnalyticsPaths.merging([
            "/api/v1/behaviour-support-plans": [
                "post": operation("createBehaviourSupportPlan", "A positive behaviour support plan for a patient (by local identifier), reviewed at least yearly",
                                  tag: tag, body: object(planBody, required: ["unitId", "patientLocalId", "title", "summary", "startsOn", "reviewOn"]),
                                  response: (201, ref("BehaviourSupportPlan")), errors: [400, 401, 403, 422]),
                "get": operation("listBehaviourSupportPlans", "Plans in the units whose use of force you see", tag: tag,
                                 response: (200, page(of: "BehaviourSupportPlan")), parameters: paging + [query("patientLocalId", string())]),
            ],
            "/api/v1/behaviour-support-plans/needed": [
                "get": operation("listPatientsNeedingPlans",
                                 "Patients with \(UseOfForceRules.repeatedInterventions) or more interventions in \(UseOfForceRules.repeatedWindowDays) days and no current plan",
                                 tag: tag, response: (200, object(["items": ["type": "array", "items": object([
                                     "patientLocalId": string(), "unitId": string(), "interventions": ["type": "integer"]])]])), errors: [401, 403]),
            ],
            "/api/v1/behaviour-support-plans/{id}": [
                "get": operation("getBehaviourSupportPlan", "One plan", tag: tag, response: (200, ref("BehaviourSupportPlan")),
                                 parameters: [id], errors: [401, 403, 404]),
                "patch": operation("updateBehaviourSupportPlan", "Change the fields sent (the whole plan is checked again)", tag: tag,
                                   body: object(planBody, required: []), response: (200, ref("BehaviourSupportPlan")), parameters: [id],
                                   errors: [400, 401, 403, 404, 422]),
            ],
            "/api/v1/use-of-force/{id}/observations": [
                "get": operation("listRapidTranquillisationObservations",
                                 "After rapid tranquillisation (code 14): the observations due every 15 minutes for an hour, then hourly for three hours",
                                 tag: tag, response: (200, object(["items": ["type": "array", "items": ref("RapidTranquillisationObservation")]])),
                                 parameters: [id], errors: [401, 403, 404]),
            ],
            "/api/v1/use-of-force/{id}/observations/{seq}": [
                "put": operation("recordRapidTranquillisationObservation",
                                 "Record one set: every value and consciousness, or notTakenReason; the answer lists any concerns", tag: tag,
                                 body: object(["takenAt": string("date-time"), "pulse": ["type": "number"], "systolic": ["type": "number"],
                                               "diastolic": ["type": "number"], "respiratoryRate": ["type": "number"], "temperature": ["type": "number"],
                                               "oxygenSaturation": ["type": "number"],
                                               "consciousness": string(enum: RapidTranquillisation.Consciousness.allCases.map(\.rawValue)),
                                               "notTakenReason": string(max: 500), "notes": string(max: 2000)], required: ["takenAt"]),
                                 response: (200, ref("RapidTranquillisationObservation")),
                                 parameters: [id, pathParameter("seq", ["type": "integer", "minimum": 0])], errors: [400, 401, 403, 404, 409, 422]),
            ],
            "/api/v1/use-of-force/settings": [
                "get": operation("getUseOfForceSettings", "The debrief targets in hours after the use of force ends", tag: tag,
                                 response: (200, ref("UseOfForceSettings")), errors: [401, 403]),
                "put": operation("replaceUseOfForceSettings",
                                 "Set the debrief targets, the negligible-force policy and the small-number threshold (administrators and restrictive-practice leads); fields left out keep their value",
                                 tag: tag, body: object(["staffDebriefHours": hours, "patientDebriefHours": hours,
                                                         "negligible": object(["types": ["type": "array", "items": string(enum: NegligibleForcePolicy.eligible.map(\.code))],
                                                                               "maximumSeconds": ["type": "integer", "minimum": 0, "maximum": NegligibleForcePolicy.longestSeconds],
                                                                               "definition": string(max: 2000)], required: []),
                                                         "suppressionThreshold": ["type": "integer", "minimum": SmallNumbers.allowedThresholds.lowerBound,
                                                                                  "maximum": SmallNumbers.allowedThresholds.upperBound],
                                                         "investigationTargetDays": investigationDays], required: []),
                                 response: (200, ref("UseOfForceSettings"))),
            ],
            "/api/v1/use-of-force/negligible": [
                "post": operation("recordNegligibleForce",
                                  "A short record of force the organisation's policy counts as negligible (s6(2)–(3)); anything outside the policy is 422: record it in full",
                                  tag: tag, body: object(["unitId": string(), "patientLocalId": string(max: 64),
                                                          "type": string(enum: NegligibleForcePolicy.eligible.map(\.code)),
                                                          "startedAt": string("date-time"), "endedAt": string("date-time"), "description": string(max: 1000),
                                                          "painOrInjury": ["type": "boolean"]],
                                                         required: ["unitId", "patientLocalId", "type", "startedAt", "endedAt", "description"]),
                                  response: (201, ref("NegligibleForceUse")), errors: [400, 401, 403, 422]),
                "get": operation("listNegligibleForce", "Short records of negligible force in your remit, newest first", tag: tag,
                                 response: (200, page(of: "NegligibleForceUse")), parameters: paging),
            ],
            "/api/v1/use-of-force/{id}/debriefs": [
                "get": operation("listUseOfForceDebriefs", "The staff and patient debriefs the record owes, with their due times", tag: tag,
                                 response: (200, object(["items": ["type": "array", "items": ref("UseOfForceDebrief")]])),
                                 parameters: [id], errors: [401, 403, 404]),
            ],
            "/api/v1/use-of-force/{id}/debriefs/{kind}": [
                "put": operation("recordUseOfForceDebrief",
                                 "Record a debrief as held: a staff debrief needs notes, a patient debrief the patient's own account unless they declined",
                                 tag: tag, body: object(["heldAt": string("date-time"), "attendees": string(max: 1000), "notes": string(max: 4000),
                                                         "patientAccount": string(max: 4000), "patientDeclined": ["type": "boolean"]], required: ["heldAt"]),
                                 response: (200, ref("UseOfForceDebrief")),
                                 parameters: [id, pathParameter("kind", string(enum: DebriefKind.allCases.map(\.rawValue)))],
                                 errors: [400, 401, 403, 404, 409, 422]),
            ],
            "/api/v1/use-of-force": [
                "post": operation("recordUseOfForce",
                                  "Record an episode with every s6(5) item (a–p). A missing or invalid item is 422 with its statutory letter; "
                                  + "prone, pain-based, mechanical restraint and seclusion of a patient not detained alert the reviewers at once.",
                                  tag: tag, body: object(useOfForceBody, required: required), response: (201, record), errors: [400, 401, 403, 422]),
                "get": operation("listUseOfForce",
                                 "Records in your remit (a manager's units; everything for restrictive-practice and safety leads); your own if you only record",
                                 tag: tag, response: (200, page(of: "UseOfForce")),
                                 parameters: paging + [query("unitId", string()), query("from", string("date")), query("to", string("date")),
                                                       query("incidentId", string()), query("review", string(enum: ["waiting"])),
                                                       query("debrief", string(enum: ["overdue"])),
                                                       query("mine", string(enum: ["true", "false"]))]),
            ],
            "/api/v1/use-of-force/{id}": [
                "get": operation("getUseOfForce", "One record (the read is audited)", tag: tag, response: (200, record),
                                 parameters: [id], errors: [401, 403, 404]),
                "patch": operation("updateUseOfForce",
                                   "Correct a record (the fields sent replace theirs and the whole record is checked again), "
                                   + "and or record the senior review with review.note",
                                   tag: tag, body: object(patchBody, required: []), response: (200, record), parameters: [id],
                                   errors: [400, 401, 403, 404, 409, 422]),
            ],
        ]) { $1 }
    }
}
