import Foundation
import HavenCore
import HavenData
import HavenServices
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Alarm receiving centres called by escalation steps (issue 4, REFERENCE §15 E 35).
@Suite("Lone working: escalation steps that call an alarm receiving centre")
struct LoneWorkingCentreTests {
    static let urn = "WYP/URN/4471"

    /// Adds an alarm receiving centre that escalation steps call at `url`; returns its id and signing secret.
    static func addCentre(_ admin: APIClient, url: String) async throws -> (id: String, secret: String) {
        let created = try await admin.call(.post, "/api/v1/integrations", json: """
            {"name":"Northern ARC","kind":"alarm-receiving-centre","outboundUrl":"\(url)","bs8484Certified":true,
             "certificateReference":"NSI-8484-0193","policeUrn":"\(urn)","level1Response":true,
             "responseAgreement":"Call the worker; listen in; call the buddy; call 999 quoting the URN"}
            """)
        #expect(created.status == .created, "\(created.text)")
        let body = try created.json()
        #expect(body["kind"] as? String == "alarm-receiving-centre" && body["policeUrn"] as? String == urn && body["level1Response"] as? Bool == true)
        return (try #require(body["id"] as? String), try #require(body["secret"] as? String))
    }

    /// A policy whose first step calls the centre and whose second tells the line manager; a visit for the staff nurse under it.
    static func visit(_ client: any TestClientProtocol, _ admin: APIClient, centreId: String) async throws -> (staff: APIClient, id: String, policyId: String) {
        let policy = try await admin.call(.post, "/api/v1/lone-working/escalation-policies", json: """
            {"name":"ARC first","graceSeconds":60,"steps":[
              {"who":"alarm-receiving-centre","integrationId":"\(centreId)","channels":["webhook"],"waitSeconds":120},
              {"who":"line-manager","channels":["in-app"],"waitSeconds":120}]}
            """)
        #expect(policy.status == .created, "\(policy.text)")
        let steps = try #require(try policy.json()["steps"] as? [[String: Any]])
        #expect(steps.first?["integrationId"] as? String == centreId)
        let policyId = try #require(try policy.json()["id"] as? String)
        let staff = try await APIClient.signedIn(client, as: .staff)
        let started = try await staff.call(.post, "/api/v1/lone-working/sessions", json: """
            {"location":"14 Elm Road","expectedDurationSeconds":3600,"vehicle":"AB12 CDE","escalationPolicyId":"\(policyId)"}
            """)
        #expect(started.status == .created, "\(started.text)")
        return (staff, try #require(try started.json()["id"] as? String), policyId)
    }

    static func eventDetails(_ harness: Harness, _ sessionId: String) async throws -> [String] {
        let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
        return try await harness.environment.loneWorking.store.events(sessionId: sessionId, organisationId: organisation.id)
            .filter { $0.kind == .escalation }.map(\.detail)
    }

    @Test("A step naming the centre calls its own address once, signed with its secret, with the police URN; the call is in its log")
    func callsTheCentre() async throws {
        let centre = WebhookReceiver()
        try await centre.serve { url in
            try await Harness.run { client, harness in
                let admin = try await APIClient.signedIn(client, as: .admin)
                let (centreId, secret) = try await Self.addCentre(admin, url: url)
                let (staff, id, _) = try await Self.visit(client, admin, centreId: centreId)
                #expect(try await staff.call(.post, "/api/v1/lone-working/sessions/\(id)/alarm", json: "{}").status == .ok)
                await harness.environment.timerService.runDue()
                let calls = await centre.received
                #expect(calls.count == 1, "one call for step 1, none for the organisation's webhooks (there are none)")
                let call = try #require(calls.first)
                #expect(call.event == "lone-working.escalation")
                #expect(call.signature == DeliveryWorker.signature(body: call.body, secret: secret), "signed with the centre's own secret")
                let payload = try #require(try JSONSerialization.jsonObject(with: Data(call.body.utf8)) as? [String: Any])
                let data = try #require(payload["data"] as? [String: String])
                #expect(data["sessionId"] == id && data["step"] == "1" && data["recipient"] == "alarm-receiving-centre")
                #expect(data["policeUrn"] == Self.urn && data["level1Response"] == "true" && data["vehicle"] == "AB12 CDE")
                #expect(data["message"]?.contains("pressed the panic button") == true)
                #expect(try await Self.eventDetails(harness, id) == ["Step 1 of 2: alarm receiving centre Northern ARC"])

                let log = try await admin.call(.get, "/api/v1/integrations/\(centreId)/deliveries").json()
                let items = try #require(log["items"] as? [[String: Any]])
                #expect(items.count == 1 && items.first?["status"] as? String == "delivered")
                var browser = try await Browser.signedIn(client, as: .admin)
                let page = try await browser.get(client, "/admin/integrations/\(centreId)")
                #expect(page.status == .ok)
                #expect(page.text.contains("Calls from escalation steps") && page.text.contains("Delivered"))
                #expect(page.text.contains("URN \(Self.urn), Level 1 (immediate) response agreed"))

                // The step waits for an acknowledgement like any other, then goes on to the line manager; the centre is not called again.
                harness.clock.advance(by: 120)
                await harness.environment.timerService.runDue()
                #expect(try await LoneWorkingTests.steps(harness, id) == [1, 2])
                #expect(await centre.received.count == 1)
            }
        }
    }

    @Test("A centre that is down is retried and the board says the alert was not delivered; a revoked centre is skipped at once")
    func downAndRevoked() async throws {
        let centre = WebhookReceiver()
        await centre.setAnswer(.serviceUnavailable)
        try await centre.serve { url in
            try await Harness.run { client, harness in
                let admin = try await APIClient.signedIn(client, as: .admin)
                let (centreId, _) = try await Self.addCentre(admin, url: url)
                let (staff, id, policyId) = try await Self.visit(client, admin, centreId: centreId)
                #expect(try await staff.call(.post, "/api/v1/lone-working/sessions/\(id)/alarm", json: "{}").status == .ok)
                await harness.environment.timerService.runDue()
                #expect(await centre.received.count == 1)
                let log = try await admin.call(.get, "/api/v1/integrations/\(centreId)/deliveries").json()
                let item = try #require((log["items"] as? [[String: Any]])?.first)
                #expect(item["status"] as? String == "pending" && item["attempts"] as? Int == 1 && item["responseStatus"] as? Int == 503)
                var lead = try await Browser.signedIn(client, as: .safetyLead)
                #expect(try await lead.get(client, "/lone-working/board").text.contains("Alert not delivered to a webhook: retrying"))
                // The retry goes out on its backoff timer and is delivered once the centre answers.
                await centre.setAnswer(.ok)
                harness.clock.advance(by: 60)
                await harness.environment.timerService.runDue()
                #expect(await centre.received.count == 2)

                // Revoked: its token stops working and the step has nobody to call, so the next step goes at once.
                #expect(try await admin.call(.post, "/api/v1/integrations/\(centreId)/revoke", json: "{}").status == .ok)
                let started = try await staff.call(.post, "/api/v1/lone-working/sessions", json: """
                    {"location":"2 Ash Lane","expectedDurationSeconds":3600,"escalationPolicyId":"\(policyId)"}
                    """)
                #expect(started.status == .created, "\(started.text)")
                let second = try #require(try started.json()["id"] as? String)
                #expect(try await staff.call(.post, "/api/v1/lone-working/sessions/\(second)/alarm", json: "{}").status == .ok)
                await harness.environment.timerService.runDue()
                #expect(try await LoneWorkingTests.steps(harness, second) == [1, 2])
                #expect(try await Self.eventDetails(harness, second).first == "Step 1 of 2: nobody to tell (alarm-receiving-centre)")
                #expect(await centre.received.count == 2)
            }
        }
    }

    @Test("Bad details and bad steps are refused naming the field, and change nothing")
    func badInput() async throws {
        try await Harness.run { client, _ in
            let admin = try await APIClient.signedIn(client, as: .admin)
            func refused(_ method: HTTPRequest.Method, _ path: String, _ json: String, field: String) async throws {
                let response = try await admin.call(method, path, json: json)
                #expect(response.status == .badRequest, "\(json): \(response.text)")
                let fields = ((try response.json()["error"] as? [String: Any])?["fields"] as? [String: Any]) ?? [:]
                #expect(fields[field] != nil, "\(json) should name \(field): \(response.text)")
            }
            let integrations = "/api/v1/integrations"
            try await refused(.post, integrations, #"{"name":"ARC","kind":"alarm-receiving-centre","level1Response":true}"#, field: "policeUrn")
            try await refused(.post, integrations, #"{"name":"ARC","kind":"alarm-receiving-centre","level1Response":true,"policeUrn":"U1"}"#,
                              field: "bs8484Certified")
            try await refused(.post, integrations, #"{"name":"ARC","kind":"police"}"#, field: "kind")
            try await refused(.post, integrations, #"{"name":"Pendants","outboundUrl":"https://arc.example.org/in"}"#, field: "outboundUrl")
            try await refused(.post, integrations, #"{"name":"ARC","kind":"alarm-receiving-centre","outboundUrl":"not a url"}"#, field: "outboundUrl")
            try await refused(.post, integrations, #"{"name":"ARC","bs8484Certified":true}"#, field: "certificateReference")
            try await refused(.post, integrations, #"{"name":"ARC","level1Response":"yes"}"#, field: "level1Response")
            try await refused(.post, integrations, #"{"kind":"alarm-receiving-centre"}"#, field: "name")
            let list = try await admin.call(.get, integrations).json()
            #expect(list["total"] as? Int == 0, "nothing was added")

            let platform = try await admin.call(.post, integrations, json: #"{"name":"Pendant platform"}"#)
            #expect(platform.status == .created)
            #expect(try platform.json()["kind"] as? String == "device-platform")
            let platformId = try #require(try platform.json()["id"] as? String)
            try await refused(.patch, integrations + "/\(platformId)", #"{"colour":"red"}"#, field: "colour")
            #expect(try await admin.call(.patch, integrations + "/nope", json: "{}").status == .notFound)

            let policies = "/api/v1/lone-working/escalation-policies"
            func step(_ body: String) -> String { #"{"name":"P","graceSeconds":0,"steps":[\#(body)]}"# }
            try await refused(.post, policies, step(#"{"who":"alarm-receiving-centre","channels":["webhook"],"waitSeconds":60}"#),
                              field: "steps[0].integrationId")
            try await refused(.post, policies, step(#"{"who":"alarm-receiving-centre","integrationId":"nope","channels":["webhook"],"waitSeconds":60}"#),
                              field: "steps[0].integrationId")
            try await refused(.post, policies, step(#"{"who":"alarm-receiving-centre","integrationId":"\#(platformId)","channels":["webhook"],"waitSeconds":60}"#),
                              field: "steps[0].integrationId")
            try await refused(.post, policies, step(#"{"who":"alarm-receiving-centre","integrationId":"\#(platformId)","channels":["in-app"],"waitSeconds":60}"#),
                              field: "steps[0].channels")
            // A centre without an address to call cannot be named either, until it has one.
            let quiet = try await admin.call(.post, integrations, json: #"{"name":"ARC","kind":"alarm-receiving-centre"}"#)
            let quietId = try #require(try quiet.json()["id"] as? String)
            try await refused(.post, policies, step(#"{"who":"alarm-receiving-centre","integrationId":"\#(quietId)","channels":["webhook"],"waitSeconds":60}"#),
                              field: "steps[0].integrationId")
            let patched = try await admin.call(.patch, integrations + "/\(quietId)", json: #"{"outboundUrl":"https://arc.example.org/haven"}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            let accepted = try await admin.call(.post, policies,
                                                json: step(#"{"who":"alarm-receiving-centre","integrationId":"\#(quietId)","channels":["webhook"],"waitSeconds":60}"#))
            #expect(accepted.status == .created, "\(accepted.text)")
        }
    }

    @Test("The page form keeps what was typed and shows the error beside the field; a good form adds the centre")
    func pageForm() async throws {
        try await Harness.run { client, harness in
            var browser = try await Browser.signedIn(client, as: .admin)
            let fields = [("name", "Northern ARC"), ("kind", "alarm-receiving-centre"), ("outboundUrl", "https://arc.example.org/haven"),
                          ("certificateReference", ""), ("policeUrn", ""), ("level1Response", "1"), ("responseAgreement", "Call 999")]
            let refused = try await browser.post(client, "/admin/integrations", fields)
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("A Level 1 police response needs the police URN") && refused.text.contains("aria-invalid=\"true\""))
            #expect(refused.text.contains("https://arc.example.org/haven") && refused.text.contains("Call 999"), "what was typed is kept")
            let added = try await browser.post(client, "/admin/integrations", fields.map { $0.0 == "level1Response" ? ($0.0, "") : $0 })
            #expect(added.status == .created, "\(added.text.prefix(300))")
            #expect(added.text.contains("Copy these now") && added.text.contains("Alarm receiving centre"))
            let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            let stored = try #require(try await harness.environment.loneWorking.store.integrations(organisationId: organisation.id).first)
            #expect(stored.kind == .alarmReceivingCentre && stored.callable && stored.responseAgreement == "Call 999")
            // Saving from its page changes the details and says so.
            let saved = try await browser.post(client, "/admin/integrations/\(stored.id)",
                                               [("name", "Northern ARC"), ("kind", "alarm-receiving-centre"), ("outboundUrl", ""),
                                                ("bs8484Certified", "1"), ("certificateReference", "NSI-1"), ("policeUrn", "U-9"),
                                                ("level1Response", "1"), ("responseAgreement", "")])
            #expect(saved.status == .seeOther || saved.status == .found, "\(saved.status) \(saved.text.prefix(300))")
            let after = try #require(try await harness.environment.loneWorking.store.integration(id: stored.id, organisationId: organisation.id))
            #expect(after.level1Response && after.policeURN == "U-9" && !after.callable)
        }
    }
}
