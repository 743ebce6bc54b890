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

@Suite("Use of force: retention of behaviour support plans and negligible-force records")
struct UseOfForceFollowUpRetentionTests {
    @Test("The daily purge deletes plans ended (or unreviewed) before the period, anonymises old negligible-force records, audits both and keeps the counts")
    func purge() async throws {
        try await Harness.run { client, harness in
            let oak = try await harness.unit("OAK")
            let now = harness.clock.now()
            let today = CalendarColumns(now, timeZone: TimeZone(identifier: "Europe/London")!).localDate
            let review = CalendarDay(today)!.adding(days: 90).description
            let manager = try await APIClient.signedIn(client, as: .manager)
            var planIds: [String] = []
            for patient in ["OAK-1", "OAK-2", "OAK-3"] {
                let created = try await manager.call(.post, "/api/v1/behaviour-support-plans", json: """
                    {"unitId":"\(oak.id)","patientLocalId":"\(patient)","title":"PBS plan","summary":"Quiet room early","startsOn":"\(today)","reviewOn":"\(review)"}
                    """)
                #expect(created.status == .created, "\(created.text)")
                planIds.append(try #require(try created.json()["id"] as? String))
            }
            let lead = try await APIClient.signedIn(client, as: .restrictivePracticeLead)
            #expect(try await lead.call(.put, "/api/v1/use-of-force/settings",
                                        json: #"{"negligible":{"types":["08"],"maximumSeconds":120,"definition":"A guiding hold"}}"#).status == .ok)
            let staff = try await APIClient.signedIn(client, as: .staff)
            var useIds: [String] = []
            for patient in ["OAK-7", "OAK-8"] {
                let created = try await staff.call(.post, "/api/v1/use-of-force/negligible", json: """
                    {"unitId":"\(oak.id)","patientLocalId":"\(patient)","type":"08","startedAt":"\((now - 400).iso8601)","endedAt":"\((now - 370).iso8601)","description":"Guided back by the arm","painOrInjury":false}
                    """)
                #expect(created.status == .created, "\(created.text)")
                useIds.append(try #require(try created.json()["id"] as? String))
            }
            let (plans, uses) = (planIds, useIds)
            let admin = try await APIClient.signedIn(client, as: .admin)
            let short = try await admin.call(.put, "/api/v1/retention",
                                             json: #"{"incidents":10,"useOfForce":3,"behaviourSupportPlans":2,"negligibleForce":3}"#)
            #expect(short.status == .badRequest && short.text.contains("behaviourSupportPlans"), "under 3 years is refused")
            #expect(try await admin.call(.put, "/api/v1/retention",
                                         json: #"{"incidents":10,"useOfForce":3,"behaviourSupportPlans":3,"negligibleForce":3}"#).status == .ok)

            // Plan 0 ended four years ago; plan 1 was never ended and was last due for review four years ago; plan 2 is
            // current. Negligible record 0 was made four years ago.
            let fourYears: Int64 = 4 * 366 * 86_400_000
            try await harness.database.write { db in
                try await db.raw("UPDATE behaviour_support_plans SET updated_at = updated_at - \(bind: fourYears) WHERE id IN (\(binds: [plans[0], plans[1]]))").run()
                try await db.raw("UPDATE behaviour_support_plans SET starts_on = '2021-01-01', ended_on = '2022-02-01' WHERE id = \(bind: plans[0])").run()
                try await db.raw("UPDATE behaviour_support_plans SET starts_on = '2021-01-01', review_on = '2022-03-01' WHERE id = \(bind: plans[1])").run()
                try await db.raw("UPDATE negligible_force_uses SET recorded_at = recorded_at - \(bind: fourYears) WHERE id = \(bind: uses[0])").run()
            }
            let origin = Origin(organisationId: oak.organisationId, actorId: nil, requestId: "test")
            let dry = try await harness.environment.retentionPurge.run(organisationId: oak.organisationId, dryRun: true, origin: origin)
            #expect(Set(dry.first { $0.record == .behaviourSupportPlans }?.ids ?? []) == [plans[0], plans[1]])
            #expect(dry.first { $0.record == .negligibleForce }?.ids == [uses[0]])
            #expect(try await manager.call(.get, "/api/v1/behaviour-support-plans/\(plans[0])").status == .ok, "a dry run changes nothing")

            let outcomes = try await harness.environment.retentionPurge.run(organisationId: oak.organisationId, dryRun: false, origin: origin)
            #expect(Set(outcomes.first { $0.record == .behaviourSupportPlans }?.ids ?? []) == [plans[0], plans[1]])
            #expect(outcomes.first { $0.record == .negligibleForce }?.ids == [uses[0]])
            #expect(try await manager.call(.get, "/api/v1/behaviour-support-plans/\(plans[0])").status == .notFound)
            #expect(try await manager.call(.get, "/api/v1/behaviour-support-plans/\(plans[1])").status == .notFound)
            #expect(try await manager.call(.get, "/api/v1/behaviour-support-plans/\(plans[2])").status == .ok, "a current plan is kept")

            let listed = try #require(try await manager.call(.get, "/api/v1/use-of-force/negligible").json()["items"] as? [[String: Any]])
            let old = try #require(listed.first { $0["id"] as? String == uses[0] })
            #expect(old["patientLocalId"] as? String == "" && old["description"] as? String == "", "the patient and the words go")
            #expect(old["type"] as? String == "08" && old["durationSeconds"] as? Int == 30, "what the figures count stays")
            let kept = try #require(listed.first { $0["id"] as? String == uses[1] })
            #expect(kept["patientLocalId"] as? String == "OAK-8" && kept["description"] as? String == "Guided back by the arm")

            let planAudit = try await AuditLog.list(harness.database, filter: .init(organisationId: oak.organisationId, action: "behaviour-support-plan.retention-purge"))
            #expect(planAudit.count == 1 && planAudit[0].changes.contains(plans[0]) && planAudit[0].changes.contains(plans[1]) && !planAudit[0].changes.contains(plans[2]))
            let useAudit = try await AuditLog.list(harness.database, filter: .init(organisationId: oak.organisationId, action: "use-of-force.negligible-retention-purge"))
            #expect(useAudit.count == 1 && useAudit[0].changes.contains(uses[0]) && !useAudit[0].changes.contains(uses[1]))

            // The figures still count both negligible uses, apart from the episodes.
            let statistics = try await APIClient.signedIn(client, as: .executive).call(.get, "/api/v1/use-of-force/statistics")
            let totals = try #require(try statistics.json()["totals"] as? [String: Any])
            #expect(totals["negligibleForceUses"] as? Int == 2 && totals["episodes"] as? Int == 0)

            // A second run finds nothing more, and says so in the audit trail.
            let again = try await harness.environment.retentionPurge.run(organisationId: oak.organisationId, dryRun: false, origin: origin)
            #expect(again.allSatisfy { $0.ids.isEmpty })
            #expect(try await AuditLog.list(harness.database, filter: .init(organisationId: oak.organisationId, action: "behaviour-support-plan.retention-purge")).count == 2)
        }
    }
}
