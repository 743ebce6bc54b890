import Foundation
import HavenCore
import SQLKit

/// Where the organisation publishes its use-of-force policy (s3) and its information for patients (s4): links the
/// annual report shows, so the report, the policy and the leaflet are found together.
public struct UseOfForcePublications: Sendable, Equatable {
    public var policyURL: String?
    public var patientInformationURL: String?
    public init(policyURL: String? = nil, patientInformationURL: String? = nil) {
        self.policyURL = policyURL; self.patientInformationURL = patientInformationURL
    }
}

extension UseOfForceStore {
    public func publications(organisationId: String) async throws -> UseOfForcePublications {
        try await database.read { db in
            guard let row = try await db.raw("""
                SELECT policy_url, patient_information_url FROM use_of_force_publications WHERE organisation_id = \(bind: organisationId)
                """).first() else { return UseOfForcePublications() }
            return UseOfForcePublications(policyURL: try row.optionalString("policy_url"),
                                          patientInformationURL: try row.optionalString("patient_information_url"))
        }
    }

    /// Saves both links (nil clears one), audited with the new values.
    public func setPublications(_ links: UseOfForcePublications, organisationId: String, origin: Origin) async throws {
        let now = clock.now()
        try await database.write { [database] db in
            try await db.raw("""
                INSERT INTO use_of_force_publications (organisation_id, policy_url, patient_information_url, updated_at)
                VALUES (\(bind: organisationId), \(bind: links.policyURL), \(bind: links.patientInformationURL), \(bind: now.epochMilliseconds))
                ON CONFLICT (organisation_id) DO UPDATE SET policy_url = excluded.policy_url,
                    patient_information_url = excluded.patient_information_url, updated_at = excluded.updated_at
                """).run()
            try await database.audit(db, origin, "use-of-force.publications", entity: "organisation", id: organisationId,
                                     changes: ["policyURL": links.policyURL ?? "", "patientInformationURL": links.patientInformationURL ?? ""], at: now)
        }
    }
}
