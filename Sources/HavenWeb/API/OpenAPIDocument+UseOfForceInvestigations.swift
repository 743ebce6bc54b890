import Foundation
import HavenCore

/// The OpenAPI entries for s9 investigations of deaths and serious injuries after a use of force.
extension OpenAPIDocument {
    static var investigationDays: JSON {
        ["type": "integer", "minimum": UseOfForceSettings.allowedInvestigationDays.lowerBound,
         "maximum": UseOfForceSettings.allowedInvestigationDays.upperBound,
         "description": "Days from opening by which an investigation of a death or serious injury should conclude (the organisation's target)"]
    }

    static var investigationSchemas: JSON {
        let time = string("date-time")
        let statuses = InvestigationStatus.allCases.map(\.rawValue)
        return [
            "UseOfForceInvestigation": object([
                "id": string(), "episodeId": string(), "unitId": string(),
                "harm": string(enum: [HarmOutcome.seriousInjury.rawValue, HarmOutcome.death.rawValue]),
                "status": string(enum: statuses),
                "nextStatuses": ["type": "array", "items": string(enum: statuses)],
                "openedAt": time, "targetAt": time,
                "overdue": ["type": "boolean", "description": "Past its target and not concluded"],
                "leadInvestigatorId": nullable("string"),
                "guidance": nullable("string", ["description": "The guidance the responsible person had regard to (s9)"]),
                "guidanceChecklist": ["type": "array", "items": string(enum: InvestigationStep.codes),
                                      "description": "The organisation's checklist steps ticked (not legal duties)"],
                "findings": nullable("string"), "learning": nullable("string"), "notNeededReason": nullable("string"),
                "concludedAt": nullable("string", ["format": "date-time"]), "concludedBy": nullable("string"),
                "updatedAt": time,
            ]),
        ]
    }

    static var investigationPaths: JSON {
        let id = pathParameter("id")
        let tag = "Use of force"
        let investigation = ref("UseOfForceInvestigation")
        return [
            "/api/v1/use-of-force/investigations": [
                "get": operation("listUseOfForceInvestigations",
                                 "Investigations of deaths and serious injuries in your remit, open and investigating first (soonest target first)",
                                 tag: tag, response: (200, page(of: "UseOfForceInvestigation")),
                                 parameters: paging + [query("status", string(enum: InvestigationStatus.allCases.map(\.rawValue) + ["overdue"])),
                                                       query("unitId", string())]),
            ],
            "/api/v1/use-of-force/{id}/investigation": [
                "get": operation("getUseOfForceInvestigation", "The investigation of the record's death or serious injury (the read is audited)",
                                 tag: tag, response: (200, investigation), parameters: [id], errors: [401, 403, 404]),
                "patch": operation("updateUseOfForceInvestigation",
                                   "Assign the lead (not someone who used force in the record), record the guidance, findings and learning, and move the status: "
                                   + "open → investigating (needs a lead) → concluded (needs findings and guidance) → investigating again; "
                                   + "open or investigating → not-needed (needs notNeededReason, and the record corrected to no harm) → open. "
                                   + "A bad move is 422 listing the valid ones.",
                                   tag: tag, body: object(["status": string(enum: InvestigationStatus.allCases.map(\.rawValue)),
                                                           "leadInvestigatorId": string(max: 64), "guidance": string(max: 8000),
                                                           "guidanceChecklist": ["type": "array", "items": string(enum: InvestigationStep.codes)],
                                                           "findings": string(max: 8000), "learning": string(max: 8000),
                                                           "notNeededReason": string(max: 4000)], required: []),
                                   response: (200, investigation), parameters: [id], errors: [400, 401, 403, 404, 409, 422]),
            ],
        ]
    }
}
