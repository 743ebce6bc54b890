import Foundation
import HavenCore
import HavenData

extension DemoIncidents {
    /// Reports per transaction: big enough that one fsync serves thousands of rows, small enough that the progress
    /// bar moves and memory stays low.
    public static let batchSize = 10_000

    /// Adds `count` generated incidents to the organisation, a committed batch at a time, with one audit entry
    /// ("incident.generate" with the count) in the last batch's transaction. `progress` gets the number saved so far.
    /// Returns the number saved.
    @discardableResult
    public static func generate(_ environment: HavenEnvironment, organisation: Organisation, count: Int, seed: UInt64?,
                                progress: @Sendable (Int) -> Void = { _ in }) async throws -> Int {
        let units = try await environment.organisations.units(organisationId: organisation.id)
        guard !units.isEmpty else { throw DemoIncidentsError(description: "The organisation has no units for incidents to happen in") }
        var reporters: [String: [String]] = [:]
        for role in [Role.staff, .manager] {
            guard let stored = try await environment.users.find(email: DemoSeed.email(for: role)),
                  stored.user.organisationId == organisation.id else { continue }
            for unitId in stored.user.unitIds { reporters[unitId, default: []].append(stored.user.id) }
        }
        let existing = try await environment.incidents.count(organisationId: organisation.id)
        var mixer = SeededRandom(seed: (seed ?? UInt64.random(in: .min ... .max)) ^ UInt64(existing) &* 0x2545_F491_4F6C_DD1D)
        var generator = DemoIncidents(
            organisationId: organisation.id,
            units: units.map { Unit(id: $0.id, code: $0.code, kind: $0.kind, reporterIds: reporters[$0.id, default: []].sorted()) },
            now: environment.clock.now(), seed: mixer.next())
        var calendar = CalendarCache(timeZone: TimeZone(identifier: organisation.timeZone) ?? .gmt)
        let origin = Origin(organisationId: organisation.id, actorId: nil, requestId: "demo-incidents")
        var saved = 0
        while saved < count {
            let size = min(batchSize, count - saved)
            let batch = generator.next(size)
            let last = saved + size == count
            try await environment.incidents.insert(
                generated: batch, calendar: &calendar,
                audit: last ? .init(origin: origin, count: count, at: environment.clock.now()) : nil)
            saved += size
            progress(saved)
        }
        return saved
    }
}

public struct DemoIncidentsError: Error, CustomStringConvertible {
    public let description: String
}
