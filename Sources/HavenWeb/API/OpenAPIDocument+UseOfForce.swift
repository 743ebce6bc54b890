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
                "alerts": ["type": "array", "items": ref("UseOfForceAlert")],
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
        return useOfForceAnalyticsPaths.merging([
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
