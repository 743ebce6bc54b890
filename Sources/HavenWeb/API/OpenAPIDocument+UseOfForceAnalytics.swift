import Foundation
import HavenCore

/// The OpenAPI entries for use-of-force reduction analytics, patient populations and exports. The schemas follow
/// `UseOfForceStatisticsJSON` field for field: a figure that cannot be computed is left out, so it is not required.
extension OpenAPIDocument {
    static var useOfForceAnalyticsSchemas: JSON {
        // A count or figure is left out when it cannot be worked out or, for a partnership representative, when it is a
        // small number or worked out from one (see `suppression`), so each is nullable.
        let count = nullable("integer", ["minimum": 0])
        let number = nullable("number")
        let month = monthSchema
        let figures = object([
            "unitId": nullable("string"), "unitName": nullable("string"), "month": nullable("string"),
            "episodes": count, "restraints": count, "prone": count, "proneTenMinutes": count, "seclusions": count, "segregations": count,
            "mechanical": count, "chemical": count, "rapidTranquillisation": count, "painBased": count, "seriousInjuries": count,
            "deaths": count, "monthsWithoutBedDays": ["type": "integer", "minimum": 0], "occupiedBedDays": nullable("integer"),
            "restraintsPer1000BedDays": number,
            "restraintMinutes": object(["mean": number, "median": number, "maximum": nullable("integer")]),
            "seclusionHours": number, "segregationHours": number,
            "distinctPatients": count.merging(["description": "Different patients force was used on; a patient with many episodes counts once, so it is not the sum of the months or units"]) { $1 },
            "distinctPatientsIncomplete": ["type": "boolean", "description": "Some episodes counted lost their patient identifier to retention, so distinctPatients is a lower bound"],
            "negligibleForceUses": count.merging(["description": "Short records of negligible force (s6(2)-(3)), counted apart: never part of episodes or restraints"]) { $1 },
        ])
        let value = object([
            "value": string(), "label": string(), "known": ["type": "boolean"],
            "episodes": count, "restraints": count, "prone": count, "proneTenMinutes": count, "chemical": count,
            "restraintMinutesMean": number, "restraintMinutesMedian": number, "restraintMinutesMaximum": nullable("integer"),
            "seclusionHours": number, "segregationHours": number,
            "patients": nullable("integer"), "episodeShare": number, "populationShare": number,
            "episodeRatio": number, "restraintRatio": number,
        ])
        let patients = populationPatients
        return [
            "UseOfForceFigures": figures,
            "UseOfForceStatistics": object([
                "from": month, "to": month, "unitId": nullable("string"), "ratioMethod": string(),
                "totals": ref("UseOfForceFigures"),
                "months": ["type": "array", "items": ref("UseOfForceFigures")],
                "units": ["type": "array", "items": ref("UseOfForceFigures")],
                "unitMonths": ["type": "array", "items": ref("UseOfForceFigures")],
                "characteristics": ["type": "array", "items": object([
                    "characteristic": string(enum: ProtectedCharacteristic.allCases.map(\.rawValue)), "label": string(),
                    "values": ["type": "array", "items": value],
                ])],
                "suppression": nullable("object", [
                    "description": "Present when small numbers are withheld from you (a partnership representative): counts from 1 to threshold, and what is worked out from them, are left out",
                    "properties": ["threshold": ["type": "integer"], "explanation": string()],
                ]),
            ]),
            "UseOfForcePopulation": object(["unitId": string(), "from": month, "to": month, "patients": object(patients, required: []),
                                            "updatedAt": nullable("string", ["format": "date-time"])]),
        ]
    }

    static var monthSchema: JSON { string(nil).merging(["pattern": "^[0-9]{4}-[0-9]{2}$"]) { $1 } }

    static var useOfForceAnalyticsPaths: JSON {
        let tag = "Use of force"
        let month = monthSchema
        let months = [query("from", string(nil).merging(["description": "First month, YYYY-MM (default: 11 months before to)"]) { $1 }),
                      query("to", string(nil).merging(["description": "Last month, YYYY-MM, included (default: this month); not before from"]) { $1 }),
                      query("unitId", string())]
        let days = [query("from", string("date")), query("to", string("date")).merging(["description": "Inclusive; not before from"]) { $1 },
                    query("unitId", string())]
        let files: JSON = ["description": "The file, streamed",
                           "content": ["text/csv": ["schema": string()], "application/x-ndjson": ["schema": string()]]]
        func download(_ id: String, _ summary: String, formats: [String]) -> JSON {
            var operation = operation(id, summary, tag: tag, response: (200, nil),
                                      parameters: [query("format", string(enum: formats))] + days, errors: [400, 401, 403])
            var responses = operation["responses"] as! JSON
            responses["200"] = files
            operation["responses"] = responses
            return operation
        }
        return [
            "/api/v1/use-of-force/statistics": [
                "get": operation("getUseOfForceStatistics",
                                 "Reduction analytics for calendar months: restraints per 1,000 occupied bed days by unit and month, minutes of "
                                 + "restraint, prone, seclusion and segregation hours, chemical restraint, and each relevant characteristic with its "
                                 + "disproportionality ratio against the patient population entered. Aggregates only, within your remit; for a partnership representative small numbers are withheld (see suppression).",
                                 tag: tag, response: (200, ref("UseOfForceStatistics")), parameters: months),
            ],
            "/api/v1/use-of-force/populations": [
                "get": operation("listUseOfForcePopulations", "The patient populations entered for the units in your remit",
                                 tag: tag, response: (200, object(["items": ["type": "array", "items": ref("UseOfForcePopulation")]])),
                                 parameters: [query("unitId", string())]),
                "put": operation("setUseOfForcePopulation",
                                 "Enter or replace a unit's patients by characteristic value for a period (the same unit and first month "
                                 + "replaces it); a period overlapping another of the unit's is 409",
                                 tag: tag, body: object(["unitId": string(), "from": month, "to": month, "patients": object(populationPatients, required: [])]),
                                 response: (200, ref("UseOfForcePopulation")), errors: [400, 401, 403, 409]),
            ],
            "/api/v1/use-of-force/export": [
                "get": download("exportUseOfForce",
                                "Records in your remit, streamed and audited: mhsds-csv (one row per restrictive intervention, MHSDS type codes, "
                                + "local dates and times, local patient identifier), csv (Haven's intervention rows) or jsonl (whole records)",
                                formats: UseOfForceExport.formats),
            ],
            "/api/v1/use-of-force/export/anonymised": [
                "get": download("exportUseOfForceAnonymised",
                                "For publication and partnership representatives: month, unit, types, lengths, outcome and characteristics; no names, "
                                + "NHS numbers, local identifiers, staff, ids, exact times or free text. A characteristic, harm, detention or learning "
                                + "disability or autism value shared by 1 to the organisation's threshold (default 7) episodes of its unit and month in "
                                + "the file is written as *",
                                formats: UseOfForceExport.anonymisedFormats),
            ],
        ]
    }

    /// characteristic → value → patients, for the population's answer and its body alike.
    static var populationPatients: [String: JSON] {
        var patients: [String: JSON] = [:]
        for characteristic in ProtectedCharacteristic.allCases {
            var values: [String: JSON] = [:]
            for code in characteristic.validCodes { values[code] = ["type": "integer", "minimum": 0, "maximum": 1_000_000] }
            patients[characteristic.rawValue] = object(values, required: [])
        }
        return patients
    }
}
