import Foundation
import HavenCore
import HavenData
import HavenServices
import HavenTestSupport
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import SQLKit
import HummingbirdTesting
import Testing

@Suite("Lone working: sessions, escalation, alarms and acknowledgement")
struct LoneWorkingTests {
    /// Grace 60 s, then the buddy, the line manager and the safety lead, two minutes apart.
    static let policy = #"""
        {"name":"Community visits","graceSeconds":60,"steps":[
          {"who":"buddy","channels":["in-app","webhook"],"waitSeconds":120},
          {"who":"line-manager","channels":["in-app","email"],"waitSeconds":120},
          {"who":"role","role":"safety-lead","channels":["in-app"],"waitSeconds":120}]}
        """#

    /// Creates the policy for OAK and starts a 10-minute visit for the staff member with the trainer as buddy.
    static func startVisit(_ client: any TestClientProtocol, _ harness: Harness, minutes: Int = 10) async throws -> (APIClient, String) {
        let admin = try await APIClient.signedIn(client, as: .admin)
        let created = try await admin.call(.post, "/api/v1/lone-working/escalation-policies", json: policy)
        #expect(created.status == .created, "\(created.text)")
        let policyId = try #require(try created.json()["id"] as? String)
        let oak = try await harness.unit("OAK")
        let assigned = try await admin.call(.post, "/api/v1/lone-working/escalation-policies/\(policyId)/units", json: #"{"unitIds":["\#(oak.id)"]}"#)
        #expect(assigned.status == .ok, "\(assigned.text)")
        let staff = try await APIClient.signedIn(client, as: .staff)
        let buddy = try await harness.user(.trainer)
        let started = try await staff.call(.post, "/api/v1/lone-working/sessions", json: """
            {"location":"14 Elm Road","expectedDurationSeconds":\(minutes * 60),"buddyId":"\(buddy.id)","vehicle":"AB12 CDE","visitKind":"home-visit"}
            """)
        #expect(started.status == .created, "\(started.text)")
        let body = try started.json()
        #expect(body["state"] as? String == "active")
        #expect(body["escalationPolicyId"] as? String == policyId)
        return (staff, try #require(body["id"] as? String))
    }

    static func notifications(_ harness: Harness, _ role: Role) async throws -> [InAppNotification] {
        try await harness.environment.notifications.list(userId: try await harness.user(role).id, limit: 100)
            .filter { $0.title.hasPrefix("Lone worker") }
    }

    static func steps(_ harness: Harness, _ sessionId: String) async throws -> [Int] {
        let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
        return try await harness.environment.loneWorking.store.events(sessionId: sessionId, organisationId: organisation.id)
            .filter { $0.kind == .escalation }.compactMap(\.step)
    }

    @Test("An overdue session escalates step by step in simulated time, each step exactly once, until acknowledged")
    func escalation() async throws {
        try await Harness.run { client, harness in
            let (staff, id) = try await Self.startVisit(client, harness)
            let timers = harness.environment.timerService
            harness.clock.advance(by: 10 * 60 + 58)
            await timers.runDue()
            #expect(try await Self.steps(harness, id).isEmpty, "the grace period has not passed")
            harness.clock.advance(by: 2)
            await timers.runDue()
            #expect(try await Self.steps(harness, id) == [1])
            #expect(try await Self.notifications(harness, .trainer).count == 1, "the buddy is told first")
            #expect(try await Self.notifications(harness, .manager).isEmpty)
            let session = try await staff.call(.get, "/api/v1/lone-working/sessions/\(id)").json()
            #expect(session["state"] as? String == "overdue")
            #expect(session["escalationStep"] as? Int == 1)
            // Running the timers again sends nothing new.
            await timers.runDue()
            await timers.runDue()
            #expect(try await Self.steps(harness, id) == [1])
            #expect(try await Self.notifications(harness, .trainer).count == 1)
            harness.clock.advance(by: 120)
            await timers.runDue()
            await timers.runDue()
            #expect(try await Self.steps(harness, id) == [1, 2])
            #expect(try await Self.notifications(harness, .manager).count == 1, "then the line manager")
            // The manager acknowledges: escalation stops, who and when are recorded.
            let manager = try await APIClient.signedIn(client, as: .manager)
            let acknowledged = try await manager.call(.post, "/api/v1/lone-working/sessions/\(id)/acknowledge", json: "{}")
            #expect(acknowledged.status == .ok, "\(acknowledged.text)")
            let body = try acknowledged.json()
            #expect(body["state"] as? String == "acknowledged")
            #expect(body["acknowledgedBy"] as? String == (try await harness.user(.manager)).id)
            #expect(body["acknowledgedAt"] as? String != nil)
            harness.clock.advance(by: 3600)
            await timers.runDue()
            #expect(try await Self.steps(harness, id) == [1, 2], "no step after the acknowledgement")
            #expect(try await Self.notifications(harness, .safetyLead).isEmpty)
            // Resolving needs an outcome.
            let missing = try await manager.call(.post, "/api/v1/lone-working/sessions/\(id)/resolve", json: "{}")
            #expect(missing.status == .badRequest)
            #expect(try missing.json()["error"].flatMap { ($0 as? [String: Any])?["fields"] as? [String: String] }?["outcome"] != nil)
            let resolved = try await manager.call(.post, "/api/v1/lone-working/sessions/\(id)/resolve", json: #"{"outcome":"safe","note":"Phone had died"}"#)
            #expect(resolved.status == .ok)
            #expect(try resolved.json()["outcome"] as? String == "safe")
            // Every state change is in the audit trail.
            let audit = try await harness.database.read { db in
                try await db.raw("SELECT action FROM audit_events WHERE entity = 'lone-working-session' AND entity_id = \(bind: id) ORDER BY sequence").all()
                    .map { try $0.decode(column: "action", as: String.self) }
            }
            #expect(audit == ["lone-working.session.started", "lone-working.session.overdue", "lone-working.session.escalation",
                              "lone-working.session.escalation", "lone-working.session.acknowledged", "lone-working.session.resolved"])
        }
    }

    @Test("The last step is sent once and the board tells the monitor to call the police")
    func lastStep() async throws {
        try await Harness.run { client, harness in
            let (_, id) = try await Self.startVisit(client, harness)
            harness.clock.advance(by: 11 * 60)
            await harness.environment.timerService.runDue()
            for _ in 0..<5 {
                harness.clock.advance(by: 120)
                await harness.environment.timerService.runDue()
            }
            #expect(try await Self.steps(harness, id) == [1, 2, 3])
            #expect(try await Self.notifications(harness, .safetyLead).count == 1)
            var lead = try await Browser.signedIn(client, as: .safetyLead)
            let board = try await lead.get(client, "/lone-working/board")
            #expect(board.status == .ok)
            #expect(board.text.contains("Escalating step 3 (last): call the police"))
            #expect(board.text.contains("14 Elm Road"))
            #expect(try await lead.get(client, "/").text.contains("A lone worker needs a response now"), "on the monitor's home page")
        }
    }

    @Test("A check-in pushes the due time on and stops an escalation in progress")
    func checkIn() async throws {
        try await Harness.run { client, harness in
            let (staff, id) = try await Self.startVisit(client, harness)
            let before = try await staff.call(.get, "/api/v1/lone-working/sessions/\(id)").json()["dueAt"] as? String
            harness.clock.advance(by: 9 * 60)
            let checked = try await staff.call(.post, "/api/v1/lone-working/sessions/\(id)/check-ins", json: #"{"extendBySeconds":1800}"#)
            #expect(checked.status == .created, "\(checked.text)")
            let after = try checked.json()["dueAt"] as? String
            #expect(after != before)
            // The old due time passes without escalation; the new one escalates.
            harness.clock.advance(by: 5 * 60)
            await harness.environment.timerService.runDue()
            #expect(try await Self.steps(harness, id).isEmpty)
            harness.clock.advance(by: 30 * 60)
            await harness.environment.timerService.runDue()
            #expect(try await Self.steps(harness, id) == [1])
            // Checking in while overdue stops the escalation: the worker has answered.
            #expect(try await staff.call(.post, "/api/v1/lone-working/sessions/\(id)/check-ins", json: #"{"extendBySeconds":600}"#).status == .created)
            harness.clock.advance(by: 121)
            await harness.environment.timerService.runDue()
            #expect(try await Self.steps(harness, id) == [1])
            // Too far ahead.
            let tooLong = try await staff.call(.post, "/api/v1/lone-working/sessions/\(id)/check-ins", json: #"{"extendBySeconds":86400}"#)
            #expect(tooLong.status == .badRequest)
        }
    }

    @Test("A check-in moves the visit's timer in place; one the timer loop already holds is replaced, and does nothing when it runs")
    func checkInMovesTimer() async throws {
        try await Harness.run { client, harness in
            let (staff, id) = try await Self.startVisit(client, harness)
            func openTimers() async throws -> [String] {
                try await harness.database.read { db in
                    try await db.raw("SELECT id FROM timers WHERE subject_id = \(bind: id) AND completed_at IS NULL").all().map { try $0.decode(column: "id", as: String.self) }
                }
            }
            func allTimers() async throws -> Int {
                try await harness.database.read { db in
                    try await db.raw("SELECT COUNT(*) AS n FROM timers WHERE subject_id = \(bind: id)").first()?.decode(column: "n", as: Int.self) ?? 0
                }
            }
            let first = try await openTimers()
            #expect(first.count == 1)
            #expect(try await staff.call(.post, "/api/v1/lone-working/sessions/\(id)/check-ins", json: #"{"extendBySeconds":600}"#).status == .created)
            #expect(try await openTimers() == first, "the same timer, moved")
            #expect(try await allTimers() == 1, "nothing left behind")
            // The loop claims the timer ahead of its due time (as it does within its lookahead); a check-in then
            // replaces it, and the held one finds itself superseded when it runs.
            let timers = harness.environment.timers
            let dueAt = try #require(try await timers.nextDueAt())
            let held = try #require(try await timers.claimDue(owner: "loop", limit: 1, dueBy: dueAt).first)
            #expect(held.id == first[0])
            #expect(try await staff.call(.post, "/api/v1/lone-working/sessions/\(id)/check-ins", json: #"{"extendBySeconds":600}"#).status == .created)
            let replaced = try await openTimers()
            #expect(replaced.count == 1 && replaced != first, "a new timer; the held one is marked done")
            harness.clock.advance(by: dueAt.timeIntervalSince(harness.clock.now()) + 1)
            try await harness.environment.loneWorking.handle(held)
            #expect(try await Self.steps(harness, id).isEmpty, "the superseded timer sends nothing")
            #expect(try await openTimers() == replaced)
        }
    }

    @Test("A panic alarm escalates at once from step 1 and reaches the webhook")
    func panic() async throws {
        let receiver = WebhookReceiver()
        try await receiver.serve { url in
            try await Harness.run { client, harness in
                let admin = try await APIClient.signedIn(client, as: .admin)
                #expect(try await admin.call(.post, "/api/v1/webhooks", json: #"{"url":"\#(url)","secret":"0123456789abcdef","events":["lone-working.alarm","lone-working.escalation"]}"#).status == .created)
                let (staff, id) = try await Self.startVisit(client, harness, minutes: 60)
                let alarm = try await staff.call(.post, "/api/v1/lone-working/sessions/\(id)/alarm", json: #"{"latitude":51.5,"longitude":-0.12}"#)
                #expect(alarm.status == .ok, "\(alarm.text)")
                #expect(try alarm.json()["state"] as? String == "alarm")
                // Step 1 is sent by the alarm itself, without waiting for any timer or grace period.
                #expect(try await Self.steps(harness, id) == [1])
                #expect(try await Self.notifications(harness, .trainer).first?.title.contains("ALARM") == true)
                await harness.environment.timerService.runDue()
                let events = await receiver.received.compactMap(\.event)
                #expect(events.sorted() == ["lone-working.alarm", "lone-working.escalation"])
                let payload = try #require(await receiver.received.first { $0.event == "lone-working.escalation" }?.body)
                #expect(payload.contains(id) && payload.contains("\"step\":\"1\"") && payload.contains("AB12 CDE"))
                // A second press changes nothing; an ended session cannot raise one (409).
                #expect(try await staff.call(.post, "/api/v1/lone-working/sessions/\(id)/alarm", json: "{}").status == .ok)
                #expect(try await Self.steps(harness, id) == [1])
                harness.clock.advance(by: 120)
                await harness.environment.timerService.runDue()
                #expect(try await Self.steps(harness, id) == [1, 2])
            }
        }
    }

    @Test("Ending with the duress PIN answers exactly like a normal end, but raises a silent alarm")
    func duress() async throws {
        try await Harness.run { client, harness in
            var browser = try await Browser.signedIn(client, as: .staff)
            try await browser.get(client, "/lone-working/pins")
            #expect(try await browser.post(client, "/lone-working/pins", [("pin", "2468"), ("duressPin", "2468")]).status == .badRequest)
            #expect(try await browser.post(client, "/lone-working/pins", [("pin", "2468"), ("duressPin", "13")]).status == .badRequest)
            #expect(try await browser.post(client, "/lone-working/pins", [("pin", "2468"), ("duressPin", "1357")]).status == .seeOther)
            let (staff, normalId) = try await Self.startVisit(client, harness)
            let second = try await staff.call(.post, "/api/v1/lone-working/sessions", json: #"{"location":"14 Elm Road","expectedDurationSeconds":600,"buddyId":"\#((try await harness.user(.trainer)).id)","vehicle":"AB12 CDE","visitKind":"home-visit"}"#)
            let duressId = try #require(try second.json()["id"] as? String)
            #expect(try await staff.call(.post, "/api/v1/lone-working/sessions/\(normalId)/end", json: #"{"pin":"9999"}"#).status == .badRequest)
            let normal = try await staff.call(.post, "/api/v1/lone-working/sessions/\(normalId)/end", json: #"{"pin":"2468"}"#)
            let silent = try await staff.call(.post, "/api/v1/lone-working/sessions/\(duressId)/end", json: #"{"pin":"1357"}"#)
            #expect(normal.status == .ok && silent.status == .ok)
            func comparable(_ response: TestResponse) -> String {
                response.text.replacingOccurrences(of: normalId, with: "ID").replacingOccurrences(of: duressId, with: "ID")
            }
            #expect(comparable(normal) == comparable(silent), "the caller cannot tell them apart")
            #expect(try await staff.call(.get, "/api/v1/lone-working/sessions/\(duressId)").json()["state"] as? String == "ended")
            // Monitors see the alarm, and the buddy has been told.
            let lead = try await APIClient.signedIn(client, as: .safetyLead)
            let seen = try await lead.call(.get, "/api/v1/lone-working/sessions/\(duressId)").json()
            #expect(seen["state"] as? String == "alarm")
            #expect(seen["duress"] as? Bool == true)
            #expect(try await Self.steps(harness, duressId) == [1])
            #expect(try await Self.steps(harness, normalId).isEmpty)
            #expect(try await Self.notifications(harness, .staff).isEmpty, "nothing on the worker's own phone")
            // The worker's page shows a normal end.
            let page = try await browser.get(client, "/lone-working/sessions/\(duressId)")
            #expect(!page.text.contains("ALARM") && !page.text.contains("duress PIN"))
        }
    }

    @Test("After a restart, a timer that fell due while the server was down runs once")
    func restart() async throws {
        try await TestDatabase.with { database in
            let clock = ManualClock(Date())
            let box = Box()
            try await Harness.run(database: database, clock: clock) { client, harness in
                let (_, id) = try await Self.startVisit(client, harness)
                box.id = id
            }
            clock.advance(by: 3600)
            try await Harness.run(database: database, clock: clock) { _, harness in
                await harness.environment.timerService.runDue()
                await harness.environment.timerService.runDue()
                let steps = try await Self.steps(harness, box.id)
                let told = try await Self.notifications(harness, .trainer)
                #expect(steps == [1], "step 1 once; step 2 is due two minutes after it")
                #expect(told.count == 1)
            }
        }
    }

    @Test("Two instances on one database racing for the same due timers send each step once; a timer run again does nothing")
    func twoInstances() async throws {
        try await Harness.run { client, harness in
            let (_, id) = try await Self.startVisit(client, harness)
            // A second app instance: its own timer service, same database and clock.
            let other = HavenEnvironment(database: harness.database, clock: harness.clock, settings: harness.environment.settings,
                                         httpClient: .shared, logger: TestDatabase.logger)
            harness.clock.advance(by: 11 * 60)
            async let first = harness.environment.timerService.runDue()
            async let second = other.timerService.runDue()
            _ = await (first, second)
            #expect(try await Self.steps(harness, id) == [1])
            // A crash between a step's commit and its timer's completion: the timer is claimed again and runs again.
            // Simulated by putting the step-1 timer back as if it had never been marked done.
            let reopened = try await harness.database.write { db in
                try await db.raw("""
                    UPDATE timers SET completed_at = NULL, claimed_until = NULL
                    WHERE kind = \(bind: LoneWorking.timerKind) AND subject_id = \(bind: id) AND completed_at IS NOT NULL RETURNING id
                    """).all().count
            }
            #expect(reopened == 1)
            #expect(await other.timerService.runDue() == 1)
            #expect(try await Self.steps(harness, id) == [1])
            harness.clock.advance(by: 120)
            async let third = harness.environment.timerService.runDue()
            async let fourth = other.timerService.runDue()
            _ = await (third, fourth)
            #expect(try await Self.steps(harness, id) == [1, 2])
            #expect(try await Self.notifications(harness, .manager).count == 1)
        }
    }

    @Test("Someone else's session is 403; acknowledging without monitor rights is 403; an ended session is 409")
    func permissions() async throws {
        try await Harness.run { client, harness in
            let (staff, id) = try await Self.startVisit(client, harness)
            let other = try await APIClient.signedIn(client, as: .partnershipRep)
            #expect(try await other.call(.get, "/api/v1/lone-working/sessions/\(id)").status == .forbidden)
            #expect(try await other.call(.post, "/api/v1/lone-working/sessions/\(id)/check-ins", json: "{}").status == .forbidden)
            #expect(try await other.call(.post, "/api/v1/lone-working/sessions/\(id)/end", json: "{}").status == .forbidden)
            #expect(try await other.call(.post, "/api/v1/lone-working/sessions/\(id)/alarm", json: "{}").status == .forbidden)
            // A monitor may see it but not act as the worker.
            let manager = try await APIClient.signedIn(client, as: .manager)
            #expect(try await manager.call(.get, "/api/v1/lone-working/sessions/\(id)").status == .ok)
            #expect(try await manager.call(.post, "/api/v1/lone-working/sessions/\(id)/end", json: "{}").status == .forbidden)
            harness.clock.advance(by: 11 * 60)
            await harness.environment.timerService.runDue()
            #expect(try await other.call(.post, "/api/v1/lone-working/sessions/\(id)/acknowledge", json: "{}").status == .forbidden)
            #expect(try await staff.call(.post, "/api/v1/lone-working/sessions/\(id)/acknowledge", json: "{}").status == .forbidden,
                    "the worker cannot acknowledge their own alert")
            #expect(try await staff.call(.post, "/api/v1/lone-working/sessions/\(id)/resolve", json: #"{"outcome":"safe"}"#).status == .forbidden)
            // The buddy may acknowledge.
            let buddy = try await APIClient.signedIn(client, as: .trainer)
            #expect(try await buddy.call(.post, "/api/v1/lone-working/sessions/\(id)/acknowledge", json: "{}").status == .ok)
            #expect(try await manager.call(.post, "/api/v1/lone-working/sessions/\(id)/resolve", json: #"{"outcome":"false-alarm"}"#).status == .ok)
            #expect(try await staff.call(.post, "/api/v1/lone-working/sessions/\(id)/check-ins", json: "{}").status == .conflict)
            #expect(try await staff.call(.post, "/api/v1/lone-working/sessions/\(id)/alarm", json: "{}").status == .conflict)
            #expect(try await staff.call(.post, "/api/v1/lone-working/sessions/\(id)/end", json: "{}").status == .conflict)
            // Policies are for administrators and safety leads.
            #expect(try await manager.call(.post, "/api/v1/lone-working/escalation-policies", json: Self.policy).status == .forbidden)
            #expect(try await staff.call(.get, "/api/v1/lone-working/escalation-policies").status == .forbidden)
            // Lists: the worker sees their own, the other unit's manager none of OAK's.
            let own = try await staff.call(.get, "/api/v1/lone-working/sessions?status=all").json()
            let none = try await other.call(.get, "/api/v1/lone-working/sessions?status=all").json()
            #expect(own["total"] as? Int == 1)
            #expect(none["total"] as? Int == 0)
        }
    }

    @Test("Bad input changes nothing and names the field")
    func badInput() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            func fields(_ response: TestResponse) throws -> [String: String] {
                try (response.json()["error"] as? [String: Any])?["fields"] as? [String: String] ?? [:]
            }
            let past = try await staff.call(.post, "/api/v1/lone-working/sessions", json: #"{"location":"x","expectedEndAt":"2001-01-01T00:00:00Z"}"#)
            let pastFields = try fields(past)
            #expect(past.status == .badRequest && pastFields["expectedEndAt"] != nil)
            let far = try await staff.call(.post, "/api/v1/lone-working/sessions", json: #"{"location":"x","expectedDurationSeconds":90000}"#)
            let farFields = try fields(far)
            #expect(far.status == .badRequest && farFields["expectedDurationSeconds"] != nil)
            let both = try await staff.call(.post, "/api/v1/lone-working/sessions", json: #"{"location":"x"}"#)
            let bothFields = try fields(both)
            #expect(both.status == .badRequest && bothFields["expectedDurationSeconds"] != nil)
            let unknown = try await staff.call(.post, "/api/v1/lone-working/sessions", json: #"{"location":"x","expectedDurationSeconds":600,"colour":"red"}"#)
            let unknownFields = try fields(unknown)
            #expect(unknown.status == .badRequest && unknownFields["colour"] != nil)
            let selfBuddy = try await staff.call(.post, "/api/v1/lone-working/sessions", json: #"{"location":"x","expectedDurationSeconds":600,"buddyId":"\#((try await harness.user(.staff)).id)"}"#)
            let selfBuddyFields = try fields(selfBuddy)
            #expect(selfBuddy.status == .badRequest && selfBuddyFields["buddyId"] != nil)
            let admin = try await APIClient.signedIn(client, as: .admin)
            let noSteps = try await admin.call(.post, "/api/v1/lone-working/escalation-policies", json: #"{"name":"Empty","graceSeconds":60,"steps":[]}"#)
            let noStepsFields = try fields(noSteps)
            #expect(noSteps.status == .badRequest && noStepsFields["steps"] != nil)
            let negative = try await admin.call(.post, "/api/v1/lone-working/escalation-policies",
                                                json: #"{"name":"Neg","graceSeconds":60,"steps":[{"who":"buddy","channels":["in-app"],"waitSeconds":-5}]}"#)
            let negativeFields = try fields(negative)
            #expect(negative.status == .badRequest && negativeFields["steps[0].waitSeconds"] != nil)
            #expect(try await admin.call(.get, "/api/v1/lone-working/escalation-policies").json()["total"] as? Int == 0)
            let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            #expect(try await harness.environment.loneWorking.store.sessions(organisationId: organisation.id, .init(which: .all)).total == 0)
        }
    }

    @Test("A visit started from the phone page in a few taps; the home page offers it; the board needs monitor rights")
    func pages() async throws {
        try await Harness.run { client, harness in
            var staff = try await Browser.signedIn(client, as: .staff)
            #expect(try await staff.get(client, "/").text.contains("/lone-working"))
            let form = try await staff.get(client, "/lone-working")
            #expect(form.status == .ok)
            let missing = try await staff.post(client, "/lone-working", [("location", ""), ("minutes", "60")])
            #expect(missing.status == .badRequest && missing.text.contains("error-summary"))
            let started = try await staff.post(client, "/lone-working", [("location", "14 Elm Road"), ("minutes", "60"),
                                                                          ("unitId", (try await harness.unit("OAK")).id)])
            #expect(started.status == .seeOther)
            let location = try #require(started.location)
            let page = try await staff.get(client, location)
            #expect(page.text.contains("Raise alarm") && page.text.contains("I'm safe"))
            #expect(try await staff.post(client, location + "/check-in", [("minutes", "30")]).status == .seeOther)
            #expect(try await staff.post(client, location + "/end", []).status == .seeOther)
            #expect(try await staff.get(client, location).text.contains("Closed"))
            #expect(try await staff.get(client, "/lone-working/board").status == .forbidden)
            var manager = try await Browser.signedIn(client, as: .manager)
            #expect(try await manager.get(client, "/lone-working/board").status == .ok)
        }
    }
}

extension LoneWorkingTests {
    @Test("The start form, the session page and the board escape a quote or bracket joined to a combining mark")
    func escaping() async throws {
        try await Harness.run { client, harness in
            let hostile = "x\(EscapingTests.quoteWithAccent) onfocus=alert(1) \(EscapingTests.lessThanWithSlash)script>"
            var staff = try await Browser.signedIn(client, as: .staff)
            try await staff.get(client, "/lone-working")
            let rejected = try await staff.post(client, "/lone-working", [("location", hostile), ("minutes", "0")])
            #expect(rejected.status == .badRequest)
            let started = try await staff.post(client, "/lone-working", [("location", hostile), ("minutes", "60"), ("vehicle", hostile),
                                                                          ("unitId", (try await harness.unit("OAK")).id)])
            let location = try #require(started.location)
            let page = try await staff.get(client, location)
            var manager = try await Browser.signedIn(client, as: .manager)
            let board = try await manager.get(client, "/lone-working/board")
            for text in [rejected.text, page.text, board.text] {
                #expect(!text.contains(EscapingTests.quoteWithAccent))
                #expect(!text.contains(EscapingTests.lessThanWithSlash))
                #expect(text.contains("&quot;\u{0301}"))
            }
        }
    }
}

/// Carries a value out of one harness run into the next.
final class Box: @unchecked Sendable {
    var id = ""
}
