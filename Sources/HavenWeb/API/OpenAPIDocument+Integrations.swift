import Foundation
import HavenCore

/// Lone-worker devices, the integrations that post their alarm events, and the inbound event itself.
extension OpenAPIDocument {
    static var integrationSchemas: JSON {
        let optionalTime = nullable("string", ["format": "date-time"])
        return [
            "LoneWorkingDevice": object([
                "id": string(), "deviceId": string(), "userId": string(), "unitId": string(), "supplier": string(),
                "bs8484Certified": ["type": "boolean"], "certificateReference": string(), "active": ["type": "boolean"],
                "issuedAt": string("date-time"), "retiredAt": optionalTime,
            ]),
            "Integration": object([
                "id": string(), "name": string(), "kind": string(enum: IntegrationKind.allCases.map(\.rawValue)), "outboundUrl": string(),
                "bs8484Certified": ["type": "boolean"], "certificateReference": string(), "policeUrn": string(), "level1Response": ["type": "boolean"],
                "responseAgreement": string(), "active": ["type": "boolean"], "createdAt": string("date-time"),
                "revokedAt": optionalTime, "lastUsedAt": optionalTime,
                "token": nullable("string", ["description": "Only in the answer that created it"]),
                "secret": nullable("string", ["description": "The HMAC signing secret; only in the answer that created it"]),
            ]),
            "LoneWorkingReport": object([
                "from": string("date"), "to": string("date"), "unitId": nullable("string"),
                "total": ref("LoneWorkingReportLine"), "byUnit": ["type": "array", "items": ref("LoneWorkingReportLine")],
                "byPerson": ["type": "array", "items": ref("LoneWorkingReportLine")],
                "deviceEvents": object(Dictionary(uniqueKeysWithValues: AlarmEventKind.allCases.map { ($0.rawValue, ["type": "integer"] as JSON) })),
            ]),
            "LoneWorkingReportLine": object([
                "id": nullable("string", ["description": "The unit's or person's id; absent in the total"]),
                "sessions": ["type": "integer"], "overdue": ["type": "integer"], "alarms": ["type": "integer"], "falseAlarms": ["type": "integer"],
                "acknowledged": ["type": "integer"], "unacknowledged": ["type": "integer"],
                "medianSecondsToAcknowledge": nullable("integer"), "maxSecondsToAcknowledge": nullable("integer"),
            ]),
            "AlarmEvent": object([
                "id": string(), "event": string(enum: AlarmEventKind.allCases.map(\.rawValue)), "eventId": nullable("string"),
                "deviceId": string(), "userId": string(), "sessionId": nullable("string"),
                "result": string(enum: AlarmEventResult.allCases.map(\.rawValue)),
                "occurredAt": string("date-time"), "receivedAt": string("date-time"),
            ]),
        ]
    }

    static var historyQuery: [JSON] {
        [query("from", string("date")).merging(["description": "Default: 29 days before to"]) { $1 },
         query("to", string("date")).merging(["description": "Inclusive; default today; at most 366 days after from"]) { $1 },
         query("unit", string()).merging(["description": "A unit id in your remit; default all of them"]) { $1 }]
    }

    static var integrationPaths: JSON {
        let id = pathParameter("id")
        let devices = "Lone-worker devices"
        let deviceFields: [String: JSON] = [
            "deviceId": string(max: 100).merging(["minLength": 1]) { $1 }, "userId": string(), "unitId": string(), "supplier": string(max: 200),
            "bs8484Certified": ["type": "boolean"], "certificateReference": string(max: 200),
        ]
        let integrationFields: [String: JSON] = [
            "name": string(max: 200).merging(["minLength": 1]) { $1 }, "kind": string(enum: IntegrationKind.allCases.map(\.rawValue)),
            "outboundUrl": string(max: 2000).merging(["description": "Alarm receiving centres only: where an escalation step posts, signed with the integration's secret"]) { $1 },
            "bs8484Certified": ["type": "boolean"], "certificateReference": string(max: 200).merging(["description": "Required when bs8484Certified"]) { $1 },
            "policeUrn": string(max: 100),
            "level1Response": ["type": "boolean", "description": "Alarm receiving centres only; needs policeUrn and bs8484Certified"],
            "responseAgreement": string(max: LoneWorkingIntegration.maximumAgreementLength),
        ]
        let event = ["application/json": ["schema": ref("AlarmEvent")]]
        return [
            "/api/v1/lone-working/devices": [
                "post": operation("createLoneWorkingDevice",
                                  "Register a device: who carries it, the team that answers it off-visit (default: the person's only unit), supplier, BS 8484 certification",
                                  tag: devices, body: object(deviceFields, required: ["deviceId", "userId"]), response: (201, ref("LoneWorkingDevice"))),
                "get": operation("listLoneWorkingDevices", "The device register, devices in use first", tag: devices,
                                 response: (200, page(of: "LoneWorkingDevice")), parameters: paging),
            ],
            "/api/v1/lone-working/devices/{id}": [
                "get": operation("getLoneWorkingDevice", "A registered device", tag: devices, response: (200, ref("LoneWorkingDevice")),
                                 parameters: [id], errors: [401, 403, 404]),
                "patch": operation("updateLoneWorkingDevice", "Change a device; active false retires it (its events are then refused), true returns it to use",
                                   tag: devices, body: object(deviceFields.merging(["active": ["type": "boolean"]]) { $1 }, required: []),
                                   response: (200, ref("LoneWorkingDevice")), parameters: [id], errors: [400, 401, 403, 404]),
            ],
            "/api/v1/integrations": [
                "post": operation("createIntegration", "Add a system that posts alarm events; the answer carries its token and signing secret, once",
                                  tag: devices, body: object(integrationFields, required: ["name"]), response: (201, ref("Integration"))),
                "get": operation("listIntegrations", "Integrations (never their token or secret)", tag: devices,
                                 response: (200, page(of: "Integration")), parameters: paging),
            ],
            "/api/v1/integrations/{id}": [
                "get": operation("getIntegration", "An integration (never its token or secret)", tag: devices, response: (200, ref("Integration")),
                                 parameters: [id], errors: [401, 403, 404]),
                "patch": operation("updateIntegration", "Change an integration's details (kind, outbound address, certification, police URN, response agreement)",
                                   tag: devices, body: object(integrationFields, required: []), response: (200, ref("Integration")),
                                   parameters: [id], errors: [400, 401, 403, 404]),
            ],
            "/api/v1/integrations/{id}/deliveries": [
                "get": operation("listIntegrationDeliveries", "The calls escalation steps made to an alarm receiving centre, newest first", tag: devices,
                                 response: (200, page(of: "Delivery")), parameters: [id] + paging, errors: [400, 401, 403, 404]),
            ],
            "/api/v1/integrations/{id}/revoke": [
                "post": operation("revokeIntegration", "Stop accepting an integration's token", tag: devices, body: object([:], required: []),
                                  response: (200, ref("Integration")), parameters: [id], errors: [400, 401, 403, 404]),
            ],
            "/api/v1/lone-working/reports": [
                "get": operation("getLoneWorkingReport",
                                 "Visits started in the period in your remit (a manager: their units): overdue, alarms, false alarms and time from alert to acknowledgement, in total, by unit and by person",
                                 tag: "Lone working", response: (200, ref("LoneWorkingReport")), parameters: historyQuery),
            ],
            "/api/v1/lone-working/reports/sessions": [
                "get": ["operationId": "exportLoneWorkingSessions", "summary": "The period's visits as CSV, streamed (no locations; the export is audited)",
                        "tags": ["Lone working"], "parameters": historyQuery,
                        "responses": ["200": ["description": "One row a visit", "content": ["text/csv": ["schema": string()]]],
                                      "400": errorResponse, "401": errorResponse, "403": errorResponse]] as JSON,
            ],
            "/api/v1/integrations/alarm-events": [
                "post": [
                    "operationId": "postAlarmEvent",
                    "summary": "An alarm event from a lone-worker device or alarm receiving centre",
                    "description": """
                        Authenticated with the integration's bearer token and X-Haven-Signature: sha256= and the hex HMAC-SHA256 of the raw \
                        body keyed with its signing secret (the outbound webhooks' convention). A missing or wrong token or signature is 401 \
                        and logged. panic, fall and no-movement raise the alarm on the device user's open visit (or join an alarm already \
                        standing), or open an alarm session when they are on none; escalation runs as for the panic button, exactly once. \
                        test-activation is recorded and escalates nothing. A repeated eventId returns the first result with 200. An event \
                        without eventId is never treated as a repeat (send eventId when you retry); while the alarm stands it only joins it.
                        """,
                    "tags": [devices],
                    "security": [["bearer": [String]()]],
                    "parameters": [["name": "X-Haven-Signature", "in": "header", "required": true,
                                    "schema": string(nil).merging(["pattern": "^sha256=[0-9a-f]{64}$"]) { $1 }]],
                    "requestBody": ["required": true, "content": ["application/json": ["schema": object([
                        "event": string(enum: AlarmEventKind.allCases.map(\.rawValue)), "deviceId": string(max: 100).merging(["minLength": 1]) { $1 },
                        "eventId": string(max: 200).merging(["minLength": 1]) { $1 }, "occurredAt": string("date-time"),
                        "latitude": ["type": "number", "minimum": -90, "maximum": 90], "longitude": ["type": "number", "minimum": -180, "maximum": 180],
                        "audioAvailable": ["type": "boolean"], "detail": string(max: 500),
                    ], required: ["event", "deviceId"])]]],
                    "responses": [
                        "201": ["description": "Received and acted on", "content": event],
                        "200": ["description": "A repeat of an eventId already received: the first result", "content": event],
                        "400": errorResponse, "401": errorResponse, "413": errorResponse,
                        "422": ["description": "No active device with this deviceId is registered", "content": ["application/json": ["schema": ref("Error")]]],
                    ],
                ] as JSON,
            ],
        ]
    }
}
