import Foundation
import HavenCore
import SQLKit

/// What is overdue on incident cases: reviews past the organisation's target, support past its due time, and
/// actions past their due date. Read for "needs your attention" and by the reminder job.
extension IncidentStore {
    /// Reports still waiting for their first review after the target, within the scope, oldest first.
    /// `confidential` asks for HR's cases instead of the unit remit's.
    public func overdueReviews(organisationId: String, scope: UnitScope, confidential: Bool = false, now: Date,
                               limit: Int = 20) async throws -> (items: [IncidentReport], total: Int) {
        guard let unitCondition = Self.remitCondition(scope, confidential: confidential, prefix: "") else { return ([], 0) }
        let condition: SQLQueryString = """
            organisation_id = \(bind: organisationId) AND status = \(bind: IncidentStatus.reported.rawValue)
            AND review_due_at < \(bind: now.epochMilliseconds) AND
            """ + " " + unitCondition
        return try await database.read { db in
            let items = try await db.raw("SELECT * FROM incidents WHERE " + condition + " ORDER BY review_due_at LIMIT \(unsafeRaw: String(limit))")
                .all().map(Self.decode)
            let total = try await db.raw("SELECT COUNT(*) AS n FROM incidents WHERE " + condition).first()?.int("n") ?? 0
            return (items, total)
        }
    }

    /// Support items not yet recorded whose due time has passed, within the scope (by the incident's unit).
    public func overdueSupport(organisationId: String, scope: UnitScope, confidential: Bool = false, now: Date) async throws -> Int {
        guard let unitCondition = Self.remitCondition(scope, confidential: confidential, prefix: "i.") else { return 0 }
        let query: SQLQueryString = """
            SELECT COUNT(*) AS n FROM incident_support s JOIN incidents i ON i.id = s.incident_id
            WHERE s.organisation_id = \(bind: organisationId) AND s.done_at IS NULL AND s.due_at < \(bind: now.epochMilliseconds) AND
            """ + " " + unitCondition
        return try await database.read { db in try await db.raw(query).first()?.int("n") ?? 0 }
    }

    /// Open actions a person owns whose due date (YYYY-MM-DD) is before `today`.
    public func overdueActions(ownerId: String, today: String) async throws -> [IncidentAction] {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM incident_actions WHERE owner_id = \(bind: ownerId) AND done_at IS NULL AND due_on < \(bind: today)
                ORDER BY due_on LIMIT 50
                """).all().map(Self.decodeAction)
        }
    }

    /// Overdue reviews nobody has been reminded about yet, marked as reminded in the same transaction so each is
    /// reminded once however many instances run the job.
    public func claimReviewReminders(now: Date, limit: Int = 200) async throws -> [IncidentReport] {
        try await database.write { db in
            let due = try await db.raw("""
                SELECT * FROM incidents WHERE status = \(bind: IncidentStatus.reported.rawValue) AND review_due_at < \(bind: now.epochMilliseconds)
                AND review_reminded_at IS NULL ORDER BY review_due_at LIMIT \(unsafeRaw: String(limit))
                """).all().map(Self.decode)
            guard !due.isEmpty else { return [] }
            try await db.raw("UPDATE incidents SET review_reminded_at = \(bind: now.epochMilliseconds) WHERE id IN (\(binds: due.map(\.id)))").run()
            return due
        }
    }

    /// The report an anonymous reporter follows with their receipt code (looked up by the code's hash).
    public func find(receiptHash: String) async throws -> IncidentReport? {
        try await database.read { db in
            try await db.raw("SELECT * FROM incidents WHERE receipt_hash = \(bind: receiptHash)").first().map(Self.decode)
        }
    }

    /// HR's confidential cases, or the open cases of the units in scope.
    static func remitCondition(_ scope: UnitScope, confidential: Bool, prefix: String) -> SQLQueryString? {
        if confidential { return "\(unsafeRaw: prefix)confidential = 1" }
        switch scope {
        case .none: return nil
        case .all: return "\(unsafeRaw: prefix)confidential = 0"
        case .units(let units):
            guard !units.isEmpty else { return nil }
            return "\(unsafeRaw: prefix)unit_id IN (\(binds: units.sorted())) AND \(unsafeRaw: prefix)confidential = 0"
        }
    }
}

extension IncidentStore {
    /// Reports that may owe a regulator something: hurt someone or involved force, in the last `days` days.
    /// The deadline itself is worked out in HavenCore (RegulatorDeadline), so the rules live in one place.
    public func regulatorCandidates(organisationId: String, since: Date, limit: Int = 2_000) async throws -> [IncidentReport] {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM incidents WHERE organisation_id = \(bind: organisationId) AND occurred_at >= \(bind: since.epochMilliseconds)
                AND (harm <> 'none' OR type IN ('physical-assault', 'attempted-assault')) ORDER BY occurred_at LIMIT \(unsafeRaw: String(limit))
                """).all().map(Self.decode)
        }
    }
}
