import Foundation
import HavenCore

/// The violent incident log and retention in the OpenAPI document, kept apart from the main list of paths so the
/// features can change without touching each other's lines.
extension OpenAPIDocument {
    static var recordsSchemas: JSON {
        let list: JSON = ["type": "array", "items": string()]
        return [
            "ViolentIncidentLogEntry": object([
                "date": string("date"), "time": string(), "timeZone": string(), "site": string(), "unit": string(), "specificArea": string(),
                "violenceType": ["type": "integer", "minimum": 1, "maximum": 4], "perpetratorClassification": string(),
                "incidentType": string(), "description": string(), "circumstances": list, "characteristics": list, "weapon": string(),
                "contributingFactors": list, "harm": string(), "injuries": string(), "bodyParts": list, "policeAttended": ["type": "boolean"],
                "actionsTaken": string(), "completedByName": string(), "completedByJobTitle": string(), "completedOn": string(),
            ]),
            "Retention": object([
                "rulePack": string(enum: RulePack.allCases.map(\.rawValue)),
                "records": ["type": "array", "items": object([
                    "recordType": string(enum: RetainedRecord.allCases.map(\.field)), "years": ["type": "integer"],
                    "minimumYears": ["type": "integer"], "defaultYears": ["type": "integer"], "setByOrganisation": ["type": "boolean"],
                    "basis": string(),
                ])],
            ]),
        ]
    }

    static var recordsPaths: JSON {
        // The lowest legal minimum of any rule pack; the organisation's own pack may ask for more (minimumYears in GET).
        func years(_ record: RetainedRecord) -> JSON {
            ["type": "integer", "minimum": RulePack.allCases.map { RetentionPolicy.rule(for: record, rulePack: $0).minimumYears }.min() ?? 0,
             "maximum": RetentionPolicy.maximumYears, "description": "Whole years; at least the rule pack's minimum (see minimumYears in GET)"]
        }
        return [
            "/api/v1/incidents/log": [
                "get": ["operationId": "getViolentIncidentLog",
                        "summary": "The violent incident log (SB 553, Title 8 §3342(d)) for your remit, streamed as CSV or JSON Lines (the export is audited)",
                        "description": """
                            Every incident with the log's columns: local date and time, site, unit and specific area, violence type 1–4, \
                            perpetrator classification, incident type, description, circumstances, characteristics, consequences and who \
                            completed the entry. It carries no personal identifiers (no reporter, patient identifier, witnesses, crime \
                            reference or record id), so it is also the redacted export for staff-side partnership representatives; there \
                            is no separate endpoint. Free text has e-mail addresses, phone-like numbers and the report's own identifiers \
                            removed, but a description can still describe a person in words: read it before publishing. Managers get \
                            their own units only.
                            """,
                        "tags": ["Incidents"],
                        "parameters": [query("format", string(enum: ["csv", "jsonl"])), query("from", string("date")), query("to", string("date")),
                                       query("unitId", string())],
                        "responses": ["200": ["description": "The log, one row or line an incident; JSON Lines rows are ViolentIncidentLogEntry objects",
                                              "content": ["text/csv": ["schema": string()], "application/x-ndjson": ["schema": string()]]],
                                      "400": errorResponse, "401": errorResponse, "403": errorResponse]] as JSON,
            ],
            "/api/v1/retention": [
                "get": operation("getRetention", "How long each kind of record is kept before the daily purge anonymises it", tag: "Retention",
                                 response: (200, ref("Retention")), errors: [401, 403]),
                "put": operation("setRetention", "Set every record type's retention in whole years; below the rule pack's legal minimum is refused",
                                 tag: "Retention", body: object(Dictionary(uniqueKeysWithValues: RetainedRecord.allCases.map { ($0.field, years($0)) })),
                                 response: (200, ref("Retention"))),
            ],
        ]
    }
}
