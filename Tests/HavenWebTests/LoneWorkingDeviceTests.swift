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

/// An integration's credentials, and a way to post signed alarm events with them.
struct AlarmSender {
    let client: any TestClientProtocol
    var token: String
    var secret: String

    func post(_ body: String, signature: String? = nil, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: "Bearer \(token ?? self.token)", .contentType: "application/json"]
        headers[HTTPField.Name("X-Haven-Signature")!] = signature ?? DeliveryWorker.signature(body: body, secret: secret)
        return try await client.execute(uri: "/api/v1/integrations/alarm-events", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// Creates an integration as the administrator and registers `reference` for the staff nurse (Oak ward).
    static func setUp(_ client: any TestClientProtocol, _ harness: Harness, reference: String = "PEN-0042") async throws -> AlarmSender {
        let admin = try await APIClient.signedIn(client, as: .admin)
        let created = try await admin.call(.post, "/api/v1/integrations", json: #"{"name":"Northern ARC"}"#)
        #expect(created.status == .created, "\(created.text)")
        let body = try created.json()
        let sender = AlarmSender(client: client, token: try #require(body["token"] as? String), secret: try #require(body["secret"] as? String))
        let staff = try await harness.user(.staff)
        let device = try await admin.call(.post, "/api/v1/lone-working/devices", json: """
            {"deviceId":"\(reference)","userId":"\(staff.id)","supplier":"SafeCall Ltd","bs8484Certified":true,"certificateReference":"NSI-8484-0193"}
            """)
        #expect(device.status == .created, "\(device.text)")
        #expect(try device.json()["unitId"] as? String == (try await harness.unit("OAK")).id, "the nurse's only unit by default")
        return sender
    }
}

@Suite("Lone working: devices, alarm receiving centres and inbound alarm events")
struct LoneWorkingDeviceTests {
    static func sessions(_ harness: Harness) async throws -> [LoneWorkSession] {
        let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
        return try await harness.environment.loneWorking.store.sessions(organisationId: organisation.id, .init(which: .all)).items
    }

    static func audit(_ harness: Harness, _ prefix: String) async throws -> [String] {
        try await harness.database.read { db in
            try await db.raw("SELECT action FROM audit_events WHERE action LIKE \(bind: prefix + "%") ORDER BY sequence").all()
                .map { try $0.decode(column: "action", as: String.self) }
        }
    }

    @Test("A fall on a visit raises its alarm from step 1 once; a retried event, and a second event while the alarm stands, send nothing more")
    func alarmOnVisit() async throws {
        try await Harness.run { client, harness in
            let sender = try await AlarmSender.setUp(client, harness)
            let (_, id) = try await LoneWorkingTests.startVisit(client, harness, minutes: 60)
            let event = #"{"event":"fall","deviceId":"PEN-0042","eventId":"arc-1","latitude":53.8,"longitude":-1.55,"audioAvailable":true}"#
            let first = try await sender.post(event)
            #expect(first.status == .created, "\(first.text)")
            let body = try first.json()
            #expect(body["result"] as? String == "alarm-raised" && body["sessionId"] as? String == id)
            #expect(try await LoneWorkingTests.steps(harness, id) == [1], "step 1 at once, like the panic button")
            let told = try #require(try await LoneWorkingTests.notifications(harness, .trainer).first)
            #expect(told.title.contains("ALARM") && told.body.contains("Fall detected") && told.body.contains("PEN-0042"))
            // The ARC retries the same event: the first answer, nothing sent again.
            let again = try await sender.post(event)
            #expect(again.status == .ok)
            #expect(try again.json()["id"] as? String == body["id"] as? String)
            let joined = try await sender.post(#"{"event":"no-movement","deviceId":"PEN-0042"}"#)
            #expect(joined.status == .created)
            #expect(try joined.json()["result"] as? String == "joined-alarm")
            await harness.environment.timerService.runDue()
            #expect(try await LoneWorkingTests.steps(harness, id) == [1])
            #expect(try await LoneWorkingTests.notifications(harness, .trainer).count == 1)
            // The escalation then runs on its timers as for any alarm.
            harness.clock.advance(by: 120)
            await harness.environment.timerService.runDue()
            #expect(try await LoneWorkingTests.steps(harness, id) == [1, 2])
            let lead = try await APIClient.signedIn(client, as: .safetyLead)
            let session = try await lead.call(.get, "/api/v1/lone-working/sessions/\(id)").json()
            #expect(session["state"] as? String == "alarm" && session["latitude"] as? Double == 53.8)
        }
    }

    @Test("A test activation is recorded and audited, and escalates nothing")
    func testActivation() async throws {
        try await Harness.run { client, harness in
            let sender = try await AlarmSender.setUp(client, harness)
            let (_, id) = try await LoneWorkingTests.startVisit(client, harness, minutes: 60)
            let test = try await sender.post(#"{"event":"test-activation","deviceId":"PEN-0042"}"#)
            #expect(test.status == .created, "\(test.text)")
            #expect(try test.json()["result"] as? String == "test-recorded")
            await harness.environment.timerService.runDue()
            #expect(try await LoneWorkingTests.steps(harness, id).isEmpty)
            #expect(try await LoneWorkingTests.notifications(harness, .trainer).isEmpty)
            #expect(try await Self.sessions(harness).map(\.state) == [.active])
            #expect(try await Self.audit(harness, "lone-working.alarm-event") == ["lone-working.alarm-event.test-recorded"])
        }
    }

    @Test("With no visit open, a panic from the device opens an alarm session on the device's team, escalated and on the board")
    func alarmWithoutVisit() async throws {
        try await Harness.run { client, harness in
            let sender = try await AlarmSender.setUp(client, harness)
            let response = try await sender.post(#"{"event":"panic","deviceId":"PEN-0042","detail":"Car park, Northtown Hub"}"#)
            #expect(response.status == .created, "\(response.text)")
            #expect(try response.json()["result"] as? String == "session-opened")
            let session = try #require(try await Self.sessions(harness).first)
            let oak = try await harness.unit("OAK")
            #expect(session.state == .alarm && session.unitId == oak.id && session.location == "Car park, Northtown Hub")
            #expect(session.workerId == (try await harness.user(.staff)).id)
            // The built-in policy: step 1 is the buddy (none here), so it goes straight on to the line manager.
            #expect(try await LoneWorkingTests.notifications(harness, .manager).first?.body.contains("Device panic alarm") == true)
            var lead = try await Browser.signedIn(client, as: .safetyLead)
            let board = try await lead.get(client, "/lone-working/board")
            #expect(board.text.contains("ALARM (panic)") && board.text.contains("Car park, Northtown Hub"))
            let manager = try await APIClient.signedIn(client, as: .manager)
            #expect(try await manager.call(.post, "/api/v1/lone-working/sessions/\(session.id)/acknowledge", json: "{}").status == .ok)
        }
    }

    @Test("Alarm events for a worker with no visit open, arriving at the same moment, open one alarm session; the others join it")
    func simultaneousAlarmsWithoutVisit() async throws {
        try await Harness.run { client, harness in
            let sender = try await AlarmSender.setUp(client, harness)
            // Different eventIds, so no copy is caught as a repeat: only the worker's lock keeps them to one session.
            let results = try await withThrowingTaskGroup(of: String?.self, returning: [String].self) { group in
                for index in 0..<6 {
                    group.addTask {
                        let response = try await sender.post(#"{"event":"\#(index % 2 == 0 ? "panic" : "fall")","deviceId":"PEN-0042","eventId":"arc-\#(index)"}"#)
                        return response.status == .created ? try response.json()["result"] as? String : "status \(response.status.code)"
                    }
                }
                var results: [String] = []
                for try await result in group { results.append(result ?? "none") }
                return results.sorted()
            }
            #expect(results == ["joined-alarm", "joined-alarm", "joined-alarm", "joined-alarm", "joined-alarm", "session-opened"])
            let sessions = try await Self.sessions(harness)
            #expect(sessions.count == 1 && sessions.first?.state == .alarm)
            #expect(try await LoneWorkingTests.notifications(harness, .manager).count == 1, "the alarm escalated once")
        }
    }

    @Test("A bad signature or token is 401 and logged; an unknown or retired device is 422 naming deviceId; bad fields are 400; nothing changes")
    func refusals() async throws {
        try await Harness.run { client, harness in
            let sender = try await AlarmSender.setUp(client, harness)
            let body = #"{"event":"panic","deviceId":"PEN-0042"}"#
            let forged = try await sender.post(body, signature: DeliveryWorker.signature(body: body, secret: "not-the-secret-at-all"))
            #expect(forged.status == .unauthorized)
            #expect(try (forged.json()["error"] as? [String: Any])?["code"] as? String == "bad_signature")
            let altered = try await sender.post(#"{"event":"panic","deviceId":"PEN-0043"}"#, signature: DeliveryWorker.signature(body: body, secret: sender.secret))
            #expect(altered.status == .unauthorized, "a signature for another body")
            var headers: HTTPFields = [.authorization: "Bearer \(sender.token)", .contentType: "application/json"]
            let unsigned = try await client.execute(uri: "/api/v1/integrations/alarm-events", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(unsigned.status == .unauthorized)
            #expect(try await sender.post(body, token: "havenint_guessed").status == .unauthorized)
            let userToken = try await APIClient.signedIn(client, as: .admin).token!
            #expect(try await sender.post(body, token: userToken).status == .unauthorized, "a person's API token is not an integration's")
            headers[.authorization] = nil
            #expect(try await client.execute(uri: "/api/v1/integrations/alarm-events", method: .post, headers: headers, body: ByteBuffer(string: body)).status == .unauthorized)
            #expect(try await Self.audit(harness, "lone-working.alarm-event.rejected").count == 3, "the three with a real token are audited")
            let rejected = try await harness.database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM lone_working_rejected_calls").first()?.decode(column: "n", as: Int.self) }
            #expect(rejected == 6)

            let unknown = try await sender.post(#"{"event":"panic","deviceId":"PEN-9999"}"#)
            #expect(unknown.status.code == 422)
            #expect(try ((unknown.json()["error"] as? [String: Any])?["fields"] as? [String: String])?["deviceId"] != nil)
            let badKind = try await sender.post(#"{"event":"earthquake","deviceId":"PEN-0042","colour":"red"}"#)
            #expect(badKind.status == .badRequest)
            let fields = try #require(((badKind.json()["error"] as? [String: Any])?["fields"] as? [String: String]))
            #expect(fields["event"] != nil && fields["colour"] != nil)
            #expect(try await sender.post(#"{"event":"panic"}"#).status == .badRequest)
            #expect(try await sender.post(#"{"event":"panic","deviceId":"PEN-0042","latitude":95,"longitude":0}"#).status == .badRequest)
            #expect(try await sender.post("not json").status == .badRequest)

            // A retired device and a revoked integration are refused.
            let admin = try await APIClient.signedIn(client, as: .admin)
            let list = try await admin.call(.get, "/api/v1/lone-working/devices").json()
            let deviceId = try #require((list["items"] as? [[String: Any]])?.first?["id"] as? String)
            let retired = try await admin.call(.patch, "/api/v1/lone-working/devices/\(deviceId)", json: #"{"active":false}"#)
            let retiredAt = try retired.json()["retiredAt"] as? String
            #expect(retired.status == .ok && retiredAt != nil)
            #expect(try await sender.post(body).status.code == 422)
            #expect(try await admin.call(.patch, "/api/v1/lone-working/devices/\(deviceId)", json: #"{"active":true}"#).status == .ok)
            let integrations = try await admin.call(.get, "/api/v1/integrations").json()
            let integrationId = try #require((integrations["items"] as? [[String: Any]])?.first?["id"] as? String)
            #expect((integrations["items"] as? [[String: Any]])?.first?["token"] == nil, "never shown again")
            #expect(try await admin.call(.post, "/api/v1/integrations/\(integrationId)/revoke", json: "{}").status == .ok)
            #expect(try await sender.post(body).status == .unauthorized)
            #expect(try await Self.sessions(harness).isEmpty, "nothing was opened")
        }
    }

    @Test("The device register: BS 8484 needs its certificate, a device id is unique, the person must exist, and only admins and safety leads keep it")
    func register() async throws {
        try await Harness.run { client, harness in
            let lead = try await APIClient.signedIn(client, as: .safetyLead)
            let staff = try await harness.user(.staff), manager = try await harness.user(.manager)
            func fields(_ response: TestResponse) throws -> [String: String] {
                try ((response.json()["error"] as? [String: Any])?["fields"] as? [String: String]) ?? [:]
            }
            let noCertificate = try await lead.call(.post, "/api/v1/lone-working/devices", json: #"{"deviceId":"A1","userId":"\#(staff.id)","bs8484Certified":true}"#)
            #expect(noCertificate.status == .badRequest)
            #expect(try fields(noCertificate)["certificateReference"] != nil)
            let nobody = try await lead.call(.post, "/api/v1/lone-working/devices", json: #"{"deviceId":"A1","userId":"nobody"}"#)
            #expect(nobody.status == .badRequest)
            #expect(try fields(nobody)["userId"] != nil)
            let twoUnits = try await lead.call(.post, "/api/v1/lone-working/devices", json: #"{"deviceId":"A1","userId":"\#(manager.id)"}"#)
            #expect(twoUnits.status == .badRequest)
            #expect(try fields(twoUnits)["unitId"] != nil, "the manager has two units: choose one")
            let created = try await lead.call(.post, "/api/v1/lone-working/devices", json: #"{"deviceId":"A1","userId":"\#(staff.id)"}"#)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(try created.json()["id"] as? String)
            let duplicate = try await lead.call(.post, "/api/v1/lone-working/devices", json: #"{"deviceId":"A1","userId":"\#(staff.id)"}"#)
            #expect(duplicate.status == .badRequest)
            #expect(try fields(duplicate)["deviceId"] != nil)
            let ash = try await harness.unit("ASH")
            let moved = try await lead.call(.patch, "/api/v1/lone-working/devices/\(id)", json: #"{"userId":"\#(manager.id)","unitId":"\#(ash.id)","supplier":"Peoplesafe"}"#)
            #expect(moved.status == .ok)
            #expect(try moved.json()["unitId"] as? String == ash.id)
            #expect(try await lead.call(.get, "/api/v1/lone-working/devices/\(id)").json()["supplier"] as? String == "Peoplesafe")
            #expect(try await lead.call(.get, "/api/v1/lone-working/devices/none").status == .notFound)
            #expect(try await APIClient.signedIn(client, as: .manager).call(.get, "/api/v1/lone-working/devices").status == .forbidden)
            #expect(try await lead.call(.post, "/api/v1/integrations", json: #"{"name":"ARC"}"#).status == .forbidden, "integrations are the administrator's")
            #expect(try await Self.audit(harness, "lone-working.device") == ["lone-working.device.create", "lone-working.device.update"])
        }
    }

    @Test("The register and integration pages: add a device with the form, retire it, and an integration's token shown only once")
    func pages() async throws {
        try await Harness.run { client, harness in
            var lead = try await Browser.signedIn(client, as: .safetyLead)
            #expect(try await lead.get(client, "/").text.contains("/lone-working/devices"))
            #expect(try await lead.get(client, "/lone-working/devices").status == .ok)
            let missing = try await lead.post(client, "/lone-working/devices", [("deviceId", ""), ("userId", "")])
            #expect(missing.status == .badRequest && missing.text.contains("error-summary") && missing.text.contains("href=\"#deviceId\""))
            let staff = try await harness.user(.staff)
            let added = try await lead.post(client, "/lone-working/devices", [("deviceId", "PEN-7"), ("userId", staff.id), ("supplier", "SafeCall"),
                                                                              ("bs8484Certified", "1"), ("certificateReference", "NSI-1")])
            #expect(added.status == .seeOther)
            let location = try #require(added.location?.split(separator: "?").first.map(String.init))
            let page = try await lead.get(client, location)
            #expect(page.text.contains("PEN-7") && page.text.contains("NSI-1") && page.text.contains("In use"))
            #expect(try await lead.post(client, location + "/status", [("active", "0")]).status == .seeOther)
            #expect(try await lead.get(client, location).text.contains("Retired"))
            #expect(try await lead.get(client, "/admin/integrations").status == .forbidden)
            var staffBrowser = try await Browser.signedIn(client, as: .staff)
            #expect(try await staffBrowser.get(client, "/lone-working/devices").status == .forbidden)

            var admin = try await Browser.signedIn(client, as: .admin)
            try await admin.get(client, "/admin/integrations")
            #expect(try await admin.post(client, "/admin/integrations", [("name", "")]).status == .badRequest)
            let created = try await admin.post(client, "/admin/integrations", [("name", "Northern ARC")])
            #expect(created.status == .created && created.text.contains("havenint_") && created.text.contains("shown only once"))
            let integration = try #require(try await harness.environment.loneWorking.store.integrations(organisationId: staff.organisationId).first)
            let later = try await admin.get(client, "/admin/integrations/\(integration.id)")
            #expect(later.status == .ok && !later.text.contains("havenint_"))
            #expect(try await admin.post(client, "/admin/integrations/\(integration.id)/revoke", []).status == .seeOther)
            #expect(try await admin.get(client, "/admin/integrations/\(integration.id)").text.contains("Revoked"))
        }
    }

    @Test("Refused alarm-event calls are kept 90 days: the hourly housekeeping deletes older ones, in batches, and keeps the rest")
    func rejectedCallsPurge() async throws {
        try await Harness.run { _, harness in
            let store = LoneWorkingStore(database: harness.database, clock: harness.clock)
            func remaining() async throws -> [String] {
                try await harness.database.read { db in
                    try await db.raw("SELECT reason FROM lone_working_rejected_calls ORDER BY received_at").all().map { try $0.decode(column: "reason", as: String.self) }
                }
            }
            for reason in ["old-1", "old-2", "old-3"] {
                try await store.recordRejection(integration: nil, reason: reason, address: "203.0.113.9", requestId: nil)
            }
            harness.clock.advance(by: LoneWorkingStore.rejectedCallsKeptFor - 86_400)
            #expect(try await store.purgeRejectedCalls() == 0, "89 days old: still kept")
            try await store.recordRejection(integration: nil, reason: "recent", address: "203.0.113.9", requestId: nil)
            harness.clock.advance(by: 2 * 86_400)
            #expect(try await store.purgeRejectedCalls(batch: 2) == 3, "a batch smaller than what is due goes round again")
            #expect(try await remaining() == ["recent"])

            try await store.recordRejection(integration: nil, reason: "next", address: "203.0.113.9", requestId: nil)
            try await harness.environment.scheduleHousekeeping()
            harness.clock.advance(by: LoneWorkingStore.rejectedCallsKeptFor - 86_400 + 3_600)
            _ = await harness.environment.timerService.runDue()
            #expect(try await remaining() == ["next"], "the housekeeping run deleted the call now over 90 days old")
        }
    }
}
