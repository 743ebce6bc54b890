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

/// s9 investigations of deaths and serious injuries. These run on SQLite, and on PostgreSQL when HAVEN_TEST_POSTGRES_URL is set.
@Suite("Use of force: the s9 investigation of a death or serious injury")
struct UseOfForceInvestigationTests {
    static func record(_ client: any TestClientProtocol, _ harness: Harness, harm: String, unit: String = "OAK") async throws -> String {
        let lead = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
        // Several records of the same patient at the same time: each is confirmed as not a duplicate.
        var changes: [String: Any] = ["harm": harm, "confirmOverlap": true]
        if unit != "OAK" { changes["unitId"] = try await harness.unit(unit).id }
        let created = try await lead.call(.post, "/api/v1/use-of-force", json: try await UseOfForceAPITests.body(harness, changes))
        #expect(created.status == .created, "\(created.text)")
        return try #require(try created.json()["id"] as? String)
    }

    static func count(_ harness: Harness, _ sql: String) async throws -> Int {
        try await harness.database.read { db in try await db.raw(SQLQueryString(sql)).first()?.decode(column: "n", as: Int.self) ?? 0 }
    }

    static func titles(_ harness: Harness, _ role: Role, _ id: String) async throws -> [String] {
        let user = try await harness.user(role)
        return try await harness.environment.notifications.list(userId: user.id).filter { $0.link == "/use-of-force/\(id)/investigation" }.map(\.title)
    }

    @Test("Recording a serious injury opens an investigation at once and tells the restrictive-practice and safety leads; no harm opens none")
    func opensOnRecord() async throws {
        try await Harness.run { client, harness in
            let id = try await Self.record(client, harness, harm: "serious-injury")
            let lead = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
            let read = try await lead.call(.get, "/api/v1/use-of-force/\(id)/investigation")
            #expect(read.status == .ok, "\(read.text)")
            let json = try read.json()
            #expect(json["status"] as? String == "open" && json["harm"] as? String == "serious-injury")
            #expect(json["nextStatuses"] as? [String] == ["investigating", "not-needed"])
            let target = (harness.clock.now() + 60 * 86_400).iso8601
            #expect(json["targetAt"] as? String == target, "60 days by default")
            #expect(try await Self.titles(harness, .restrictivePracticeLead, id) == ["Serious injury after a use of force: investigation opened"])
            #expect(try await Self.titles(harness, .safetyLead, id).count == 1)
            #expect(try await Self.titles(harness, .manager, id).isEmpty)
            #expect(try await Self.titles(harness, .staff, id).isEmpty)
            let note = try #require(try await harness.environment.notifications.list(userId: try await harness.user(.safetyLead).id).first)
            #expect(!note.body.contains("Alex Doe") && !note.body.contains("OAK-0042"), "never the patient")

            let none = try await Self.record(client, harness, harm: "none")
            #expect(try await lead.call(.get, "/api/v1/use-of-force/\(none)/investigation").status == .notFound)
            #expect(try await Self.count(harness, "SELECT COUNT(*) AS n FROM use_of_force_investigations") == 1)
            #expect(try await Self.count(harness, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'use-of-force.investigation-open'") == 1)
        }
    }

    @Test("A correction to death opens one, once; a correction to none keeps it, and only then can it be closed as not needed")
    func opensOnCorrection() async throws {
        try await Harness.run { client, harness in
            let id = try await Self.record(client, harness, harm: "none")
            let lead = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
            #expect(try await lead.call(.patch, "/api/v1/use-of-force/\(id)", json: #"{"harm":"death"}"#).status == .ok)
            #expect(try await lead.call(.get, "/api/v1/use-of-force/\(id)/investigation").json()["harm"] as? String == "death")
            #expect(try await Self.titles(harness, .restrictivePracticeLead, id) == ["Death after a use of force: investigation opened"])
            #expect(try await lead.call(.patch, "/api/v1/use-of-force/\(id)", json: #"{"harm":"serious-injury"}"#).status == .ok)
            #expect(try await Self.count(harness, "SELECT COUNT(*) AS n FROM use_of_force_investigations") == 1, "once")
            #expect(try await Self.titles(harness, .restrictivePracticeLead, id).count == 1, "told once")

            let still = try await lead.call(.patch, "/api/v1/use-of-force/\(id)/investigation", json: #"{"status":"not-needed","notNeededReason":"Typed in error"}"#)
            #expect(still.status == .unprocessableContent && still.text.contains("serious injury"), "\(still.text)")
            #expect(try await lead.call(.patch, "/api/v1/use-of-force/\(id)", json: #"{"harm":"none"}"#).status == .ok)
            #expect(try await lead.call(.get, "/api/v1/use-of-force/\(id)/investigation").status == .ok, "a correction to none keeps it")
            let noReason = try await lead.call(.patch, "/api/v1/use-of-force/\(id)/investigation", json: #"{"status":"not-needed"}"#)
            #expect(noReason.status == .unprocessableContent && noReason.text.contains("notNeededReason"))
            let closed = try await lead.call(.patch, "/api/v1/use-of-force/\(id)/investigation",
                                             json: #"{"status":"not-needed","notNeededReason":"Harm was selected by mistake; the patient was unhurt"}"#)
            #expect(try closed.status == .ok && closed.json()["status"] as? String == "not-needed")
            // Recorded as a death again: the closed investigation opens again rather than leaving a death uninvestigated.
            #expect(try await lead.call(.patch, "/api/v1/use-of-force/\(id)", json: #"{"harm":"death"}"#).status == .ok)
            #expect(try await lead.call(.get, "/api/v1/use-of-force/\(id)/investigation").json()["status"] as? String == "open")
        }
    }

    @Test("The lead may not be someone who used force (refused by name) nor outside the organisation; the workflow refuses bad moves listing the valid ones")
    func leadAndTransitions() async throws {
        try await Harness.run { client, harness in
            let id = try await Self.record(client, harness, harm: "serious-injury")
            let lead = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
            let path = "/api/v1/use-of-force/\(id)/investigation"
            func patch(_ body: String) async throws -> TestResponse { try await lead.call(.patch, path, json: body) }
            let nurse = try await harness.user(.staff)   // Sam Okafor, named in the record's staff
            let usedForce = try await patch(#"{"leadInvestigatorId":"\#(nurse.id)"}"#)
            #expect(usedForce.status == .unprocessableContent && usedForce.text.contains("leadInvestigatorId") && usedForce.text.contains("Sam Okafor"))
            #expect(try await patch(#"{"leadInvestigatorId":"someone-else"}"#).status == .unprocessableContent)
            let unknown = try await patch(#"{"status":"closed"}"#)
            #expect(unknown.status == .unprocessableContent && unknown.text.contains("open, investigating, concluded, not-needed"))
            let skip = try await patch(#"{"status":"concluded","findings":"x","guidance":"y"}"#)
            #expect(skip.status == .unprocessableContent && skip.text.contains("investigating or not-needed"))
            let noLead = try await patch(#"{"status":"investigating"}"#)
            #expect(noLead.status == .unprocessableContent && noLead.text.contains("leadInvestigatorId"))
            #expect(try await patch(#"{"guidanceChecklist":["coroner","tea"]}"#).status == .unprocessableContent)
            #expect(try await patch(#"{"status":3}"#).status == .badRequest)
            #expect(try await patch(#"{"colour":"red"}"#).status == .badRequest)

            let safety = try await harness.user(.safetyLead)
            let started = try await patch(#"{"leadInvestigatorId":"\#(safety.id)","status":"investigating"}"#)
            #expect(try started.status == .ok && started.json()["status"] as? String == "investigating", "\(started.text)")
            #expect(try await harness.environment.notifications.list(userId: safety.id).contains { $0.title == "You are leading an investigation" })
            let bare = try await patch(#"{"status":"concluded"}"#)
            #expect(bare.status == .unprocessableContent && bare.text.contains("findings") && bare.text.contains("guidance"))
            let concluded = try await patch(#"{"status":"concluded","findings":"Hold was safe; fall was unforeseeable","guidance":"Use of Force Act statutory guidance; our PSIRF plan","guidanceChecklist":["psirf","family"],"learning":"Review the lounge furniture"}"#)
            #expect(concluded.status == .ok, "\(concluded.text)")
            let json = try concluded.json()
            let concluder = try await harness.user(.restrictivePracticeLead).id
            #expect(json["status"] as? String == "concluded" && json["concludedBy"] as? String == concluder)
            #expect(json["guidanceChecklist"] as? [String] == ["psirf", "family"])
            #expect(try await patch(#"{"findings":""}"#).status == .unprocessableContent, "a concluded investigation keeps its findings")
            #expect(try await patch(#"{"status":"investigating"}"#).json()["status"] as? String == "investigating", "reopened")
            #expect(try await lead.call(.patch, "/api/v1/use-of-force/\(UUID().uuidString)/investigation", json: #"{"status":"open"}"#).status == .notFound)
            #expect(try await Self.count(harness, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'use-of-force.investigation-update'") == 3)
        }
    }

    @Test("Leads, safety leads and administrators change it; executives and the unit's manager read it; staff and representatives may not; another unit's manager is told it is not there")
    func access() async throws {
        try await Harness.run { client, harness in
            let id = try await Self.record(client, harness, harm: "serious-injury")
            let path = "/api/v1/use-of-force/\(id)/investigation"
            for role in [Role.restrictivePracticeLead, .safetyLead, .admin, .executive, .manager] {
                #expect(try await APIClient.signedIn(client, as: role).call(.get, path).status == .ok, "\(role)")
            }
            for role in [Role.staff, .partnershipRep, .trainer, .hrCaseHandler] {
                #expect(try await APIClient.signedIn(client, as: role).call(.get, path).status == .forbidden, "\(role)")
                #expect(try await APIClient.signedIn(client, as: role).call(.get, "/api/v1/use-of-force/investigations").status == .forbidden, "\(role)")
            }
            #expect(try await APIClient.signedIn(client, as: .admin).call(.patch, path, json: #"{"learning":"Admin note"}"#).status == .ok)
            for role in [Role.executive, .manager] {
                #expect(try await APIClient.signedIn(client, as: role).call(.patch, path, json: #"{"learning":"x"}"#).status == .forbidden, "\(role)")
            }
            #expect(try await Self.count(harness, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'use-of-force.investigation-read'") == 5)

            // The demo manager looks after OAK and ASH, not ED.
            let elsewhere = try await Self.record(client, harness, harm: "death", unit: "ED")
            let manager = try await APIClient.signedIn(client, as: .manager)
            #expect(try await manager.call(.get, "/api/v1/use-of-force/\(elsewhere)/investigation").status == .notFound)
            let listed = try await manager.call(.get, "/api/v1/use-of-force/investigations").json()
            #expect(listed["total"] as? Int == 1)
            #expect(try await manager.call(.get, "/api/v1/use-of-force/investigations?unitId=\(try await harness.unit("ED").id)").status == .forbidden)
            let all = try await APIClient.signedIn(client, as: .executive).call(.get, "/api/v1/use-of-force/investigations?status=open&limit=1").json()
            #expect(all["total"] as? Int == 2 && (all["items"] as? [Any])?.count == 1)
            #expect(try await manager.call(.get, "/api/v1/use-of-force/investigations?status=shut").status == .badRequest)
            var browser = try await Browser.signedIn(client, as: .manager)
            #expect(try await browser.get(client, "/use-of-force/\(elsewhere)/investigation").status == .notFound)
        }
    }

    @Test("Past its target and not concluded, it is in the leads' attention list and they are reminded once; the target is the organisation's setting")
    func overdue() async throws {
        try await Harness.run { client, harness in
            let rpLead = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
            let bad = try await rpLead.call(.put, "/api/v1/use-of-force/settings", json: #"{"investigationTargetDays":0}"#)
            #expect(bad.status == .badRequest && bad.text.contains("investigationTargetDays"))
            #expect(try await rpLead.call(.put, "/api/v1/use-of-force/settings", json: #"{"investigationTargetDays":30}"#).json()["investigationTargetDays"] as? Int == 30)
            let id = try await Self.record(client, harness, harm: "serious-injury")
            let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            let title = "An investigation of a death or serious injury is past its target"
            func attention(_ role: Role) async throws -> Bool {
                try await harness.environment.attention(for: try await harness.user(role), organisation: organisation).contains { $0.title == title }
            }
            harness.clock.advance(by: 29 * 86_400)
            #expect(try await !attention(.restrictivePracticeLead))
            let early = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
            #expect(try await early.call(.get, "/api/v1/use-of-force/investigations?status=overdue").json()["total"] as? Int == 0, "not yet past the target")
            #expect(try await harness.environment.useOfForce.remindOverdueInvestigations(organisationId: organisation.id) == 0)
            harness.clock.advance(by: 2 * 86_400)
            #expect(try await attention(.restrictivePracticeLead))
            #expect(try await attention(.safetyLead))
            #expect(try await !attention(.manager))
            #expect(try await !attention(.executive))
            try await harness.environment.scheduleHousekeeping()
            harness.clock.advance(by: 10 * 60)
            _ = await harness.environment.timerService.runDue()
            #expect(try await Self.titles(harness, .safetyLead, id).contains("An investigation is past its target"), "the timer's sweep reminds")
            #expect(try await harness.environment.useOfForce.remindOverdueInvestigations(organisationId: organisation.id) == 0, "once")
            #expect(try await Self.titles(harness, .restrictivePracticeLead, id).filter { $0 == "An investigation is past its target" }.count == 1)
            var page = try await Browser.signedIn(client, as: .restrictivePracticeLead)
            let list = try await page.get(client, "/use-of-force/investigations")
            #expect(list.status == .ok && list.text.contains(#"<span class="tag tag--warning">Overdue</span>"#) && list.text.contains("Serious injury"))
            let overdueOnly = try await page.get(client, "/use-of-force/investigations?status=overdue")
            #expect(overdueOnly.text.contains(#"<option value="overdue" selected>"#) && overdueOnly.text.contains("Showing 1 to 1 of 1."))

            // Concluding takes it off the list.
            let safety = try await harness.user(.safetyLead)
            let path = "/api/v1/use-of-force/\(id)/investigation"
            let later = try await APIClient.signedIn(client, as: .restrictivePracticeLead)  // the first token expired a month ago
            let investigating = try await later.call(.patch, path, json: #"{"leadInvestigatorId":"\#(safety.id)","status":"investigating"}"#)
            #expect(investigating.status == .ok, "\(investigating.text)")
            #expect(try await later.call(.patch, path, json: #"{"status":"concluded","findings":"f","guidance":"g"}"#).status == .ok)
            #expect(try await !attention(.restrictivePracticeLead))
            #expect(try await later.call(.get, "/api/v1/use-of-force/investigations?status=overdue").json()["total"] as? Int == 0, "concluded is not overdue")
            #expect(try await later.call(.get, "/api/v1/use-of-force/investigations?status=concluded").json()["total"] as? Int == 1)
        }
    }

    @Test("The record page shows it; the investigation page's forms put errors beside their fields and escape what people typed")
    func pages() async throws {
        try await Harness.run { client, harness in
            let id = try await Self.record(client, harness, harm: "serious-injury")
            var lead = try await Browser.signedIn(client, as: .restrictivePracticeLead)
            let episode = try await lead.get(client, "/use-of-force/\(id)")
            #expect(episode.text.contains("Investigation of the death or serious injury (s9)") && episode.text.contains("/use-of-force/\(id)/investigation"))
            var staff = try await Browser.signedIn(client, as: .staff)
            #expect(try await !staff.get(client, "/use-of-force/\(id)").text.contains("Open the investigation"), "staff do not see it")
            #expect(try await staff.get(client, "/use-of-force/\(id)/investigation").status == .forbidden)

            let page = try await lead.get(client, "/use-of-force/\(id)/investigation")
            #expect(page.status == .ok && page.text.contains(#"<label class="label" for="guidance">"#) && page.text.contains("Our checklist"))
            #expect(!page.text.contains("<script"), "no inline script")
            let nurse = try await harness.user(.staff)
            let refused = try await lead.post(client, "/use-of-force/\(id)/investigation", [("step", "lead"), ("leadInvestigatorId", nurse.id)])
            #expect(refused.status == .badRequest && refused.text.contains(#"id="leadInvestigatorId-error""#) && refused.text.contains("Sam Okafor is named"))
            #expect(refused.text.contains(##"href="#leadInvestigatorId""##))
            let safety = try await harness.user(.safetyLead)
            #expect(try await lead.post(client, "/use-of-force/\(id)/investigation", [("step", "lead"), ("leadInvestigatorId", safety.id)]).status == .seeOther)
            #expect(try await lead.post(client, "/use-of-force/\(id)/investigation", [("step", "start")]).status == .seeOther)
            let typed = "Quote\"\u{301} <b>bold</b>"
            let missing = try await lead.post(client, "/use-of-force/\(id)/investigation", [("step", "conclude"), ("findings", typed)])
            #expect(missing.status == .badRequest && missing.text.contains(#"id="guidance-error""#) && missing.text.contains(##"href="#guidance""##))
            #expect(!missing.text.contains("<b>bold</b>") && missing.text.contains("&lt;b&gt;bold&lt;/b&gt;"), "kept and escaped")
            let unescaped = "Quote\"\u{301}"  // a variable: #expect cannot quote a literal holding a combining mark
            #expect(!missing.text.contains(unescaped), "escaped per scalar")
            let done = try await lead.post(client, "/use-of-force/\(id)/investigation",
                                           [("step", "conclude"), ("findings", typed), ("guidance", "Statutory guidance"), ("guidanceChecklist", "coroner")])
            #expect(done.status == .seeOther)
            let shown = try await lead.get(client, "/use-of-force/\(id)/investigation")
            #expect(shown.text.contains("Concluded") && shown.text.contains("The coroner informed") && shown.text.contains("Reopen the investigation"))
            var executive = try await Browser.signedIn(client, as: .executive)
            let read = try await executive.get(client, "/use-of-force/\(id)/investigation")
            #expect(read.status == .ok && !read.text.contains("Save the lead investigator") && !read.text.contains("The use-of-force record</a>"))
        }
    }

    @Test("The retention purge of the episode anonymises its investigation: the words and the people go, the status and dates stay")
    func retention() async throws {
        try await Harness.run { client, harness in
            let id = try await Self.record(client, harness, harm: "death")
            let lead = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
            let safety = try await harness.user(.safetyLead)
            let path = "/api/v1/use-of-force/\(id)/investigation"
            #expect(try await lead.call(.patch, path, json: #"{"leadInvestigatorId":"\#(safety.id)","status":"investigating"}"#).status == .ok)
            #expect(try await lead.call(.patch, path, json: #"{"status":"concluded","findings":"Alex Doe fell","guidance":"Guidance","guidanceChecklist":["coroner"]}"#).status == .ok)
            let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            let origin = Origin(organisationId: organisation.id, actorId: nil, requestId: "test")
            harness.clock.advance(by: 60)
            let purged = try await harness.environment.useOfForce.store.anonymiseEpisodes(organisationId: organisation.id, before: harness.clock.now(),
                                                                                             years: 3, limit: 100, auditEmpty: false, origin: origin)
            #expect(purged == [id])
            let json = try await lead.call(.get, path).json()
            #expect(json["status"] as? String == "concluded" && json["harm"] as? String == "death" && json["guidanceChecklist"] as? [String] == ["coroner"])
            #expect(json["findings"] == nil && json["guidance"] == nil && json["leadInvestigatorId"] == nil && json["concludedBy"] == nil)
            #expect(try await Self.titles(harness, .restrictivePracticeLead, id).isEmpty, "the notifications that link to it go too")
        }
    }

    @Test("Generated demo episodes with a death or serious injury get their investigations")
    func demo() async throws {
        try await Harness.run { _, harness in
            let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            _ = try await DemoUseOfForce.generate(harness.environment, organisation: organisation, count: 400, seed: 5)
            let harmed = try await Self.count(harness, "SELECT COUNT(*) AS n FROM use_of_force_episodes WHERE harm <> 'none'")
            #expect(harmed > 0)
            #expect(try await Self.count(harness, "SELECT COUNT(*) AS n FROM use_of_force_investigations") == harmed)
        }
    }
}
