import Foundation
import HavenCore
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("RIDDOR helper: API and page")
struct RiddorWebTests {
    static func body(date: String = "2026-11-02", person: String = "worker", days: String = "8", extra: String = "") -> String {
        #"{"accidentDate":"\#(date)","injuredPerson":"\#(person)","workRelated":true,"death":false,"specifiedInjury":false,"incapacitationDays":\#(days),"takenToHospital":false,"physicalInjury":true\#(extra)}"#
    }

    @Test("The API decides, and refuses bad answers naming the field")
    func api() async throws {
        try await Harness.run { client, harness in
            let api = try await APIClient.signedIn(client, as: .staff)
            harness.clock.advance(by: 0)
            let eight = try await api.call(.post, "/api/v1/riddor/assessments", json: Self.body())
            #expect(eight.status == .ok)
            let json = try eight.json()
            #expect(json["reportable"] as? Bool == true && json["category"] as? String == "over-seven-day" && json["reportBy"] as? String == "2026-11-17")
            let none = try await api.call(.post, "/api/v1/riddor/assessments", json: Self.body(days: "2")).json()
            #expect(none["reportBy"] is NSNull, "reportBy is present, as null")
            for (body, field) in [(Self.body(days: "-1"), "incapacitationDays"), (Self.body(date: "2026-02-30"), "accidentDate"),
                                  (Self.body(date: "2999-01-01"), "accidentDate"), (Self.body(person: "visitor"), "injuredPerson"),
                                  (Self.body(extra: #","colour":"red""#), "colour"), (#"{"accidentDate":"2026-11-02"}"#, "workRelated")] {
                let response = try await api.call(.post, "/api/v1/riddor/assessments", json: body)
                #expect(response.status == .badRequest, "\(field)")
                let fields = try #require((try response.json()["error"] as? [String: Any])?["fields"] as? [String: String])
                #expect(fields[field] != nil, "\(field): \(fields)")
            }
        }
    }

    @Test("The page shows the answer, and errors beside the fields")
    func page() async throws {
        try await Harness.run { client, _ in
            var browser = try await Browser.signedIn(client, as: .staff)
            #expect(try await browser.get(client, "/riddor").status == .ok)
            let answer = try await browser.post(client, "/riddor", [("accidentDate", "2026-11-02"), ("injuredPerson", "worker"), ("workRelated", "yes"),
                                                                   ("physicalInjury", "yes"), ("specifiedInjury", "yes"), ("incapacitationDays", "")])
            #expect(answer.status == .ok && answer.text.contains("Reportable to the HSE (specified-injury)") && answer.text.contains("Report by 2026-11-12"))
            let wrong = try await browser.post(client, "/riddor", [("accidentDate", "yesterday"), ("incapacitationDays", "-2")])
            #expect(wrong.status == .badRequest && wrong.text.contains("error-summary") && wrong.text.contains("cannot be negative"))
        }
    }
}
