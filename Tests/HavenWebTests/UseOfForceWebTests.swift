import Foundation
import HavenCore
import HavenData
import HavenServices
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Use of force: the API")
struct UseOfForceAPITests {
    /// A complete s6(5) record on OAK, a supine hold of five minutes ending a minute ago, with `changes` applied.
    static func body(_ harness: Harness, _ changes: [String: Any] = [:], removing: [String] = []) async throws -> String {
        let oak = try await harness.unit("OAK")
        let now = harness.clock.now()
        var fields: [String: Any] = [
            "unitId": oak.id, "reason": "Hitting another patient", "place": "Lounge",
            "interventions": [["type": "09", "startedAt": (now - 360).iso8601, "endedAt": (now - 60).iso8601, "plannedInCarePlan": false]],
            "description": "Two-person supine hold", "staff": [["name": "Sam Okafor", "jobTitle": "Staff nurse"]],
            "nonStaffInvolved": false, "outcome": "Calm after five minutes", "harm": "none",
            "effortsToAvoid": "Talking down, offered time in a quiet room", "carePlanContactsNotified": "yes",
            "patientLocalId": "OAK-0042", "patientName": "Alex Doe", "nhsNumber": "943 476 5919", "mentalDisorder": "Psychosis",
            "characteristicsStatus": "recorded", "characteristics": ["ethnicity": "N", "sex": "male", "ageBand": "18-24"],
            "learningDisabilityOrAutism": "no", "detained": true, "detentionSection": "3",
        ]
        for (key, value) in changes { fields[key] = value }
        for key in removing { fields.removeValue(forKey: key) }
        return String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
    }

    static func recorded(_ harness: Harness) async throws -> Int {
        try await harness.database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM use_of_force_episodes").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    @Test("A complete record is saved (201) with its duration, and is read back whole by a manager of the unit")
    func record() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let created = try await staff.call(.post, "/api/v1/use-of-force", json: try await Self.body(harness))
            #expect(created.status == .created, "\(created.text)")
            let json = try created.json()
            #expect(json["durationSeconds"] as? Int == 300)
            #expect(json["identityHidden"] as? Bool == true, "the recorder does not see the name read back")
            #expect(json["nhsNumber"] == nil && json["patientName"] == nil)
            let id = try #require(json["id"] as? String)
            let manager = try await APIClient.signedIn(client, as: .manager)
            let read = try await manager.call(.get, "/api/v1/use-of-force/\(id)")
            #expect(read.status == .ok)
            let full = try read.json()
            #expect(full["nhsNumber"] as? String == "9434765919" && full["patientName"] as? String == "Alex Doe")
            #expect((full["characteristics"] as? [String: String])?["ethnicity"] == "N")
            let audited = try await harness.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'use-of-force.read' AND entity_id = \(bind: id)").first()?
                    .decode(column: "n", as: Int.self)
            }
            #expect(audited == 1)
        }
    }

    /// Each case: a name, the change to a complete body, the status, the field named and words of its message.
    static let badInputs: [(String, String, Int, String, String)] = [
        ("missing reason", #"{"remove":"reason"}"#, 422, "reason", "s6(5)(a)"),
        ("unknown code", #"{"interventions":[{"type":"03","startedAt":"-360","endedAt":"-60","plannedInCarePlan":false}]}"#, 422, "interventions[0].type", "01, 04, 05"),
        ("end before start", #"{"interventions":[{"type":"09","startedAt":"-60","endedAt":"-360","plannedInCarePlan":false}]}"#, 422, "interventions[0].endedAt", "after the start"),
        ("future start", #"{"interventions":[{"type":"09","startedAt":"+600","endedAt":"+900","plannedInCarePlan":false}]}"#, 422, "interventions[0].startedAt", "future"),
        ("code 13 without position", #"{"interventions":[{"type":"13","startedAt":"-360","endedAt":"-60","plannedInCarePlan":false}]}"#, 422, "interventions[0].position", "position"),
        ("over 24 hours", #"{"interventions":[{"type":"07","startedAt":"-90000","endedAt":"-60","plannedInCarePlan":false}]}"#, 422, "interventions[0].endedAt", "24 hours"),
        ("wrong check digit", #"{"nhsNumber":"9434765918"}"#, 422, "nhsNumber", "s6(5)(g)"),
        ("prone without justification", #"{"interventions":[{"type":"01","startedAt":"-360","endedAt":"-60","plannedInCarePlan":false}]}"#, 422, "proneJustification", "Prone"),
        ("bad characteristic", #"{"characteristics":{"ethnicity":"white"}}"#, 422, "characteristics.ethnicity", "s6(5)(k)"),
        ("wrong type", #"{"detained":"yes"}"#, 400, "detained", "true or false"),
        ("unknown field", #"{"colour":"red"}"#, 400, "colour", "Unknown"),
        ("control character in the identifier", #"{"patientLocalId":"OAK\u001f42"}"#, 422, "patientLocalId", "control characters"),
    ]

    // One server for every case: each harness holds database connections, and a case per test would run them all at once.
    @Test("Bad input gets 4xx naming the field and the statutory item, and saves nothing")
    func badInput() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            for (name, change, status, field, words) in Self.badInputs {
                var changes = try #require(try JSONSerialization.jsonObject(with: Data(change.utf8)) as? [String: Any])
                var removing: [String] = []
                if let key = changes.removeValue(forKey: "remove") as? String { removing.append(key) }
                // Times are written relative to the harness clock: "-360" is six minutes ago.
                if var items = changes["interventions"] as? [[String: Any]] {
                    for index in items.indices {
                        for key in ["startedAt", "endedAt"] {
                            if let offset = (items[index][key] as? String).flatMap(Double.init) { items[index][key] = (harness.clock.now() + offset).iso8601 }
                        }
                    }
                    changes["interventions"] = items
                }
                let response = try await staff.call(.post, "/api/v1/use-of-force", json: try await Self.body(harness, changes, removing: removing))
                #expect(response.status.code == status, "\(name): \(response.text)")
                let error = try #require(try response.json()["error"] as? [String: Any])
                let message = try #require((error["fields"] as? [String: String])?[field], "\(name): \(response.text)")
                #expect(message.contains(words), "\(name): \(message)")
                #expect(try await Self.recorded(harness) == 0)
            }
        }
    }

    @Test("A long restraint passes once confirmed; an overlapping duplicate is warned (422) and saved only when confirmed")
    func confirmations() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let now = harness.clock.now()
            let long: [String: Any] = ["interventions": [["type": "07", "startedAt": (now - 90_000).iso8601, "endedAt": (now - 60).iso8601, "plannedInCarePlan": false]],
                                       "confirmLongRestraint": true]
            #expect(try await staff.call(.post, "/api/v1/use-of-force", json: try await Self.body(harness, long)).status == .created)
            #expect(try await staff.call(.post, "/api/v1/use-of-force", json: try await Self.body(harness)).status == .created)
            let twin = try await staff.call(.post, "/api/v1/use-of-force", json: try await Self.body(harness))
            #expect(twin.status == .unprocessableContent)
            #expect(twin.text.contains("overlap_warning") && twin.text.contains("interventions[0].startedAt"))
            #expect(try await Self.recorded(harness) == 2)
            #expect(try await staff.call(.post, "/api/v1/use-of-force", json: try await Self.body(harness, ["confirmOverlap": true])).status == .created)
        }
    }

    @Test("Prone restraint tells the unit's manager and the restrictive-practice lead at once, and queues the webhook event")
    func proneAlert() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let now = harness.clock.now()
            let prone: [String: Any] = ["interventions": [["type": "01", "startedAt": (now - 900).iso8601, "endedAt": (now - 120).iso8601, "plannedInCarePlan": false]],
                                        "proneJustification": "Fell forward during the hold; turned onto the side after two minutes"]
            let created = try await staff.call(.post, "/api/v1/use-of-force", json: try await Self.body(harness, prone))
            #expect(created.status == .created, "\(created.text)")
            let kinds = (try created.json()["alerts"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }
            #expect(kinds == ["prone-restraint", "prone-ten-minutes"])
            for role in [Role.manager, .restrictivePracticeLead] {
                let told = try await harness.environment.notifications.list(userId: try await harness.user(role).id)
                #expect(told.contains { $0.title.contains("Prone restraint") && !$0.body.contains("Alex Doe") }, "\(role)")
            }
            #expect(try await harness.environment.notifications.list(userId: try await harness.user(.trainer).id).isEmpty)
            let manager = try await harness.user(.manager)
            let attention = try await harness.environment.attention(for: manager, organisation: try #require(try await harness.environment.organisations.primaryOrganisation()))
            #expect(attention.contains { $0.title.contains("senior review") })
        }
    }

    @Test("Scope: another unit is refused (403 on unitId); staff list only their own; a manager of other units gets 404")
    func scope() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let ed = try await harness.unit("ED")
            let refused = try await staff.call(.post, "/api/v1/use-of-force", json: try await Self.body(harness, ["unitId": ed.id]))
            #expect(refused.status == .forbidden && refused.text.contains("unitId"))
            let lead = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
            let theirs = try await lead.call(.post, "/api/v1/use-of-force", json: try await Self.body(harness, ["unitId": ed.id, "patientLocalId": "ED-7"]))
            #expect(theirs.status == .created, "\(theirs.text)")
            let edId = try #require(try theirs.json()["id"] as? String)
            #expect(try await staff.call(.post, "/api/v1/use-of-force", json: try await Self.body(harness)).status == .created)
            let own = try await staff.call(.get, "/api/v1/use-of-force").json()
            #expect(own["total"] as? Int == 1)
            #expect(try await staff.call(.get, "/api/v1/use-of-force/\(edId)").status == .notFound)
            let manager = try await APIClient.signedIn(client, as: .manager)
            #expect(try await manager.call(.get, "/api/v1/use-of-force/\(edId)").status == .notFound, "ED is not one of their units")
            #expect(try await manager.call(.get, "/api/v1/use-of-force").json()["total"] as? Int == 1)
            #expect(try await lead.call(.get, "/api/v1/use-of-force?review=waiting").json()["total"] as? Int == 0)
            #expect(try await lead.call(.get, "/api/v1/use-of-force?from=2026-13-01").status == .badRequest)
        }
    }

    @Test("PATCH corrects only the fields sent, checks the whole record again, and records the senior review once")
    func correctAndReview() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let now = harness.clock.now()
            let pain: [String: Any] = ["interventions": [["type": "09", "startedAt": (now - 360).iso8601, "endedAt": (now - 60).iso8601,
                                                           "plannedInCarePlan": false, "painBased": true]]]
            let id = try #require(try await staff.call(.post, "/api/v1/use-of-force", json: try await Self.body(harness, pain)).json()["id"] as? String)
            let fixed = try await staff.call(.patch, "/api/v1/use-of-force/\(id)", json: #"{"outcome":"Calm after ten minutes"}"#)
            #expect(fixed.status == .ok, "\(fixed.text)")
            #expect(try fixed.json()["outcome"] as? String == "Calm after ten minutes")
            #expect(try fixed.json()["reason"] as? String == "Hitting another patient", "untouched fields stay")
            let broken = try await staff.call(.patch, "/api/v1/use-of-force/\(id)", json: #"{"nhsNumber":"1234567890"}"#)
            #expect(broken.status == .unprocessableContent && broken.text.contains("s6(5)(g)"))
            let manager = try await APIClient.signedIn(client, as: .manager)
            #expect(try await manager.call(.patch, "/api/v1/use-of-force/\(id)", json: #"{"review":{"note":"Fine"}}"#).status == .forbidden)
            let lead = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
            let reviewed = try await lead.call(.patch, "/api/v1/use-of-force/\(id)", json: #"{"review":{"note":"Pain-based wrist hold: safeguarding referral made"}}"#)
            #expect(reviewed.status == .ok, "\(reviewed.text)")
            #expect((try reviewed.json()["review"] as? [String: Any])?["note"] as? String == "Pain-based wrist hold: safeguarding referral made")
            #expect(try await lead.call(.patch, "/api/v1/use-of-force/\(id)", json: #"{"review":{"note":"Again"}}"#).status == .conflict)
            let changes = try await harness.database.read { db in
                try await db.raw("SELECT changes FROM audit_events WHERE action = 'use-of-force.update' AND entity_id = \(bind: id)").first()?
                    .decode(column: "changes", as: String.self)
            }
            #expect(changes?.contains("outcome") == true && changes?.contains("Calm") == false, "the audit names the item, not its words")
        }
    }
}
