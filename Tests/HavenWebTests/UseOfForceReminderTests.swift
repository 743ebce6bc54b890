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

@Suite("Use of force: timed reminders of overdue debriefs and observations")
struct UseOfForceReminderTests {
    @Test("Once a debrief or a set of observations is past due, the recorder and the unit's manager are told once, in-app, by the timer")
    func reminders() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            let given = harness.clock.now() - 120
            let body = try await UseOfForceAPITests.body(harness, ["interventions": [
                ["type": "14", "startedAt": given.iso8601, "endedAt": (given + 60).iso8601, "plannedInCarePlan": true]]])
            let id = try #require(try await staff.call(.post, "/api/v1/use-of-force", json: body).json()["id"] as? String)
            let recorder = try await harness.user(.staff), manager = try await harness.user(.manager), lead = try await harness.user(.restrictivePracticeLead)
            func titles(_ user: User) async throws -> [String] {
                try await harness.environment.notifications.list(userId: user.id).filter { $0.link == "/use-of-force/\(id)" }.map(\.title)
            }
            try await harness.environment.scheduleHousekeeping()
            let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())

            // Nothing is due yet: the first set is due 15 minutes after the injection, and late 5 minutes after that.
            harness.clock.advance(by: 10 * 60)
            _ = await harness.environment.timerService.runDue()
            #expect(try await titles(manager).isEmpty)

            // 21 minutes after the injection the first set is late: the timer's sweep tells the recorder and the manager.
            harness.clock.advance(by: 11 * 60)
            _ = await harness.environment.timerService.runDue()
            #expect(try await titles(manager) == ["Observations after rapid tranquillisation overdue"])
            #expect(try await titles(recorder) == ["Observations after rapid tranquillisation overdue"])
            #expect(try await titles(lead).isEmpty, "the leads only when the unit has no manager")
            let note = try #require(try await harness.environment.notifications.list(userId: manager.id).first { $0.link == "/use-of-force/\(id)" })
            #expect(note.body.contains("Set 1") && note.body.contains("Oak Ward") && !note.body.contains("Alex Doe") && !note.body.contains("OAK-0042"))

            // Recorded sets are not reminded; each late set is reminded once, however often the sweep runs.
            let observed = try await staff.call(.put, "/api/v1/use-of-force/\(id)/observations/1", json: """
                {"takenAt":"\(harness.clock.now().iso8601)","pulse":80,"systolic":120,"diastolic":80,"respiratoryRate":16,"temperature":36.8,"oxygenSaturation":97,"consciousness":"alert"}
                """)
            #expect(observed.status == .ok, "\(observed.text)")
            harness.clock.advance(by: 30 * 60)   // 53 minutes after the injection: the set due at 45 minutes is late
            #expect(try await harness.environment.useOfForce.remindOverdueFollowUps(organisationId: organisation.id) == 1, "set 3 is late; set 2 was taken")
            #expect(try await harness.environment.useOfForce.remindOverdueFollowUps(organisationId: organisation.id) == 0, "sent once")
            #expect(try await titles(manager).filter { $0.contains("Observations") }.count == 2)

            // The staff debrief is due 3 hours after the end; recording it before then means no reminder for it.
            harness.clock.advance(by: 3 * 3600)
            _ = await harness.environment.timerService.runDue()
            #expect(try await titles(manager).contains("Staff debrief overdue"))
            let debriefBefore = try await titles(manager).filter { $0.contains("debrief") }.count
            harness.clock.advance(by: 10 * 60)
            _ = await harness.environment.timerService.runDue()
            #expect(try await titles(manager).filter { $0.contains("debrief") }.count == debriefBefore, "the staff debrief is reminded once")
            let held = try await staff.call(.put, "/api/v1/use-of-force/\(id)/debriefs/patient", json: """
                {"heldAt":"\(harness.clock.now().iso8601)","patientAccount":"I was frightened and wanted to go home"}
                """)
            #expect(held.status == .ok, "\(held.text)")
            harness.clock.advance(by: 8 * 86_400)
            _ = await harness.environment.timerService.runDue()
            #expect(try await titles(manager).filter { $0 == "Patient debrief overdue" }.isEmpty, "a debrief held in time is never reminded")
            #expect(try await harness.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM timers WHERE kind = 'use-of-force-reminders' AND completed_at IS NULL").first()?.decode(column: "n", as: Int.self)
            } == 1, "the sweep keeps one timer waiting")
        }
    }

    @Test("The unit's managers and the recorder are told; the restrictive-practice leads only when the unit has no manager")
    func recipients() {
        func person(_ id: String, _ role: Role, _ units: Set<String> = []) -> User {
            User(id: id, organisationId: "org", email: "\(id)@example.nhs.uk", name: id, jobTitle: "", roles: [role], unitIds: units)
        }
        let people = [person("nurse", .staff, ["oak"]), person("oak-manager", .manager, ["oak"]), person("elm-manager", .manager, ["elm"]),
                      person("lead", .restrictivePracticeLead), person("safety", .safetyLead)]
        func told(unit: String, recorder: String) -> [String] {
            let item = OverdueFollowUp(kind: .debrief(.staff), organisationId: "org", episodeId: "e", unitId: unit, dueAt: Date(), recordedBy: recorder)
            return UseOfForceRecords.reminderRecipients(item, among: people).map(\.id)
        }
        #expect(told(unit: "oak", recorder: "nurse") == ["nurse", "oak-manager"])
        #expect(told(unit: "ash", recorder: "nurse") == ["nurse", "lead"], "no manager for the unit: the leads")
        #expect(told(unit: "oak", recorder: "oak-manager") == ["oak-manager"], "told once when the recorder is the manager")
        #expect(told(unit: "oak", recorder: "someone-who-left") == ["oak-manager"], "a recorder no longer active is not told")
    }
}
