import Foundation
import HavenCore
import HavenData
import HavenServices
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Lone working: the escalation policy pages")
struct LoneWorkingPolicyPageTests {
    static func organisationId(_ harness: Harness) async throws -> String {
        try #require(try await harness.environment.organisations.primaryOrganisation()).id
    }

    @Test("A safety lead adds a policy in minutes with a row left out, for a unit, and the store holds it in seconds")
    func addPolicy() async throws {
        try await Harness.run { client, harness in
            var lead = try await Browser.signedIn(client, as: .safetyLead)
            #expect(try await lead.get(client, "/").text.contains("/lone-working/policies"), "the home page links to the policies")
            let empty = try await lead.get(client, "/lone-working/policies")
            #expect(empty.status == .ok && empty.text.contains("every unit uses the built-in one"))
            let blank = try await lead.get(client, "/lone-working/policies/new")
            #expect(blank.status == .ok)
            #expect(blank.text.contains(#"<option value="buddy" selected>"#), "a new policy starts from the built-in steps")
            // Each row's checkboxes have ids of their own, which their labels name.
            #expect(blank.text.contains(#"<input type="checkbox" id="steps[1].channels.email" name="steps[1].channels" value="email" checked><label for="steps[1].channels.email">"#))
            let oak = try await harness.unit("OAK")
            #expect(blank.text.contains(#"id="unit-\#(oak.id)" name="unitIds" value="\#(oak.id)"><label for="unit-\#(oak.id)">"#))
            let added = try await lead.post(client, "/lone-working/policies", [
                ("name", "Community visits"), ("graceMinutes", "10"),
                ("steps[0].who", "buddy"), ("steps[0].channels", "in-app"), ("steps[0].channels", "email"), ("steps[0].waitMinutes", "5"),
                ("steps[1].who", ""), ("steps[1].waitMinutes", "oops"),
                ("steps[2].who", "role"), ("steps[2].role", "safety-lead"), ("steps[2].userId", "ignored"), ("steps[2].channels", "in-app"),
                ("steps[2].waitMinutes", "2.5"),
                ("steps[3].who", "webhook"), ("steps[3].channels", "in-app"), ("steps[3].waitMinutes", "0"),
                ("unitIds", oak.id),
            ])
            #expect(added.status == .seeOther, "\(added.status): \(added.text.prefix(500))")
            let organisationId = try await Self.organisationId(harness)
            let policy = try #require(try await harness.environment.loneWorking.store.policies(organisationId: organisationId).first)
            #expect(added.location == "/lone-working/policies/\(policy.id)?done=added")
            #expect(policy.name == "Community visits" && policy.graceSeconds == 600)
            #expect(policy.steps == [
                EscalationStep(who: .buddy, channels: [.inApp, .email], waitSeconds: 300),
                EscalationStep(who: .role, role: .safetyLead, channels: [.inApp], waitSeconds: 150),
                EscalationStep(who: .webhook, channels: [.webhook], waitSeconds: 0),
            ])
            #expect(try await harness.environment.loneWorking.store.policy(forUnit: oak.id, organisationId: organisationId)?.id == policy.id)
            let list = try await lead.get(client, "/lone-working/policies")
            #expect(list.text.contains("Community visits") && list.text.contains(oak.name))
            #expect(list.text.contains("The buddy (5 min), then Security and safety lead (150 s), then The organisation&#39;s webhooks (0 min)"))

            // Unticking the unit moves it back to the built-in policy; the page says visits under way keep theirs.
            let page = try await lead.get(client, "/lone-working/policies/\(policy.id)")
            #expect(page.text.contains(#"value="2.50""#), "150 s shows as 2.50 minutes")
            let saved = try await lead.post(client, "/lone-working/policies/\(policy.id)", [
                ("name", "Community visits"), ("graceMinutes", "15"), ("steps[0].who", "line-manager"), ("steps[0].channels", "in-app"),
                ("steps[0].waitMinutes", "5"),
            ])
            #expect(saved.status == .seeOther && saved.location == "/lone-working/policies/\(policy.id)?done=saved")
            #expect(try await harness.environment.loneWorking.store.policy(forUnit: oak.id, organisationId: organisationId) == nil)
            let after = try await lead.get(client, saved.location ?? "")
            #expect(after.text.contains("Visits already under way keep the policy they started with"))
        }
    }

    @Test("Errors show beside their fields, named as the page names them, and nothing is saved")
    func errors() async throws {
        try await Harness.run { client, harness in
            var lead = try await Browser.signedIn(client, as: .safetyLead)
            _ = try await lead.get(client, "/lone-working/policies/new")
            let refused = try await lead.post(client, "/lone-working/policies", [
                ("name", "Nights"), ("graceMinutes", "abc"),
                ("steps[0].who", ""),
                ("steps[1].who", "role"), ("steps[1].channels", "in-app"), ("steps[1].waitMinutes", "5"),
                ("steps[2].who", "buddy"), ("steps[2].waitMinutes", "5"),
                ("steps[3].who", "user"), ("steps[3].userId", "nobody"), ("steps[3].channels", "in-app"), ("steps[3].waitMinutes", "-1"),
                ("unitIds", "not-a-unit"),
            ])
            #expect(refused.status == .badRequest)
            let text = refused.text
            #expect(text.contains(##"href="#graceMinutes""##) && text.contains("Enter the grace period in minutes"))
            #expect(text.contains(##"href="#steps[1].role""##), "the error names the row as shown (row 2), not the first step read")
            #expect(text.contains(##"href="#steps[2].channels""##) && text.contains(##"href="#steps[3].waitMinutes""##))
            #expect(text.contains(#"id="steps[1].role" name="steps[1].role" aria-invalid="true""#))
            #expect(text.contains(#"value="Nights""#), "what was typed is kept")
            #expect(text.contains(##"href="#unitIds""##))
            let organisationId = try await Self.organisationId(harness)
            #expect(try await harness.environment.loneWorking.store.policies(organisationId: organisationId).isEmpty)

            let none = try await lead.post(client, "/lone-working/policies", [("name", "Empty"), ("graceMinutes", "5"), ("steps[0].who", "")])
            #expect(none.status == .badRequest && none.text.contains(##"href="#steps""##) && none.text.contains("Add at least one escalation step"))
            let person = try await lead.post(client, "/lone-working/policies", [
                ("name", "Named"), ("graceMinutes", "5"), ("steps[0].who", "user"), ("steps[0].userId", "nobody"), ("steps[0].channels", "in-app"),
                ("steps[0].waitMinutes", "5"),
            ])
            #expect(person.status == .badRequest && person.text.contains(##"href="#steps[0].userId""##) && person.text.contains("No such person"))
            #expect(try await harness.environment.loneWorking.store.policies(organisationId: organisationId).isEmpty)

            var staff = try await Browser.signedIn(client, as: .staff)
            #expect(try await staff.get(client, "/lone-working/policies").status == .forbidden)
            #expect(try await lead.get(client, "/lone-working/policies/nope").status == .notFound)
        }
    }
}
