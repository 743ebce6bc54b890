import Foundation
import HavenCore
import HavenData

/// Generated open visits (`haven demo --lone-working N`), for trying the live board with many sessions and for the
/// lone-working benchmarks: home and community visits on the community units (all units when there are none), by the
/// organisation's active users, each with another user as buddy, on one generated escalation policy. A chosen number
/// of them fall due (expected end plus grace) spread evenly over a window; the rest fall due later, within the day.
/// Sessions, timers and log entries are written in bulk, exactly as starting a visit writes them.
public enum DemoLoneWorking {
    /// Which visits fall due when.
    public struct Plan: Sendable {
        /// How many open visits to add.
        public var count: Int
        /// How many of them fall due inside the window.
        public var dueCount: Int
        /// When the window opens, and how long it lasts.
        public var dueFrom: Date
        public var dueWithin: TimeInterval

        public init(count: Int, dueCount: Int, dueFrom: Date, dueWithin: TimeInterval) {
            self.count = count
            self.dueCount = min(max(0, dueCount), count)
            self.dueFrom = dueFrom
            self.dueWithin = max(0, dueWithin)
        }
    }

    /// Sessions per transaction.
    public static let batchSize = 10_000
    public static let policyName = "Generated visits: buddy, then line manager, then safety lead"
    /// Grace, then the buddy (in-app and webhook), the line manager and the safety lead, half an hour apart, so a
    /// benchmark sees exactly one first step per visit for as long as it runs.
    static let graceSeconds = 5 * 60
    static let steps = [
        EscalationStep(who: .buddy, channels: [.inApp, .webhook], waitSeconds: 30 * 60),
        EscalationStep(who: .lineManager, channels: [.inApp, .email, .webhook], waitSeconds: 30 * 60),
        EscalationStep(who: .role, role: .safetyLead, channels: [.inApp, .email, .webhook], waitSeconds: 10 * 60),
    ]
    static let places = ["Elm Road", "Mill Lane", "Station Street", "Church View", "Park Avenue", "Bridge Close", "High Street", "Orchard Way"]
    static let risks = ["", "", "", "Dog in the house", "Previous verbal aggression from a relative", "No mobile signal upstairs"]

    /// Adds the visits, a committed batch at a time, with one audit entry ("lone-working.generate") in the last batch.
    /// Returns the id and due time of every visit that falls due inside the window, earliest first.
    public static func generate(_ environment: HavenEnvironment, organisation: Organisation, plan: Plan, seed: UInt64?,
                                progress: @Sendable (Int) -> Void = { _ in }) async throws -> [(id: String, dueAt: Date)] {
        let allUnits = try await environment.organisations.units(organisationId: organisation.id)
        let community = allUnits.filter { [.communityTeam, .domiciliaryCare].contains($0.kind) }
        let units = (community.isEmpty ? allUnits : community).map(\.id).sorted()
        let workers = try await environment.users.list(organisationId: organisation.id, scope: .all).filter(\.active).map(\.id).sorted()
        guard !units.isEmpty else { throw DemoLoneWorkingError(description: "The organisation has no units for visits to start from") }
        guard workers.count >= 2 else { throw DemoLoneWorkingError(description: "Visits need at least two active users: a worker and a buddy") }
        let policy = try await generatedPolicy(environment, organisation: organisation)

        let now = environment.clock.now()
        var random = SeededRandom(seed: (seed ?? UInt64.random(in: .min ... .max)) ^ 0x4C6F_6E65_576F_726B)
        // The due ones are spread through the insertion order, not bunched at its start.
        let stride = plan.dueCount == 0 ? Int.max : max(1, plan.count / plan.dueCount)
        let windowEnd = plan.dueFrom + plan.dueWithin
        let laterFrom = max(windowEnd, now) + 30 * 60, laterTo = now + 20 * 3600
        var due: [(id: String, dueAt: Date)] = []
        var made = 0
        while made < plan.count {
            var batch: [LoneWorkSession] = []
            batch.reserveCapacity(min(batchSize, plan.count - made))
            while batch.count < batchSize && made < plan.count {
                let inWindow = made % stride == 0 && due.count < plan.dueCount
                let dueAt: Date
                if inWindow {
                    // Evenly over the window, each at a random point of its own slice of it.
                    let slice = plan.dueWithin / Double(plan.dueCount)
                    dueAt = plan.dueFrom + (Double(due.count) + Double.random(in: 0..<1, using: &random)) * slice
                } else {
                    dueAt = Date(timeIntervalSince1970: Double.random(in: laterFrom.timeIntervalSince1970...max(laterFrom, laterTo).timeIntervalSince1970,
                                                                      using: &random))
                }
                let expectedEnd = dueAt - TimeInterval(policy.graceSeconds)
                let started = min(now, expectedEnd) - Double(Int.random(in: 30...180, using: &random) * 60)
                let worker = Int.random(in: 0..<workers.count, using: &random)
                let buddy = (worker + Int.random(in: 1..<workers.count, using: &random)) % workers.count
                let session = LoneWorkSession(
                    id: random.uuid(), organisationId: organisation.id, workerId: workers[worker], unitId: units[made % units.count],
                    location: "\(Int.random(in: 1...240, using: &random)) \(places[Int.random(in: 0..<places.count, using: &random)]), Northtown",
                    visitKind: Int.random(in: 0..<4, using: &random) == 0 ? .community : .homeVisit,
                    risks: risks[Int.random(in: 0..<risks.count, using: &random)], buddyId: workers[buddy], policyId: policy.id, policy: policy,
                    startedAt: started, expectedEndAt: expectedEnd)
                if inWindow { due.append((session.id, session.dueAt)) }
                batch.append(session)
                made += 1
            }
            let last = made == plan.count
            try await environment.loneWorking.store.insert(
                generated: batch, timerKind: LoneWorking.timerKind, now: now,
                audit: last ? (Origin(organisationId: organisation.id, actorId: nil, requestId: "demo-lone-working"), plan.count) : nil)
            progress(made)
        }
        environment.timerService.wake()
        return due.sorted { $0.dueAt < $1.dueAt }
    }

    /// The generated policy, created the first time.
    static func generatedPolicy(_ environment: HavenEnvironment, organisation: Organisation) async throws -> EscalationPolicy {
        let store = environment.loneWorking.store
        if let existing = try await store.policies(organisationId: organisation.id).first(where: { $0.name == policyName }) { return existing }
        let policy = EscalationPolicy(id: Identifier.make(), organisationId: organisation.id, name: policyName, graceSeconds: graceSeconds, steps: steps)
        try await store.save(policy, isNew: true, origin: Origin(organisationId: organisation.id, actorId: nil, requestId: "demo-lone-working"))
        return policy
    }
}

public struct DemoLoneWorkingError: Error, CustomStringConvertible {
    public let description: String
}
