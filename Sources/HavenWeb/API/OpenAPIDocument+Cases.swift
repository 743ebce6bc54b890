import Foundation
import HavenCore

/// The OpenAPI entries for incident case handling and anonymous reports.
extension OpenAPIDocument {
    static var caseSchemas: JSON {
        let text = string(max: IncidentDetail.maximumText)
        return [
            "IncidentDetail": object([
                "circumstances": ["type": "array", "items": string(enum: Circumstance.allCases.map(\.rawValue))],
                "characteristics": ["type": "array", "items": string(enum: Characteristic.allCases.map(\.rawValue))],
                "contributingFactors": ["type": "array", "items": string(enum: ContributingFactor.allCases.map(\.rawValue))],
                "injuries": text, "bodyParts": ["type": "array", "items": string(enum: BodyPart.allCases.map(\.rawValue))],
                "weapon": text, "witnesses": text, "patientIdentifier": string(max: 100), "actionsTaken": text,
                "police": object(["attended": ["type": "boolean"], "crimeReference": text, "outcome": text]),
                "sanctions": ["type": "array", "maxItems": 20, "items": object(["kind": string(enum: SanctionKind.allCases.map(\.rawValue)),
                                                                               "note": text, "reviewOn": string()])],
                "completedByName": text, "completedByJobTitle": text, "completedOn": string(),
                "absenceDays": nullable("integer", ["minimum": 0, "maximum": 3660]),
                "regulatorReference": text, "regulatorReportedOn": string(),
            ]),
            "TimelineEntry": object(["id": string(), "kind": string(enum: ["message", "status"]), "fromReporter": ["type": "boolean"],
                                     "authorId": nullable("string"), "body": string(), "createdAt": string("date-time")]),
            "IncidentAction": object(["id": string(), "description": string(), "ownerId": nullable("string"), "dueOn": nullable("string", ["format": "date"]),
                                      "done": ["type": "boolean"], "doneAt": nullable("string", ["format": "date-time"]), "createdAt": string("date-time")]),
            "SupportItem": object(["id": string(), "kind": string(enum: SupportKind.allCases.map(\.rawValue)), "dueAt": string("date-time"),
                                   "outcome": nullable("string", ["enum": SupportOutcome.allCases.map(\.rawValue) as [Any] + [NSNull()]]),
                                   "note": string(), "doneAt": nullable("string", ["format": "date-time"])]),
            "Attachment": object(["id": string(), "name": string(), "contentType": string(enum: Attachment.Kind.allCases.map(\.rawValue)),
                                  "size": ["type": "integer"], "sha256": string(), "createdAt": string("date-time")]),
            "HarassmentCase": object(["stage": string(enum: HarassmentCase.Stage.allCases.map(\.rawValue)), "trustedPersonId": nullable("string"),
                                      "subjectId": nullable("string"), "investigatorId": nullable("string"),
                                      "investigationDueOn": nullable("string", ["format": "date"]), "measures": string(), "support": string(),
                                      "retaliationCheckDueOn": nullable("string", ["format": "date"]),
                                      "retaliationCheckedAt": nullable("string", ["format": "date-time"]), "retaliationNote": string()]),
            "AnonymousReport": object(["receiptCode": nullable("string"), "type": string(enum: IncidentType.allCases.map(\.rawValue)),
                                       "status": string(enum: IncidentStatus.allCases.map(\.rawValue)), "occurredAt": string("date-time"),
                                       "reportedAt": string("date-time"),
                                       "timeline": ["type": "array", "items": object(["kind": string(enum: ["message", "status"]), "fromReporter": ["type": "boolean"],
                                                                                       "body": string(), "createdAt": string("date-time")])]]),
        ]
    }

    static var casePaths: JSON {
        let id = pathParameter("id")
        let code = pathParameter("receiptCode")
        let list = { (item: String) -> JSON in ["type": "array", "items": ref(item)] }
        let reportBody = object(["type": string(enum: IncidentType.allCases.map(\.rawValue)), "occurredAt": string("date-time"),
                                 "unitId": string(), "area": string(max: 200),
                                 "perpetrator": string(enum: Perpetrator.allCases.map(\.rawValue)), "harm": string(enum: Harm.allCases.map(\.rawValue)),
                                 "description": string(max: IncidentReport.maximumDescription),
                                 "reporterRole": string(enum: ReporterRole.allCases.map(\.rawValue))],
                                required: ["type", "unitId", "area", "perpetrator", "harm", "description"])
        return [
            "/api/v1/incidents/{id}": [
                "get": operation("getIncident", "A report you made or one in your remit (the read is audited)", tag: "Incidents",
                                 response: (200, ref("Incident")), parameters: [id], errors: [401, 403, 404]),
                "patch": operation("updateIncident",
                                   "Move the case on (reported → under-review → investigating/actions → closed, and reopen), name the handler, "
                                   + "record what was done and lessons learned, or add detail. The reporter may add detail to their own report; "
                                   + "everything else needs the handler's remit. A status that cannot follow the current one is 409.",
                                   tag: "Incidents",
                                   body: object(["status": string(enum: IncidentStatus.allCases.map(\.rawValue)), "handlerId": string(),
                                                 "outcome": string(max: TimelineEntry.maximumBody), "lessons": string(max: TimelineEntry.maximumBody),
                                                 "detail": ref("IncidentDetail")], required: []),
                                   response: (200, ref("Incident")), parameters: [id], errors: [400, 401, 403, 404, 409]),
            ],
            "/api/v1/incidents/{id}/messages": [
                "get": operation("listIncidentMessages", "The case's timeline: messages and status changes, oldest first", tag: "Incidents",
                                 response: (200, list("TimelineEntry")), parameters: [id], errors: [401, 403, 404]),
                "post": operation("postIncidentMessage", "A message between the reporter and the handler; the other side is notified", tag: "Incidents",
                                  body: object(["body": string(max: TimelineEntry.maximumBody)]), response: (201, ref("TimelineEntry")),
                                  parameters: [id], errors: [400, 401, 403, 404]),
            ],
            "/api/v1/incidents/{id}/actions": [
                "get": operation("listIncidentActions", "Actions agreed on the case", tag: "Incidents",
                                 response: (200, list("IncidentAction")), parameters: [id], errors: [401, 403, 404]),
                "post": operation("createIncidentAction", "Agree an action, with an owner and a due date", tag: "Incidents",
                                  body: object(["description": string(max: 2000), "ownerId": string(), "dueOn": string("date")], required: ["description"]),
                                  response: (201, ref("IncidentAction")), parameters: [id], errors: [400, 401, 403, 404]),
            ],
            "/api/v1/incidents/{id}/actions/{actionId}": [
                "patch": operation("updateIncidentAction", "Mark an action done, or not done", tag: "Incidents",
                                   body: object(["done": ["type": "boolean"]]), response: (200, ref("IncidentAction")),
                                   parameters: [id, pathParameter("actionId")], errors: [400, 401, 403, 404]),
            ],
            "/api/v1/incidents/{id}/support": [
                "get": operation("listIncidentSupport", "Welfare check, debrief, referrals and return-to-work support, with due times (handlers only)",
                                 tag: "Incidents", response: (200, list("SupportItem")), parameters: [id], errors: [401, 403, 404]),
                "post": operation("createIncidentSupport", "Offer support with a due time", tag: "Incidents",
                                  body: object(["kind": string(enum: SupportKind.allCases.map(\.rawValue)), "dueAt": string("date-time")]),
                                  response: (201, ref("SupportItem")), parameters: [id], errors: [400, 401, 403, 404]),
            ],
            "/api/v1/incidents/{id}/support/{supportId}": [
                "patch": operation("recordIncidentSupport", "Record how a support item ended", tag: "Incidents",
                                   body: object(["outcome": string(enum: SupportOutcome.allCases.map(\.rawValue)), "note": string(max: 2000)], required: ["outcome"]),
                                   response: (200, ref("SupportItem")), parameters: [id, pathParameter("supportId")], errors: [400, 401, 403, 404]),
            ],
            "/api/v1/incidents/{id}/harassment-case": [
                "get": operation("getHarassmentCase", "The HR side of a confidential harassment or staff-on-staff case (HR case handlers only)",
                                 tag: "Incidents", response: (200, ref("HarassmentCase")), parameters: [id], errors: [401, 403, 404]),
                "patch": operation("updateHarassmentCase",
                                   "Stage, trusted person, person complained about, investigator (never that person or their manager), measures, "
                                   + "support and the retaliation check three months after closing", tag: "Incidents",
                                   body: object(["stage": string(enum: HarassmentCase.Stage.allCases.map(\.rawValue)), "trustedPersonId": string(),
                                                 "subjectId": string(), "investigatorId": string(), "measures": string(max: TimelineEntry.maximumBody),
                                                 "support": string(max: TimelineEntry.maximumBody), "retaliationChecked": ["type": "boolean"],
                                                 "retaliationNote": string(max: TimelineEntry.maximumBody)], required: []),
                                   response: (200, ref("HarassmentCase")), parameters: [id], errors: [400, 401, 403, 404, 409]),
            ],
            "/api/v1/incidents/{id}/attachments": [
                "get": operation("listIncidentAttachments", "The report's photos and documents", tag: "Incidents",
                                 response: (200, list("Attachment")), parameters: [id], errors: [401, 403, 404]),
                "post": ["operationId": "addIncidentAttachment", "tags": ["Incidents"],
                         "summary": "Attach a photo or document (the reporter or the handler): the body is the file; its type is read from its bytes "
                            + "(JPEG, PNG, HEIC or PDF) and it may be at most 10 MB",
                         "parameters": [id, query("name", string(max: 100))],
                         "requestBody": ["required": true, "content": ["application/octet-stream": ["schema": ["type": "string", "format": "binary"]],
                                                                       "image/jpeg": ["schema": ["type": "string", "format": "binary"]],
                                                                       "image/png": ["schema": ["type": "string", "format": "binary"]],
                                                                       "application/pdf": ["schema": ["type": "string", "format": "binary"]]]],
                         "responses": ["201": ["description": "Attached", "content": ["application/json": ["schema": ref("Attachment")]]],
                                       "400": errorResponse, "401": errorResponse, "403": errorResponse, "404": errorResponse, "413": errorResponse]] as JSON,
            ],
            "/api/v1/incidents/{id}/attachments/{attachmentId}": [
                "get": ["operationId": "downloadIncidentAttachment", "tags": ["Incidents"], "summary": "Download an attachment (audited)",
                        "parameters": [id, pathParameter("attachmentId")],
                        "responses": ["200": ["description": "The file, as an attachment",
                                              "content": ["image/jpeg": ["schema": ["type": "string", "format": "binary"]],
                                                          "image/png": ["schema": ["type": "string", "format": "binary"]],
                                                          "image/heic": ["schema": ["type": "string", "format": "binary"]],
                                                          "application/pdf": ["schema": ["type": "string", "format": "binary"]]]],
                                      "401": errorResponse, "403": errorResponse, "404": errorResponse]] as JSON,
            ],
            "/api/v1/incidents/regulator-deadlines": [
                "get": operation("listRegulatorDeadlines",
                                 "Reports owed to the regulator by the incidents you handle, soonest first: RIDDOR (and the day-8 absence prompt) "
                                 + "under the England rule pack, Cal/OSHA §3342(g) 24/72-hour reports under the California pack", tag: "Incidents",
                                 response: (200, ["type": "array", "items": object(["incidentId": string(),
                                                                                     "kind": string(enum: ["riddor", "record-absence", "cal-osha-24h", "cal-osha-72h"]),
                                                                                     "title": string(), "dueAt": string("date-time"), "overdue": ["type": "boolean"]])]),
                                 errors: [401, 403]),
            ],
            "/api/v1/anonymous-reports/units": [
                "get": operation("listAnonymousReportUnits", "The units a report made without signing in can name (404 when the organisation does not accept such reports)",
                                 tag: "Anonymous reports",
                                 response: (200, ["type": "array", "items": object(["id": string(), "code": string(), "name": string()])]),
                                 errors: [404], secured: false),
            ],
            "/api/v1/anonymous-reports": [
                "post": operation("createAnonymousReport", "Report without signing in; the answer holds the receipt code, shown once and never stored",
                                  tag: "Anonymous reports", body: reportBody, response: (201, ref("AnonymousReport")), errors: [400, 404, 413], secured: false),
            ],
            "/api/v1/anonymous-reports/{receiptCode}": [
                "get": operation("getAnonymousReport", "The status and timeline of the report with this receipt code; unknown codes are throttled (429)",
                                 tag: "Anonymous reports", response: (200, ref("AnonymousReport")), parameters: [code], errors: [404, 429], secured: false),
            ],
            "/api/v1/anonymous-reports/{receiptCode}/messages": [
                "post": operation("postAnonymousMessage", "A message from the anonymous reporter to the handler", tag: "Anonymous reports",
                                  body: object(["body": string(max: TimelineEntry.maximumBody)]), response: (201, ref("TimelineEntry")),
                                  parameters: [code], errors: [400, 404, 429], secured: false),
            ],
        ]
    }
}
