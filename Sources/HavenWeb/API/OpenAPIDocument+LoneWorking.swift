import Foundation
import HavenCore

/// The OpenAPI entries for lone working: sessions, check-ins, alarms, acknowledgement and escalation policies.
extension OpenAPIDocument {
    static var loneWorkingSchemas: JSON {
        let time = string("date-time")
        let optionalTime = nullable("string", ["format": "date-time"])
        return [
            "LoneWorkingSession": object([
                "id": string(), "workerId": string(), "unitId": string(), "location": string(),
                "latitude": nullable("number"), "longitude": nullable("number"),
                "visitKind": string(enum: VisitKind.allCases.map(\.rawValue)), "risks": string(),
                "checklist": ["type": "array", "items": string()], "vehicle": string(),
                "buddyId": nullable("string"), "backupBuddyId": nullable("string"), "escalationPolicyId": nullable("string"),
                "graceSeconds": ["type": "integer"], "startedAt": time, "expectedEndAt": time,
                "dueAt": ["type": "string", "format": "date-time", "description": "Expected end plus the grace period: when step 1 goes out"],
                "state": string(enum: SessionState.allCases.map(\.rawValue)),
                "status": string(enum: ["ok", "due-soon", "overdue", "escalating", "alarm", "acknowledged", "closed"]),
                "statusLabel": string(), "escalationStep": ["type": "integer", "minimum": 0], "duress": ["type": "boolean"],
                "alarmAt": optionalTime, "lastCheckInAt": optionalTime, "acknowledgedBy": nullable("string"), "acknowledgedAt": optionalTime,
                "endedAt": optionalTime, "resolvedBy": nullable("string"), "resolvedAt": optionalTime,
                "outcome": nullable("string", ["enum": SessionOutcome.allCases.map(\.rawValue) as [Any] + [NSNull()]]),
            ]),
            "EscalationStep": object([
                "who": string(enum: EscalationRecipient.allCases.map(\.rawValue)),
                "role": nullable("string", ["enum": Role.allCases.map(\.rawValue) as [Any] + [NSNull()]]),
                "userId": nullable("string"),
                "integrationId": nullable("string", ["description": "For alarm-receiving-centre steps: the integration called"]),
                "channels": ["type": "array", "items": string(enum: NotificationChannel.allCases.map(\.rawValue)), "minItems": 1],
                "waitSeconds": ["type": "integer", "minimum": 0, "maximum": EscalationPolicy.maximumSeconds],
            ]),
            "EscalationPolicy": object([
                "id": string(), "name": string(), "graceSeconds": ["type": "integer", "minimum": 0, "maximum": EscalationPolicy.maximumSeconds],
                "steps": ["type": "array", "items": ref("EscalationStep")], "unitIds": ["type": "array", "items": string()],
            ]),
        ]
    }

    static var loneWorkingPaths: JSON {
        let id = pathParameter("id")
        let tag = "Lone working"
        let session = ref("LoneWorkingSession")
        let position: [String: JSON] = ["latitude": ["type": "number", "minimum": -90, "maximum": 90], "longitude": ["type": "number", "minimum": -180, "maximum": 180]]
        let actionErrors = [400, 401, 403, 404, 409]
        let stepBody = object(["who": string(enum: EscalationRecipient.allCases.map(\.rawValue)), "role": string(enum: Role.allCases.map(\.rawValue)),
                               "userId": string(),
                               "integrationId": string(nil).merging(["description": "For alarm-receiving-centre steps: an active alarm receiving centre with an address"]) { $1 },
                               "channels": ["type": "array", "items": string(enum: NotificationChannel.allCases.map(\.rawValue)), "minItems": 1],
                               "waitSeconds": ["type": "integer", "minimum": 0, "maximum": EscalationPolicy.maximumSeconds]],
                              required: ["who", "channels", "waitSeconds"])
        let policyBody = object(["name": string(max: 200), "graceSeconds": ["type": "integer", "minimum": 0, "maximum": EscalationPolicy.maximumSeconds],
                                 "steps": ["type": "array", "items": stepBody, "minItems": 1, "maxItems": EscalationPolicy.maximumSteps]],
                                required: ["name", "graceSeconds", "steps"])
        let startBody = object(position.merging([
            "unitId": string(), "location": string(max: 500), "visitKind": string(enum: VisitKind.allCases.map(\.rawValue)),
            "risks": string(max: 2000), "checklist": ["type": "array", "items": string(max: 200), "maxItems": 20], "vehicle": string(max: 100),
            "buddyId": string(), "backupBuddyId": string(), "escalationPolicyId": string(),
            "expectedDurationSeconds": ["type": "integer", "minimum": 1, "maximum": 86_400],
            "expectedEndAt": string("date-time"),
        ]) { $1 }, required: ["location"])
        return [
            "/api/v1/lone-working/sessions": [
                "post": operation("startLoneWorkingSession",
                                  "Start a visit: where, until when (expectedDurationSeconds or expectedEndAt, within 24 hours), buddies. "
                                  + "The session uses escalationPolicyId, else its unit's policy, else the built-in one.",
                                  tag: tag, body: startBody, response: (201, session)),
                "get": operation("listLoneWorkingSessions",
                                 "Sessions: a monitor's units (all for safety leads and administrators), otherwise your own; open ones unless status says otherwise",
                                 tag: tag, response: (200, page(of: "LoneWorkingSession")),
                                 parameters: paging + [query("status", string(enum: ["open", "closed", "all"])), query("mine", ["type": "boolean"])]),
            ],
            "/api/v1/lone-working/sessions/{id}": [
                "get": operation("getLoneWorkingSession", "A session you work, are buddy on, or monitor", tag: tag, response: (200, session),
                                 parameters: [id], errors: [401, 403, 404]),
            ],
            "/api/v1/lone-working/sessions/{id}/check-ins": [
                "post": operation("checkInLoneWorkingSession",
                                  "Check in: the expected end moves on by extendBySeconds (from now if it had passed) and an escalation in progress stops",
                                  tag: tag, body: object(position.merging(["extendBySeconds": ["type": "integer", "minimum": 0, "maximum": 86_400]]) { $1 }, required: []),
                                  response: (201, session), parameters: [id], errors: actionErrors),
            ],
            "/api/v1/lone-working/sessions/{id}/end": [
                "post": operation("endLoneWorkingSession",
                                  "I'm safe: end the visit, optionally with your PIN. The duress PIN gives exactly the same answer but raises a silent alarm.",
                                  tag: tag, body: object(["pin": string(max: 12)], required: []), response: (200, session), parameters: [id], errors: actionErrors),
            ],
            "/api/v1/lone-working/sessions/{id}/alarm": [
                "post": operation("raiseLoneWorkingAlarm", "Panic alarm: escalation from step 1 at once, with no grace period", tag: tag,
                                  body: object(position, required: []), response: (200, session), parameters: [id], errors: actionErrors),
            ],
            "/api/v1/lone-working/sessions/{id}/acknowledge": [
                "post": operation("acknowledgeLoneWorkingSession", "Take the alert on: escalation stops and who and when are recorded (monitors and the buddies)",
                                  tag: tag, body: object([:], required: []), response: (200, session), parameters: [id], errors: actionErrors),
            ],
            "/api/v1/lone-working/sessions/{id}/resolve": [
                "post": operation("resolveLoneWorkingSession", "Close the alert with its outcome (monitors)", tag: tag,
                                  body: object(["outcome": string(enum: SessionOutcome.allCases.map(\.rawValue)), "note": string(max: 2000)], required: ["outcome"]),
                                  response: (200, session), parameters: [id], errors: actionErrors),
            ],
            "/api/v1/lone-working/escalation-policies": [
                "post": operation("createEscalationPolicy", "A grace period and ordered steps, each with who, channels and waitSeconds", tag: tag,
                                  body: policyBody, response: (201, ref("EscalationPolicy"))),
                "get": operation("listEscalationPolicies", "Escalation policies and the units that use them", tag: tag,
                                 response: (200, page(of: "EscalationPolicy")), errors: [401, 403]),
            ],
            "/api/v1/lone-working/escalation-policies/{id}": [
                "get": operation("getEscalationPolicy", "An escalation policy", tag: tag, response: (200, ref("EscalationPolicy")),
                                 parameters: [id], errors: [401, 403, 404]),
                "put": operation("replaceEscalationPolicy", "Replace a policy's name, grace and steps (running sessions keep the policy they started with)",
                                 tag: tag, body: policyBody, response: (200, ref("EscalationPolicy")), parameters: [id], errors: [400, 401, 403, 404]),
            ],
            "/api/v1/lone-working/escalation-policies/{id}/units": [
                "post": operation("assignEscalationPolicy", "Make this the policy of these units (replacing the one they had)", tag: tag,
                                  body: object(["unitIds": ["type": "array", "items": string(), "minItems": 1]]),
                                  response: (200, ref("EscalationPolicy")), parameters: [id], errors: [400, 401, 403, 404]),
            ],
        ]
    }
}
