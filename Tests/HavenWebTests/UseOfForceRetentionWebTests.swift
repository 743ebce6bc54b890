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

@Suite("Use of force: the retention purge")
struct UseOfForceRetentionWebTests {
    @Test("The purge anonymises use-of-force records made before the period, lists them when dry, and leaves newer ones")
    func purge() async throws {
        try await Harness.run { client, harness in
            let staff = try await APIClient.signedIn(client, as: .staff)
            var recorded: [String] = []
            for patient in ["OAK-0042", "OAK-0043"] {
                let created = try await staff.call(.post, "/api/v1/use-of-force", json: try await UseOfForceAPITests.body(harness, [
                    "patientLocalId": patient, "nonStaffInvolved": true, "nonStaffReason": "Police called to help",
                    "policeBodyCameras": "on-in-part", "policeBodyCameraReason": "The camera battery failed", "footageReference": "BWC-7731"]))
                recorded.append(try #require(try created.json()["id"] as? String))
            }
            let ids = recorded
            let oak = try await harness.unit("OAK")
            let admin = try await APIClient.signedIn(client, as: .admin)
            #expect(try await admin.call(.put, "/api/v1/retention", json: #"{"incidents":10,"useOfForce":2}"#).status == .badRequest, "under 3 years is refused")
            #expect(try await admin.call(.put, "/api/v1/retention", json: #"{"incidents":10,"useOfForce":3,"behaviourSupportPlans":3,"negligibleForce":3}"#).status == .ok)
            let fourYears: Int64 = 4 * 366 * 86_400_000
            try await harness.database.write { db in
                try await db.raw("UPDATE use_of_force_episodes SET recorded_at = recorded_at - \(bind: fourYears) WHERE id = \(bind: ids[0])").run()
            }
            let origin = Origin(organisationId: oak.organisationId, actorId: nil, requestId: "test")
            let dry = try await harness.environment.retentionPurge.run(organisationId: oak.organisationId, dryRun: true, origin: origin)
            #expect(dry.first { $0.record == .useOfForce }?.ids == [ids[0]])
            let outcomes = try await harness.environment.retentionPurge.run(organisationId: oak.organisationId, dryRun: false, origin: origin)
            #expect(outcomes.first { $0.record == .useOfForce }?.ids == [ids[0]] && outcomes.first { $0.record == .useOfForce }?.years == 3)

            let manager = try await APIClient.signedIn(client, as: .manager)
            let old = try await manager.call(.get, "/api/v1/use-of-force/\(ids[0])")
            #expect(old.status == .ok)
            for secret in ["Alex Doe", "9434765919", "OAK-0042", "Sam Okafor", "Hitting another patient", "Lounge", "Talking down",
                           "The camera battery failed", "BWC-7731"] {
                #expect(!old.text.contains(secret), "anonymised record still holds \(secret)")
            }
            #expect(old.text.contains("\"type\":\"09\""), "the intervention's type stays for the figures")
            #expect(old.text.contains(#""policeBodyCameras":"on-in-part""#), "whether the police cameras were on stays")
            let kept = try await manager.call(.get, "/api/v1/use-of-force/\(ids[1])")
            #expect(kept.text.contains("Alex Doe") && kept.text.contains("OAK-0043"))
            let audited = try await AuditLog.list(harness.database, filter: .init(organisationId: oak.organisationId, action: "use-of-force.retention-purge"))
            #expect(audited.count == 1 && audited[0].changes.contains(ids[0]) && !audited[0].changes.contains(ids[1]))
            // The statistics still count both episodes.
            let executive = try await APIClient.signedIn(client, as: .executive)
            let statistics = try await executive.call(.get, "/api/v1/use-of-force/statistics")
            #expect((try statistics.json()["totals"] as? [String: Any])?["episodes"] as? Int == 2)
        }
    }
}
