import Foundation
import HavenCore
import HavenData
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Incident cases: workflow, feedback to the reporter, messages, actions, support, anonymous reports")
struct IncidentCaseTests {
    static func fields(_ response: TestResponse) throws -> [String: String] {
        try #require((try response.json()["error"] as? [String: Any])?["fields"] as? [String: String])
    }

    /// A report by the demo staff member on Oak, returned with its id.
    static func report(_ staff: APIClient, _ harness: Harness, unit: String = "OAK") async throws -> String {
        let unit = try await harness.unit(unit)
        let response = try await staff.call(.post, "/api/v1/incidents", json: IncidentWebTests.body(unitId: unit.id))
        #expect(response.status == .created)
        return try #require(try response.json()["id"] as? String)
    }

    @Test("A case moves reported → under review → actions → closed and is reopened; the reporter hears of each step")
    func workflow() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let manager = try await APIClient.signedIn(client, as: .manager)
            let id = try await Self.report(staff, harness)
            let created = try await staff.call(.get, "/api/v1/incidents/\(id)").json()
            #expect(created["reviewDueAt"] as? String != nil, "a review target is set")

            // Skipping the review is refused with 409 and changes nothing.
            let skip = try await manager.call(.patch, "/api/v1/incidents/\(id)", json: #"{"status":"closed","outcome":"Nothing"}"#)
            #expect(skip.status == .conflict)
            #expect(try await staff.call(.get, "/api/v1/incidents/\(id)").json()["status"] as? String == "reported")

            let review = try await manager.call(.patch, "/api/v1/incidents/\(id)", json: #"{"status":"under-review"}"#)
            #expect(review.status == .ok)
            let managerId = try await harness.user(.manager).id
            #expect(try review.json()["handlerId"] as? String == managerId, "the first to review becomes the handler")

            // Closing needs "what we did".
            let bare = try await manager.call(.patch, "/api/v1/incidents/\(id)", json: #"{"status":"closed"}"#)
            #expect(bare.status == .badRequest)
            #expect(try Self.fields(bare)["outcome"] != nil)
            #expect(try await manager.call(.patch, "/api/v1/incidents/\(id)", json: #"{"status":"actions"}"#).status == .ok)
            let closed = try await manager.call(.patch, "/api/v1/incidents/\(id)",
                                                json: #"{"status":"closed","outcome":"Care plan changed; two staff for medication","lessons":"Plan ahead"}"#)
            #expect(closed.status == .ok)
            #expect(try closed.json()["closedAt"] as? String != nil)
            #expect(try await manager.call(.patch, "/api/v1/incidents/\(id)", json: #"{"status":"under-review"}"#).status == .ok, "reopened")
            #expect(try await staff.call(.get, "/api/v1/incidents/\(id)").json()["closedAt"] == nil)

            // The reporter was told at every step, with what was done.
            let reporter = try await harness.user(.staff)
            let notes = try await harness.environment.notifications.list(userId: reporter.id)
            #expect(notes.filter { $0.link == "/incidents/\(id)" }.count == 4)
            #expect(notes.contains { $0.body.contains("Care plan changed") })
            let timeline = try await staff.call(.get, "/api/v1/incidents/\(id)/messages")
            let entries = try #require(try JSONSerialization.jsonObject(with: Data(timeline.text.utf8)) as? [[String: Any]])
            #expect(entries.filter { $0["kind"] as? String == "status" }.count == 4)

            // The reporter cannot move the case; a manager of other units cannot see it.
            #expect(try await staff.call(.patch, "/api/v1/incidents/\(id)", json: #"{"status":"investigating"}"#).status == .forbidden)
            #expect(try await staff.call(.patch, "/api/v1/incidents/\(id)", json: #"{"status":"bogus"}"#).status == .forbidden)
            #expect(try await manager.call(.patch, "/api/v1/incidents/\(id)", json: #"{"status":"bogus"}"#).status == .badRequest)
            let edId = try await Self.report(staff, harness, unit: "ED")
            #expect(try await manager.call(.patch, "/api/v1/incidents/\(edId)", json: #"{"status":"under-review"}"#).status == .notFound)
            let updates = try await AuditLog.list(harness.database, filter: .init(organisationId: reporter.organisationId, action: "incident.update"))
            #expect(updates.count == 4, "four changes were made; the refused ones changed nothing")
        }
    }

    @Test("Detail is merged field by field; bad detail, handlers outside the unit and negative absence are refused by name")
    func detail() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let manager = try await APIClient.signedIn(client, as: .manager)
            let id = try await Self.report(staff, harness)
            let first = try await staff.call(.patch, "/api/v1/incidents/\(id)", json: """
                {"detail":{"circumstances":["lone-working","low-staffing"],"police":{"attended":true,"crimeReference":"CR-123","outcome":""},"absenceDays":9}}
                """)
            #expect(first.status == .ok, "the reporter may add detail: \(first.text)")
            let second = try await manager.call(.patch, "/api/v1/incidents/\(id)", json: #"{"detail":{"weapon":"A chair"}}"#)
            let detail = try #require(try second.json()["detail"] as? [String: Any])
            #expect(detail["weapon"] as? String == "A chair")
            #expect(detail["circumstances"] as? [String] == ["lone-working", "low-staffing"], "earlier detail kept")
            #expect((detail["police"] as? [String: Any])?["crimeReference"] as? String == "CR-123")

            let cases: [(String, String)] = [
                (#"{"detail":{"absenceDays":-1}}"#, "detail.absenceDays"),
                (#"{"detail":{"circumstances":["on-the-moon"]}}"#, "detail.circumstances[0]"),
                (#"{"detail":{"colour":"red"}}"#, "detail.colour"),
                (#"{"detail":{"completedOn":"2026-02-30"}}"#, "detail.completedOn"),
                (#"{"handlerId":"\#(try await harness.user(.trainer).id)"}"#, "handlerId"),
                (#"{"detail":"text"}"#, "detail"),
            ]
            for (body, field) in cases {
                let response = try await manager.call(.patch, "/api/v1/incidents/\(id)", json: body)
                #expect(response.status == .badRequest, "\(field): \(response.text)")
                #expect(try Self.fields(response)[field] != nil, "\(field): \(response.text)")
            }
            #expect(try await staff.call(.get, "/api/v1/incidents/\(id)").json()["detail"] as? [String: Any] != nil)
            let after = try #require(try await staff.call(.get, "/api/v1/incidents/\(id)").json()["detail"] as? [String: Any])
            #expect(after["absenceDays"] as? Int == 9, "refused changes changed nothing")
        }
    }

    @Test("Messages go between reporter and handler; actions and support are tracked, and what is overdue needs attention")
    func messagesActionsSupport() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let manager = try await APIClient.signedIn(client, as: .manager)
            let id = try await Self.report(staff, harness)
            #expect(try await manager.call(.patch, "/api/v1/incidents/\(id)", json: #"{"status":"under-review"}"#).status == .ok)
            #expect(try await staff.call(.post, "/api/v1/incidents/\(id)/messages", json: #"{"body":"It happens every evening"}"#).status == .created)
            #expect(try await manager.call(.post, "/api/v1/incidents/\(id)/messages", json: #"{"body":"Thank you, we will look at evening staffing"}"#).status == .created)
            #expect(try await staff.call(.post, "/api/v1/incidents/\(id)/messages", json: #"{"body":"   "}"#).status == .badRequest)
            let managerUser = try await harness.user(.manager), staffUser = try await harness.user(.staff)
            #expect(try await harness.environment.notifications.list(userId: managerUser.id).contains { $0.title.contains("message from the reporter") })
            #expect(try await harness.environment.notifications.list(userId: staffUser.id).contains { $0.title.contains("message about your incident") })
            let trainer = try await APIClient.signedIn(client, as: .trainer)
            #expect(try await trainer.call(.post, "/api/v1/incidents/\(id)/messages", json: #"{"body":"hi"}"#).status == .notFound)

            // Every report gets a welfare check, due within the organisation's hours.
            let support = try await manager.call(.get, "/api/v1/incidents/\(id)/support")
            let items = try #require(try JSONSerialization.jsonObject(with: Data(support.text.utf8)) as? [[String: Any]])
            #expect(items.count == 1 && items[0]["kind"] as? String == "welfare-check")
            #expect(try await staff.call(.get, "/api/v1/incidents/\(id)/support").status == .forbidden, "support is for handlers")

            let action = try await manager.call(.post, "/api/v1/incidents/\(id)/actions",
                                                json: #"{"description":"Review evening staffing","ownerId":"\#(managerUser.id)","dueOn":"2020-01-01"}"#)
            #expect(action.status == .created)
            #expect(try await manager.call(.post, "/api/v1/incidents/\(id)/actions", json: #"{"description":"x","dueOn":"tomorrow"}"#).status == .badRequest)

            // A day later the welfare check and the action are overdue for the manager.
            harness.clock.advance(by: 25 * 3600)
            let attention = try await harness.environment.attention(for: managerUser, organisation: try #require(try await harness.environment.organisations.primaryOrganisation()))
            #expect(attention.contains { $0.title.contains("welfare check") })
            #expect(attention.contains { $0.title.contains("action you own is overdue") })

            let supportId = try #require(items[0]["id"] as? String)
            let recorded = try await manager.call(.patch, "/api/v1/incidents/\(id)/support/\(supportId)", json: #"{"outcome":"done","note":"Spoke after shift"}"#)
            #expect(recorded.status == .ok)
            #expect(try recorded.json()["doneAt"] as? String != nil)
            #expect(try await manager.call(.patch, "/api/v1/incidents/\(id)/support/\(supportId)", json: #"{"outcome":"maybe"}"#).status == .badRequest)
            let actionId = try #require(try action.json()["id"] as? String)
            #expect(try await manager.call(.patch, "/api/v1/incidents/\(id)/actions/\(actionId)", json: #"{"done":true}"#).json()["done"] as? Bool == true)
            #expect(try await manager.call(.patch, "/api/v1/incidents/\(id)/actions/nope", json: #"{"done":true}"#).status == .notFound)
            let later = try await harness.environment.attention(for: managerUser, organisation: try #require(try await harness.environment.organisations.primaryOrganisation()))
            #expect(!later.contains { $0.title.contains("welfare check") || $0.title.contains("action you own") })
        }
    }

    @Test("A review overdue by the target is in needs-your-attention and its handlers are reminded once")
    func overdueReview() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let id = try await Self.report(staff, harness)
            let manager = try await harness.user(.manager), lead = try await harness.user(.safetyLead)
            let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            #expect(try await harness.environment.attention(for: manager, organisation: organisation).allSatisfy { !$0.title.contains("overdue for review") })
            harness.clock.advance(by: 8 * 86400)   // more than 5 working days, whatever the weekday
            let items = try await harness.environment.attention(for: manager, organisation: organisation)
            #expect(items.contains { $0.title == "1 incident report is overdue for review" && $0.link == "/incidents/\(id)" })
            #expect(try await harness.environment.incidentCases.remindOverdueReviews() == 1)
            #expect(try await harness.environment.incidentCases.remindOverdueReviews() == 0, "reminded once")
            #expect(try await harness.environment.notifications.list(userId: manager.id).contains { $0.title.contains("waiting for review") },
                    "the unit's manager is reminded")
            #expect(try await harness.environment.notifications.list(userId: lead.id).allSatisfy { !$0.title.contains("waiting for review") },
                    "the safety lead is not, while the unit has a manager")
        }
    }

    @Test("Anonymous reports: a receipt code to follow and message; unknown codes 404 then 429; closed when the organisation says no")
    func anonymous() async throws {
        try await Harness.run { client, harness in
            let public_ = APIClient(client: client)
            let units = try await public_.call(.get, "/api/v1/anonymous-reports/units")
            #expect(units.status == .ok)
            let oak = try await harness.unit("OAK")
            let created = try await public_.call(.post, "/api/v1/anonymous-reports", json: IncidentWebTests.body(unitId: oak.id))
            #expect(created.status == .created)
            let code = try #require(try created.json()["receiptCode"] as? String)
            #expect(code.count == 24 && code.split(separator: "-").count == 5)
            let stored = try await harness.database.read { db in try await db.raw("SELECT receipt_hash, reporter_id FROM incidents").first() }
            #expect(try stored?.decode(column: "receipt_hash", as: String.self) != code, "only a hash is kept")
            #expect(try stored?.decode(column: "reporter_id", as: String?.self) == nil)

            // The handler sees an anonymous report and answers; the reporter reads it with the code, typed loosely.
            let manager = try await APIClient.signedIn(client, as: .manager)
            let list = try await manager.call(.get, "/api/v1/incidents").json()
            let id = try #require((list["items"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(try await manager.call(.patch, "/api/v1/incidents/\(id)", json: #"{"status":"under-review"}"#).status == .ok)
            #expect(try await manager.call(.post, "/api/v1/incidents/\(id)/messages", json: #"{"body":"Can you tell us which evening?"}"#).status == .created)
            let loose = code.lowercased().replacingOccurrences(of: "-", with: "")
            let followed = try await public_.call(.get, "/api/v1/anonymous-reports/\(loose)")
            #expect(followed.status == .ok)
            let followJSON = try followed.json()
            #expect(followJSON["status"] as? String == "under-review" && followJSON["receiptCode"] == nil)
            #expect((followJSON["timeline"] as? [[String: Any]])?.count == 2)
            #expect(followed.text.contains(try await harness.user(.manager).id) == false, "the handler is not named")
            let reply = try await public_.call(.post, "/api/v1/anonymous-reports/\(code)/messages", json: #"{"body":"Tuesday"}"#)
            #expect(reply.status == .created)
            #expect(try await harness.environment.notifications.list(userId: try await harness.user(.manager).id).contains { $0.title.contains("message from the reporter") })

            // Guessing: 404 for each unknown code, then 429 with Retry-After even for the right one.
            for _ in 0..<10 { #expect(try await public_.call(.get, "/api/v1/anonymous-reports/AAAA-BBBB-CCCC-DDDD-EEEE").status == .notFound) }
            let throttled = try await public_.call(.get, "/api/v1/anonymous-reports/\(code)")
            #expect(throttled.status == .tooManyRequests && throttled.headers[.retryAfter] != nil)

            // The page: report, receipt, follow.
            var browser = Browser()
            let form = try await browser.get(client, "/report")
            #expect(form.status == .ok && form.text.contains("receipt code"))

            // An organisation that does not accept unsigned reports: 404 everywhere.
            var organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            organisation.allowsUnsignedReports = false
            try await harness.environment.organisations.update(organisation, origin: Origin(organisationId: organisation.id, actorId: nil))
            #expect(try await public_.call(.post, "/api/v1/anonymous-reports", json: IncidentWebTests.body(unitId: oak.id)).status == .notFound)
            #expect(try await browser.get(client, "/report").status == .notFound)
        }
    }

    @Test("The anonymous page: six questions, a receipt code shown once, then followed and messaged with the code")
    func anonymousPages() async throws {
        try await Harness.run { client, harness in
            let oak = try await harness.unit("OAK")
            var browser = Browser()
            _ = try await browser.get(client, "/report")
            let bad = try await browser.post(client, "/report", [("submission", "s1"), ("unitId", oak.id)])
            #expect(bad.status == .badRequest && bad.text.contains("Choose what happened"))
            let fields = [("submission", "s2"), ("type", "threat"), ("unitId", oak.id), ("area", "Car park"), ("perpetrator", "member-of-the-public"),
                          ("harm", "none"), ("description", "Threatened with a bottle"), ("reporterRole", "harmed")]
            let saved = try await browser.post(client, "/report", fields)
            #expect(saved.status == .created)
            let code = try #require(saved.text.range(of: #"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}"#, options: .regularExpression).map { String(saved.text[$0]) })
            let again = try await browser.post(client, "/report", fields)
            #expect(again.status == .ok && again.text.contains("already sent") && !again.text.contains(code), "a double tap saves once and never shows the code again")
            let count = try await harness.database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM incidents").first()?.decode(column: "n", as: Int.self) }
            #expect(count == 1)

            let followed = try await browser.post(client, "/report/follow", [("receiptCode", code)])
            #expect(followed.status == .ok && followed.text.contains("Threat"))
            let messaged = try await browser.post(client, "/report/follow", [("receiptCode", code), ("message", "It was the same man as last week")])
            #expect(messaged.status == .ok && messaged.text.contains("same man as last week"))
            let unknown = try await browser.post(client, "/report/follow", [("receiptCode", "0000-0000-0000-0000-0000")])
            #expect(unknown.status == .notFound && unknown.text.contains("No report has that receipt code"))
        }
    }

    @Test("The report page: the handler moves the case on, errors show beside the fields, and the reporter reads and answers")
    func casePage() async throws {
        try await Harness.run { client, harness in
            let staffAPI = try await APIClient.signedIn(client, as: .staff)
            let id = try await Self.report(staffAPI, harness)
            var manager = try await Browser.signedIn(client, as: .manager)
            let page = try await manager.get(client, "/incidents/\(id)")
            #expect(page.status == .ok && page.text.contains("Move the case on") && page.text.contains("Welfare check"))
            #expect(!page.text.contains("<dt>What we did</dt>") && !page.text.contains("<dt>Lessons learned</dt>"), "no empty rows before there is anything to say")
            let closing = try await manager.post(client, "/incidents/\(id)/case", [("status", "closed"), ("outcome", "")])
            #expect(closing.status == .conflict, "closing straight from reported is not allowed")
            let reviewed = try await manager.post(client, "/incidents/\(id)/case", [("status", "under-review"), ("outcome", ""), ("lessons", "")])
            #expect(reviewed.status == .seeOther)
            let noOutcome = try await manager.post(client, "/incidents/\(id)/case", [("status", "closed"), ("outcome", " ")])
            #expect(noOutcome.status == .badRequest && noOutcome.text.contains("outcome-error"))
            let action = try await manager.post(client, "/incidents/\(id)/actions", [("description", "Two staff at medication"), ("ownerId", ""), ("dueOn", "31/12/2026")])
            #expect(action.status == .badRequest && action.text.contains("dueOn-error"))
            #expect(try await manager.post(client, "/incidents/\(id)/actions", [("description", "Two staff at medication"), ("ownerId", ""), ("dueOn", "2026-12-31")]).status == .seeOther)
            #expect(try await manager.post(client, "/incidents/\(id)/messages", [("body", "We have changed the medication round")]).status == .seeOther)
            #expect(try await manager.post(client, "/incidents/\(id)/case", [("status", "closed"), ("outcome", "Two staff at every medication round")]).status == .seeOther)

            var staff = try await Browser.signedIn(client, as: .staff)
            let mine = try await staff.get(client, "/incidents/\(id)")
            #expect(mine.text.contains("Two staff at every medication round") && mine.text.contains("We have changed the medication round"))
            #expect(!mine.text.contains("Move the case on") && !mine.text.contains("Welfare check"), "handler forms and support are not shown to the reporter")
            #expect(try await staff.post(client, "/incidents/\(id)/messages", [("body", "Thank you")]).status == .seeOther)
            #expect(try await staff.post(client, "/incidents/\(id)/case", [("status", "under-review")]).status == .forbidden)
        }
    }

    @Test("The detail page saves ticked boxes and text, refuses negative absence beside the field, and shows the detail on the report")
    func detailPage() async throws {
        try await Harness.run { client, harness in
            let staffAPI = try await APIClient.signedIn(client, as: .staff)
            let id = try await Self.report(staffAPI, harness)
            var staff = try await Browser.signedIn(client, as: .staff)
            let form = try await staff.get(client, "/incidents/\(id)/detail")
            #expect(form.status == .ok && form.text.contains("Working alone"))
            let bad = try await staff.post(client, "/incidents/\(id)/detail", [("absenceDays", "-2"), ("circumstances", "lone-working")])
            #expect(bad.status == .badRequest && bad.text.contains("absenceDays-error"))
            let badSanction = try await staff.post(client, "/incidents/\(id)/detail", [("sanctionKind", "warning"), ("sanctionReviewOn", "soon")])
            #expect(badSanction.status == .badRequest && badSanction.text.contains("sanctionReviewOn-error"))
            let saved = try await staff.post(client, "/incidents/\(id)/detail", [
                ("circumstances", "lone-working"), ("circumstances", "poor-lighting"), ("bodyParts", "arm"), ("absenceDays", "9"),
                ("policeAttended", "yes"), ("police.crimeReference", "CR/55/26"), ("sanctionKind", "warning"), ("sanctionReviewOn", "2027-03-01"),
                ("completedByName", "Sam Staff"), ("completedByJobTitle", "Nurse"), ("completedOn", "2026-11-28")])
            #expect(saved.status == .seeOther)
            let report = try await staff.get(client, "/incidents/\(id)")
            #expect(report.text.contains("Working alone, Poor lighting") && report.text.contains("CR/55/26") && report.text.contains("review 2027-03-01"))
            let json = try await staffAPI.call(.get, "/api/v1/incidents/\(id)").json()
            #expect((json["detail"] as? [String: Any])?["absenceDays"] as? Int == 9)
            var trainer = try await Browser.signedIn(client, as: .trainer)
            #expect(try await trainer.get(client, "/incidents/\(id)/detail").status == .notFound)
        }
    }

    @Test("Staff-on-staff reports are confidential: HR only, never the unit's manager; an investigator cannot be the subject or their manager")
    func harassment() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let oak = try await harness.unit("OAK")
            let body = IncidentWebTests.body(unitId: oak.id, description: "Shouted at and belittled by a colleague again")
                .replacingOccurrences(of: "patient-or-service-user", with: "colleague")
            let created = try await staff.call(.post, "/api/v1/incidents", json: body)
            #expect(created.status == .created)
            let id = try #require(try created.json()["id"] as? String)
            let manager = try await APIClient.signedIn(client, as: .manager), lead = try await APIClient.signedIn(client, as: .safetyLead)
            let hr = try await APIClient.signedIn(client, as: .hrCaseHandler)
            #expect(try await manager.call(.get, "/api/v1/incidents/\(id)").status == .notFound, "the unit's manager gets no hint it exists")
            #expect(try await manager.call(.get, "/api/v1/incidents").json()["total"] as? Int == 0)
            #expect(try await lead.call(.get, "/api/v1/incidents/\(id)").status == .notFound)
            #expect(try await manager.call(.get, "/api/v1/incidents/\(id)/harassment-case").status == .notFound)
            #expect(try await hr.call(.get, "/api/v1/incidents").json()["total"] as? Int == 1)
            #expect(try await staff.call(.get, "/api/v1/incidents/\(id)").status == .ok, "the reporter still sees it")
            #expect(try await staff.call(.get, "/api/v1/incidents/\(id)/harassment-case").status == .forbidden)
            let log = try await lead.call(.get, "/api/v1/incidents/log?format=csv").text
            #expect(log.contains("Confidential case") && !log.contains("belittled"), "logged without its words")
            #expect(!(try await manager.call(.get, "/api/v1/incidents/log?format=csv").text.contains("Confidential case")))

            // The subject is the demo staff member on Oak (here standing in for a colleague); the Oak manager may not investigate.
            let subject = try await harness.user(.staff), managerUser = try await harness.user(.manager), lead_ = try await harness.user(.safetyLead)
            let bad = try await hr.call(.patch, "/api/v1/incidents/\(id)/harassment-case",
                                        json: #"{"stage":"formal","subjectId":"\#(subject.id)","investigatorId":"\#(managerUser.id)"}"#)
            #expect(bad.status == .badRequest)
            #expect(try Self.fields(bad)["investigatorId"]?.contains("manager") == true)
            let same = try await hr.call(.patch, "/api/v1/incidents/\(id)/harassment-case", json: #"{"subjectId":"\#(subject.id)","investigatorId":"\#(subject.id)"}"#)
            #expect(same.status == .badRequest)
            let good = try await hr.call(.patch, "/api/v1/incidents/\(id)/harassment-case",
                                         json: #"{"stage":"formal","subjectId":"\#(subject.id)","investigatorId":"\#(lead_.id)","support":"Moved to another shift pattern"}"#)
            #expect(good.status == .ok)
            #expect(try good.json()["investigationDueOn"] as? String != nil, "a formal complaint gets an investigation target")

            // HR handles the case; closing it schedules the retaliation check three months on.
            #expect(try await manager.call(.patch, "/api/v1/incidents/\(id)", json: #"{"status":"under-review"}"#).status == .notFound)
            #expect(try await hr.call(.patch, "/api/v1/incidents/\(id)", json: #"{"status":"under-review"}"#).status == .ok)
            #expect(try await hr.call(.patch, "/api/v1/incidents/\(id)", json: #"{"status":"closed","outcome":"Formal warning; mediation offered"}"#).status == .ok)
            let after = try await hr.call(.get, "/api/v1/incidents/\(id)/harassment-case").json()
            let due = try #require(after["retaliationCheckDueOn"] as? String)
            harness.clock.advance(by: 95 * 86400)
            let hrUser = try await harness.user(.hrCaseHandler)
            let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            #expect(try await harness.environment.attention(for: hrUser, organisation: organisation).contains { $0.title.contains("retaliation check is due") }, "due \(due)")
            let hrLater = try await APIClient.signedIn(client, as: .hrCaseHandler)   // a fresh token, three months on
            #expect(try await hrLater.call(.patch, "/api/v1/incidents/\(id)/harassment-case", json: #"{"retaliationChecked":true}"#).status == .ok)
            #expect(try await harness.environment.attention(for: hrUser, organisation: organisation).allSatisfy { !$0.title.contains("retaliation") })

            // The page shows HR its form; the reporter sees the confidentiality notice but not the form.
            var hrBrowser = try await Browser.signedIn(client, as: .hrCaseHandler)
            #expect(try await hrBrowser.get(client, "/incidents/\(id)").text.contains("Save the HR case"))
            var staffBrowser = try await Browser.signedIn(client, as: .staff)
            let mine = try await staffBrowser.get(client, "/incidents/\(id)").text
            #expect(mine.contains("confidential") && !mine.contains("Save the HR case"))
        }
    }

    @Test("Reports due to the regulator: a time-off-work injury prompts on day 8 and is listed for its unit's manager only")
    func regulatorDeadlines() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let oak = try await harness.unit("OAK")
            let body = IncidentWebTests.body(unitId: oak.id).replacingOccurrences(of: "first-aid", with: "time-off-work")
            let id = try #require(try await staff.call(.post, "/api/v1/incidents", json: body).json()["id"] as? String)
            harness.clock.advance(by: 9 * 86400)
            let manager = try await APIClient.signedIn(client, as: .manager)
            let due = try await manager.call(.get, "/api/v1/incidents/regulator-deadlines")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(due.text.utf8)) as? [[String: Any]])
            #expect(rows.count == 1 && rows[0]["incidentId"] as? String == id && rows[0]["kind"] as? String == "record-absence")
            #expect(try await manager.call(.patch, "/api/v1/incidents/\(id)", json: #"{"detail":{"absenceDays":10}}"#).status == .ok)
            let riddor = try #require(try JSONSerialization.jsonObject(with: Data(try await manager.call(.get, "/api/v1/incidents/regulator-deadlines").text.utf8)) as? [[String: Any]])
            #expect(riddor.first?["kind"] as? String == "riddor")
            var browser = try await Browser.signedIn(client, as: .manager)
            let page = try await browser.get(client, "/incidents/regulator")
            #expect(page.status == .ok && page.text.contains("RIDDOR report"))
            #expect(try await APIClient.signedIn(client, as: .staff).call(.get, "/api/v1/incidents/regulator-deadlines").status == .forbidden)
            let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            #expect(try await harness.environment.attention(for: try await harness.user(.manager), organisation: organisation)
                .contains { $0.link == "/incidents/regulator" })
        }
    }

    @Test("Attachments: photos and PDFs by their bytes, nothing else, at most 10 MB; downloads are audited and follow the report's remit")
    func attachments() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let id = try await Self.report(staff, harness)
            var pngBytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0x41, count: 100)
            let created = try await client.execute(uri: "/api/v1/incidents/\(id)/attachments?name=bruise.png", method: .post,
                                                   headers: [.authorization: "Bearer \(staff.token!)", .contentType: "application/octet-stream"],
                                                   body: ByteBuffer(bytes: pngBytes))
            #expect(created.status == .created)
            let attachmentId = try #require(try created.json()["id"] as? String)
            #expect(try created.json()["contentType"] as? String == "image/png")
            let exe = try await client.execute(uri: "/api/v1/incidents/\(id)/attachments?name=photo.jpg", method: .post,
                                               headers: [.authorization: "Bearer \(staff.token!)", .contentType: "image/jpeg"],
                                               body: ByteBuffer(bytes: Array("MZ\u{90}\u{00}this is a program".utf8)))
            #expect(exe.status == .badRequest && exe.text.contains("Only photos"), "a renamed program is refused by its bytes")
            pngBytes += Array(repeating: 0, count: Attachment.maximumSize)
            let huge = try await client.execute(uri: "/api/v1/incidents/\(id)/attachments", method: .post,
                                                headers: [.authorization: "Bearer \(staff.token!)"], body: ByteBuffer(bytes: pngBytes))
            #expect(huge.status == .contentTooLarge || huge.status == .badRequest)

            let manager = try await APIClient.signedIn(client, as: .manager)
            let download = try await manager.call(.get, "/api/v1/incidents/\(id)/attachments/\(attachmentId)")
            #expect(download.status == .ok && download.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(Array(download.body.readableBytesView).prefix(4) == [0x89, 0x50, 0x4E, 0x47])
            let trainer = try await APIClient.signedIn(client, as: .trainer)
            #expect(try await trainer.call(.get, "/api/v1/incidents/\(id)/attachments/\(attachmentId)").status == .notFound)
            let reads = try await AuditLog.list(harness.database, filter: .init(organisationId: try await harness.user(.staff).organisationId,
                                                                              action: "incident.attachment.read"))
            #expect(reads.count == 1)

            // The page: a multipart form with the CSRF token inside it.
            var browser = try await Browser.signedIn(client, as: .staff)
            let page = try await browser.get(client, "/incidents/\(id)")
            #expect(page.text.contains("enctype=\"multipart/form-data\""))
            #expect(page.text.contains("bruise.png"))
            let token = browser.csrf
            func multipart(_ fileBytes: [UInt8], filename: String) -> ByteBuffer {
                var body = ByteBuffer()
                body.writeString("--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(token)\r\n")
                body.writeString("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: application/pdf\r\n\r\n")
                body.writeBytes(fileBytes)
                body.writeString("\r\n--XyZ--\r\n")
                return body
            }
            var headers = browser.cookieHeader
            headers[.contentType] = "multipart/form-data; boundary=XyZ"
            let pdf = try await client.execute(uri: "/incidents/\(id)/attachments", method: .post, headers: headers,
                                               body: multipart(Array("%PDF-1.7\nstatement".utf8), filename: "statement.pdf"))
            #expect(pdf.status == .seeOther)
            let text = try await client.execute(uri: "/incidents/\(id)/attachments", method: .post, headers: headers,
                                                body: multipart(Array("just words".utf8), filename: "notes.pdf"))
            #expect(text.status == .badRequest && text.text.contains("file-error"))
            #expect(try await staff.call(.get, "/api/v1/incidents/\(id)/attachments").text.contains("statement.pdf"))
        }
    }

    @Test("California: an assault by a patient gets the §3342(g) timer, and its handlers are reminded before the 24 hours end")
    func calOSHAReminder() async throws {
        try await Harness.run { client, harness in
            var organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            organisation.rulePack = .california
            try await harness.environment.organisations.update(organisation, origin: Origin(organisationId: organisation.id, actorId: nil))
            let staff = try await APIClient.signedIn(client, as: .staff)
            let id = try await Self.report(staff, harness)   // a physical assault with first aid: 24 hours
            let manager = try await harness.user(.manager)
            harness.clock.advance(by: 17 * 3600)
            _ = await harness.environment.timerService.runDue()
            #expect(try await harness.environment.notifications.list(userId: manager.id).allSatisfy { !$0.title.contains("Cal/OSHA") }, "not yet")
            harness.clock.advance(by: 2 * 3600)   // 19 hours: within the last quarter
            _ = await harness.environment.timerService.runDue()
            let notes = try await harness.environment.notifications.list(userId: manager.id)
            #expect(notes.contains { $0.title.contains("Cal/OSHA report (§3342(g), 24 hours)") && $0.link == "/incidents/\(id)" })
        }
    }

    @Test("A sanction with a review date reminds the incident's handlers on that day, not before")
    func sanctionReview() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let id = try await Self.report(staff, harness)
            let manager = try await APIClient.signedIn(client, as: .manager)
            let reviewOn = CalendarColumns(harness.clock.now() + 3 * 86400, timeZone: TimeZone(identifier: "Europe/London")!).localDate
            let saved = try await manager.call(.patch, "/api/v1/incidents/\(id)",
                                               json: #"{"detail":{"sanctions":[{"kind":"warning","note":"Letter sent","reviewOn":"\#(reviewOn)"}]}}"#)
            #expect(saved.status == .ok)
            let managerUser = try await harness.user(.manager)
            harness.clock.advance(by: 86400)
            _ = await harness.environment.timerService.runDue()
            #expect(try await harness.environment.notifications.list(userId: managerUser.id).allSatisfy { !$0.title.contains("sanction") })
            harness.clock.advance(by: 3 * 86400)
            _ = await harness.environment.timerService.runDue()
            #expect(try await harness.environment.notifications.list(userId: managerUser.id).contains { $0.title == "A sanction is due for review" })
        }
    }
}
