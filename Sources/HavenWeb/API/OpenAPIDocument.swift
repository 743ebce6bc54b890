import Foundation
import HavenCore
import Hummingbird

/// The OpenAPI 3.1 document for /api/v1. A test checks that it names exactly the API routes the router has,
/// and the fuzzing suite checks the running server against it.
enum OpenAPIDocument {
    typealias JSON = [String: Any]

    static func ref(_ name: String) -> JSON { ["$ref": "#/components/schemas/\(name)"] }
    static func string(_ format: String? = nil, enum values: [String]? = nil, max: Int? = nil) -> JSON {
        var schema: JSON = ["type": "string"]
        if let format { schema["format"] = format }
        if let values { schema["enum"] = values }
        if let max { schema["maxLength"] = max }
        return schema
    }
    static func nullable(_ type: String, _ extra: JSON = [:]) -> JSON { extra.merging(["type": [type, "null"]]) { $1 } }
    static func object(_ properties: [String: JSON], required: [String]? = nil, closed: Bool = true) -> JSON {
        var schema: JSON = ["type": "object", "properties": properties]
        // Fields that may be null are left out of the JSON when they are, so only the others are required.
        schema["required"] = required ?? properties.filter { !(($0.value["type"] as? [String])?.contains("null") ?? false) }.keys.sorted()
        if closed { schema["additionalProperties"] = false }
        return schema
    }
    static func page(of item: String) -> JSON {
        object(["items": ["type": "array", "items": ref(item)], "total": ["type": "integer"], "limit": ["type": "integer"], "offset": ["type": "integer"]])
    }
    static var errorResponse: JSON { ["description": "Error", "content": ["application/json": ["schema": ref("Error")]]] }

    static func operation(_ id: String, _ summary: String, tag: String, body: JSON? = nil, response: (Int, JSON?), parameters: [JSON] = [],
                          errors: [Int] = [400, 401, 403], secured: Bool = true) -> JSON {
        var responses: JSON = [:]
        let (status, schema) = response
        responses[String(status)] = schema.map { ["description": "Success", "content": ["application/json": ["schema": $0]]] } ?? ["description": "Success"]
        for code in errors { responses[String(code)] = errorResponse }
        var operation: JSON = ["operationId": id, "summary": summary, "tags": [tag], "responses": responses]
        if !parameters.isEmpty { operation["parameters"] = parameters }
        if let body { operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": body]]] }
        if !secured { operation["security"] = [JSON]() }
        return operation
    }
    static func pathParameter(_ name: String, _ schema: JSON = string()) -> JSON {
        ["name": name, "in": "path", "required": true, "schema": schema]
    }
    static func query(_ name: String, _ schema: JSON) -> JSON { ["name": name, "in": "query", "required": false, "schema": schema] }
    static var paging: [JSON] { [query("limit", ["type": "integer", "minimum": 1, "maximum": 500]), query("offset", ["type": "integer", "minimum": 0])] }

    /// The incident list's filters, shared by the list and the export.
    static var incidentFilters: [JSON] {
        [query("unitId", string()), query("type", string(enum: IncidentType.allCases.map(\.rawValue))),
         query("harm", string(enum: Harm.allCases.map(\.rawValue))), query("status", string(enum: IncidentStatus.allCases.map(\.rawValue))),
         query("from", string("date")), query("to", string("date")).merging(["description": "Inclusive; not before from"]) { $1 },
         query("mine", string(enum: ["true", "false"])),
         query("q", string(nil).merging(["minLength": 1, "maxLength": 200]) { $1 }).merging(["description":
            "Words in the description, as typed: every word must appear, the last may be the start of a word. Punctuation is ignored."]) { $1 }]
    }

    static var schemas: JSON {
        let roles = Role.allCases.map(\.rawValue)
        let kinds = UnitKind.allCases.map(\.rawValue)
        let events = WebhookEvent.allCases.map(\.rawValue)
        return [
            "Error": object(["error": object(["code": string(), "message": string(), "fields": ["type": "object", "additionalProperties": string()]],
                                             required: ["code", "message"])]),
            "Organisation": object(["id": string(), "name": string(), "timeZone": string(), "rulePack": string(enum: RulePack.allCases.map(\.rawValue)),
                                    "allowsUnsignedReports": ["type": "boolean"], "requiresTwoFactorForPrivileged": ["type": "boolean"],
                                    "reviewTargetDays": ["type": "integer", "minimum": 1, "maximum": 60],
                                    "welfareCheckHours": ["type": "integer", "minimum": 1, "maximum": 336]]),
            "Site": object(["id": string(), "name": string(), "address": string()]),
            "Unit": object(["id": string(), "siteId": string(), "code": string(), "name": string(), "kind": string(enum: kinds),
                            "beds": nullable("integer"), "staffWTE": nullable("number")]),
            "Activity": object(["unitId": string(), "month": string(), "occupiedBedDays": nullable("integer"), "staffWTE": nullable("number")]),
            "User": object(["id": string(), "email": string(), "name": string(), "jobTitle": string(),
                            "roles": ["type": "array", "items": string(enum: roles)], "unitIds": ["type": "array", "items": string()],
                            "active": ["type": "boolean"], "twoFactorEnabled": ["type": "boolean"]]),
            "Me": object(["id": string(), "email": string(), "name": string(), "jobTitle": string(),
                          "roles": ["type": "array", "items": string(enum: roles)], "unitIds": ["type": "array", "items": string()],
                          "active": ["type": "boolean"], "twoFactorEnabled": ["type": "boolean"], "organisation": ref("Organisation")]),
            "IssuedToken": object(["id": string(), "token": string(), "expiresAt": string("date-time")]),
            "Token": object(["id": string(), "name": string(), "createdAt": string("date-time"),
                             "expiresAt": nullable("string", ["format": "date-time"]), "revokedAt": nullable("string", ["format": "date-time"])]),
            "Webhook": object(["id": string(), "url": string(), "events": ["type": "array", "items": string()], "active": ["type": "boolean"],
                               "createdAt": string("date-time")]),
            "Delivery": object(["id": string(), "event": string(), "status": string(enum: ["pending", "delivered", "failed"]),
                                "attempts": ["type": "integer"], "createdAt": string("date-time"),
                                "lastAttemptAt": nullable("string", ["format": "date-time"]), "responseStatus": nullable("integer"),
                                "lastError": nullable("string"), "deliveredAt": nullable("string", ["format": "date-time"])]),
            "Notification": object(["id": string(), "title": string(), "body": string(), "link": nullable("string"),
                                    "createdAt": string("date-time"), "readAt": nullable("string", ["format": "date-time"])]),
            "AuditEvent": object(["sequence": ["type": "integer"], "at": string("date-time"), "actorId": nullable("string"), "action": string(),
                                  "entity": string(), "entityId": nullable("string"), "changes": string(), "requestId": nullable("string"),
                                  "address": nullable("string"), "hash": string()]),
            "CreatedUser": object(["user": ref("User"), "passwordResetUrl": string()]),
            "PasswordReset": object(["resetUrl": string(), "expiresAt": string("date-time")]),
            "WebhookEventName": string(enum: events + ["*"]),
            "Incident": object(["id": string(), "type": string(enum: IncidentType.allCases.map(\.rawValue)), "occurredAt": string("date-time"),
                                "unitId": string(), "area": string(), "perpetrator": string(enum: Perpetrator.allCases.map(\.rawValue)),
                                "usWorkplaceViolenceType": ["type": "integer", "minimum": 1, "maximum": 4],
                                "harm": string(enum: Harm.allCases.map(\.rawValue)), "description": string(),
                                "reporterRole": string(enum: ReporterRole.allCases.map(\.rawValue)),
                                "status": string(enum: IncidentStatus.allCases.map(\.rawValue)), "reportedAt": string("date-time"),
                                "anonymous": ["type": "boolean"], "handlerId": nullable("string"), "reviewDueAt": nullable("string", ["format": "date-time"]),
                                "outcome": string(), "lessons": string(), "closedAt": nullable("string", ["format": "date-time"]),
                                "detail": ref("IncidentDetail")]),
        ]
    }

    static var paths: JSON {
        let id = pathParameter("id")
        let unitBody = object(["siteId": string(), "code": string(max: 20), "name": string(max: 200), "kind": string(enum: UnitKind.allCases.map(\.rawValue)),
                               "beds": nullable("integer", ["minimum": 0, "maximum": 5000]), "staffWTE": nullable("number", ["minimum": 0, "maximum": 100000])],
                              required: ["siteId", "code", "name", "kind"])
        var unitPatch = unitBody
        unitPatch["required"] = [String]()
        let userBody = object(["email": string(max: 254), "name": string(max: 200), "jobTitle": string(max: 200),
                               "roles": ["type": "array", "items": string(enum: Role.allCases.map(\.rawValue))],
                               "units": ["type": "array", "items": string(), "description": "Unit codes"], "active": ["type": "boolean"]],
                              required: ["email", "name", "roles"])
        var userPatch = userBody
        userPatch["required"] = [String]()
        return [
            "/api/v1/auth/tokens": [
                "post": operation("createToken", "Sign in with e-mail and password (and a TOTP code when enabled) to get a bearer token", tag: "Accounts",
                                  body: object(["email": string(), "password": string(), "otp": string(), "name": string(max: 100)], required: ["email", "password"]),
                                  response: (201, ref("IssuedToken")), errors: [400, 401, 413, 429], secured: false),
                "get": operation("listTokens", "Your API tokens", tag: "Accounts", response: (200, page(of: "Token"))),
            ],
            "/api/v1/auth/tokens/{id}": [
                "delete": operation("revokeToken", "Revoke one of your tokens", tag: "Accounts", response: (204, nil), parameters: [id], errors: [401, 403, 404]),
            ],
            "/api/v1/me": ["get": operation("getMe", "Who the token belongs to", tag: "Accounts", response: (200, ref("Me")), errors: [401, 403])],
            "/api/v1/organisation": [
                "get": operation("getOrganisation", "The organisation", tag: "Organisation", response: (200, ref("Organisation")), errors: [401, 403]),
                "patch": operation("updateOrganisation", "Change the organisation's settings", tag: "Organisation",
                                   body: object(["name": string(max: 200), "timeZone": string(), "rulePack": string(enum: RulePack.allCases.map(\.rawValue)),
                                                 "allowsUnsignedReports": ["type": "boolean"], "requiresTwoFactorForPrivileged": ["type": "boolean"],
                                    "reviewTargetDays": ["type": "integer", "minimum": 1, "maximum": 60],
                                    "welfareCheckHours": ["type": "integer", "minimum": 1, "maximum": 336]], required: []),
                                   response: (200, ref("Organisation"))),
            ],
            "/api/v1/sites": [
                "get": operation("listSites", "Sites", tag: "Organisation", response: (200, page(of: "Site")), parameters: paging),
                "post": operation("createSite", "Add a site", tag: "Organisation",
                                  body: object(["name": string(max: 200), "address": string(max: 500)], required: ["name"]), response: (201, ref("Site"))),
            ],
            "/api/v1/sites/{id}": [
                "get": operation("getSite", "A site", tag: "Organisation", response: (200, ref("Site")), parameters: [id], errors: [401, 403, 404]),
                "patch": operation("updateSite", "Change a site", tag: "Organisation",
                                   body: object(["name": string(max: 200), "address": string(max: 500)], required: []), response: (200, ref("Site")),
                                   parameters: [id], errors: [400, 401, 403, 404]),
            ],
            "/api/v1/units": [
                "get": operation("listUnits", "Units", tag: "Organisation", response: (200, page(of: "Unit")),
                                 parameters: paging + [query("kind", string(enum: UnitKind.allCases.map(\.rawValue))), query("siteId", string())]),
                "post": operation("createUnit", "Add a unit", tag: "Organisation", body: unitBody, response: (201, ref("Unit"))),
            ],
            "/api/v1/units/{id}": [
                "get": operation("getUnit", "A unit", tag: "Organisation", response: (200, ref("Unit")), parameters: [id], errors: [401, 403, 404]),
                "patch": operation("updateUnit", "Change a unit", tag: "Organisation", body: unitPatch, response: (200, ref("Unit")),
                                   parameters: [id], errors: [400, 401, 403, 404]),
            ],
            "/api/v1/units/{id}/activity": [
                "get": operation("listUnitActivity", "A unit's monthly activity, newest first", tag: "Organisation", response: (200, page(of: "Activity")),
                                 parameters: [id] + paging, errors: [400, 401, 403, 404]),
            ],
            "/api/v1/units/{id}/activity/{month}": [
                "put": operation("recordUnitActivity", "Record a month's occupied bed days and staff WTE", tag: "Organisation",
                                 body: object(["occupiedBedDays": nullable("integer", ["minimum": 0, "maximum": 1000000]),
                                               "staffWTE": nullable("number", ["minimum": 0, "maximum": 100000])], required: []),
                                 response: (200, ref("Activity")), parameters: [id, pathParameter("month", string(nil).merging(["pattern": "^[0-9]{4}-[0-9]{2}$"]) { $1 })],
                                 errors: [400, 401, 403, 404]),
            ],
            "/api/v1/users": [
                "get": operation("listUsers", "People the caller may see", tag: "People", response: (200, page(of: "User")),
                                 parameters: paging + [query("role", string(enum: Role.allCases.map(\.rawValue))), query("unitId", string())]),
                "post": operation("createUser", "Add a person; returns a one-time link for them to choose a password", tag: "People",
                                  body: userBody, response: (201, ref("CreatedUser"))),
            ],
            "/api/v1/users/{id}": [
                "get": operation("getUser", "A person (the read is audited)", tag: "People", response: (200, ref("User")), parameters: [id], errors: [401, 403, 404]),
                "patch": operation("updateUser", "Change a person's details, roles, units or whether they are active", tag: "People",
                                   body: userPatch, response: (200, ref("User")), parameters: [id], errors: [400, 401, 403, 404, 409]),
            ],
            "/api/v1/users/{id}/password-reset": [
                "post": operation("issuePasswordReset", "Issue a one-time password-reset link", tag: "People", response: (201, ref("PasswordReset")),
                                  parameters: [id], errors: [401, 403, 404]),
            ],
            "/api/v1/audit-events": [
                "get": operation("listAuditEvents", "The audit trail, newest first", tag: "Audit",
                                 response: (200, object(["items": ["type": "array", "items": ref("AuditEvent")], "limit": ["type": "integer"]])),
                                 parameters: [query("action", string()), query("entity", string()), query("actorId", string()),
                                              query("from", string("date")), query("to", string("date")), query("before", ["type": "integer"]),
                                              query("limit", ["type": "integer", "minimum": 1, "maximum": 500])]),
            ],
            "/api/v1/webhooks": [
                "post": operation("createWebhook", "Add a webhook endpoint", tag: "Webhooks",
                                  body: object(["url": string(max: 2000), "secret": string(nil).merging(["minLength": 16, "maxLength": 200]) { $1 },
                                                "events": ["type": "array", "items": ref("WebhookEventName"), "minItems": 1]]),
                                  response: (201, ref("Webhook"))),
                "get": operation("listWebhooks", "Webhook endpoints", tag: "Webhooks", response: (200, page(of: "Webhook")), parameters: paging),
            ],
            "/api/v1/webhooks/{id}/deliveries": [
                "get": operation("listWebhookDeliveries", "An endpoint's delivery log, newest first", tag: "Webhooks", response: (200, page(of: "Delivery")),
                                 parameters: [id] + paging, errors: [400, 401, 403, 404]),
            ],
            "/api/v1/notifications": [
                "get": operation("listNotifications", "Your in-app notifications, newest first", tag: "Notifications",
                                 response: (200, page(of: "Notification")), parameters: paging),
            ],
            "/api/v1/notifications/read": [
                "post": operation("markNotificationsRead", "Mark one notification (by id) or all of them read", tag: "Notifications",
                                  body: object(["id": string()], required: []), response: (204, nil)),
            ],
            "/api/v1/incidents": [
                "post": operation("createIncident", "Report an incident: six required answers; Idempotency-Key makes a repeat return the first record", tag: "Incidents",
                                  body: object(["type": string(enum: IncidentType.allCases.map(\.rawValue)), "occurredAt": string("date-time"),
                                                "unitId": string(), "area": string(max: 200),
                                                "perpetrator": string(enum: Perpetrator.allCases.map(\.rawValue)), "harm": string(enum: Harm.allCases.map(\.rawValue)),
                                                "description": string(max: IncidentReport.maximumDescription),
                                                "reporterRole": string(enum: ReporterRole.allCases.map(\.rawValue))],
                                               required: ["type", "unitId", "area", "perpetrator", "harm", "description"]),
                                  response: (201, ref("Incident")),
                                  parameters: [["name": "Idempotency-Key", "in": "header", "required": false, "schema": string(max: 200)]],
                                  errors: [400, 401, 403, 413]).merging(["responses": [
                                      "201": ["description": "Saved", "content": ["application/json": ["schema": ref("Incident")]]],
                                      "200": ["description": "A repeat of an earlier request with the same Idempotency-Key: the first record",
                                              "content": ["application/json": ["schema": ref("Incident")]]],
                                      "400": errorResponse, "401": errorResponse, "403": errorResponse, "413": errorResponse]]) { $1 },
                "get": operation("listIncidents", "Your reports and those of the units in your remit, newest first", tag: "Incidents",
                                 response: (200, object(["items": ["type": "array", "items": ref("Incident")], "total": ["type": "integer"],
                                                         "totalIsCapped": ["type": "boolean", "description":
                                                             "true when counting stopped early (at 10,000, or 1,000 with q): there are more than total"],
                                                         "limit": ["type": "integer"], "offset": ["type": "integer"]])),
                                 parameters: paging + incidentFilters),
            ],
            "/api/v1/incidents/export": [
                "get": ["operationId": "exportIncidents", "summary": "Your reports and those of your remit as CSV or JSON Lines, streamed (the export is audited)",
                        "tags": ["Incidents"],
                        "parameters": [query("format", string(enum: ["csv", "jsonl"]))] + incidentFilters,
                        "responses": ["200": ["description": "The reports, one a row or line",
                                              "content": ["text/csv": ["schema": string()], "application/x-ndjson": ["schema": string()]]],
                                      "400": errorResponse, "401": errorResponse, "403": errorResponse]] as JSON,
            ],
            "/api/v1/riddor/assessments": [
                "post": operation("assessRiddor", "Whether an injury is reportable under RIDDOR 2013, in which category and by when (a pure decision)", tag: "Incidents",
                                  body: object(["accidentDate": string("date"), "injuredPerson": string(enum: Riddor.InjuredPerson.allCases.map(\.rawValue)),
                                                "workRelated": ["type": "boolean"], "death": ["type": "boolean"], "specifiedInjury": ["type": "boolean"],
                                                "incapacitationDays": ["type": "integer", "minimum": 0, "maximum": 3660],
                                                "takenToHospital": ["type": "boolean"], "physicalInjury": ["type": "boolean"],
                                                "onHospitalPremises": ["type": "boolean"]],
                                               required: ["accidentDate", "injuredPerson", "workRelated", "death", "specifiedInjury", "incapacitationDays",
                                                          "takenToHospital", "physicalInjury"]),
                                  response: (200, object(["reportable": ["type": "boolean"], "category": string(enum: Riddor.Category.allCases.map(\.rawValue)),
                                                          "reportBy": ["type": ["string", "null"], "format": "date"], "recordOnly": ["type": "boolean"],
                                                          "reason": string()],
                                                         required: ["reportable", "category", "reportBy", "recordOnly", "reason"]))),
            ],
            "/api/v1/openapi.json": [
                "get": operation("getOpenAPI", "This document", tag: "Meta", response: (200, ["type": "object"]), errors: [], secured: false),
            ],
        ]
    }

    static var document: JSON {
        [
            "openapi": "3.1.0",
            "info": ["title": "Haven API", "version": "1.0.0",
                     "description": "Violence prevention and reduction, restrictive practice and lone-worker safety for health and social care."],
            "servers": [["url": "/"]],
            "security": [["bearer": [String]()]],
            "components": ["schemas": schemas.merging(caseSchemas) { $1 }.merging(recordsSchemas) { $1 }
                .merging(loneWorkingSchemas) { $1 }.merging(integrationSchemas) { $1 }.merging(useOfForceSchemas) { $1 }.merging(investigationSchemas) { $1 },
                           "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]]],
            "paths": paths.merging(casePaths) { $1 }.merging(recordsPaths) { $1 }
                .merging(loneWorkingPaths) { $1 }.merging(integrationPaths) { $1 }.merging(useOfForcePaths) { $1 }.merging(investigationPaths) { $1 },
        ]
    }

    static let data: Data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
}

struct OpenAPIController {
    func register(_ routes: Routes) {
        routes.addPublic(.get, "/api/v1/openapi.json", api: true) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.data)))
        }
    }
}
