import Foundation
import HavenCore
import HavenData

/// The organisation's units for checking a submission's unit, kept a few seconds: at thousands of reports a second,
/// reading the same short list from the database for every one cost a query each. A unit id not in the cached list
/// is looked up again at once, so a unit created a moment ago is never refused; a change to a unit shows within
/// `lifetime` seconds (units are not deleted, only renamed or recoded, which a submission does not depend on).
final class UnitListCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (units: [CareUnit], expires: Date)] = [:]
    private let lifetime: TimeInterval
    private let clock: any HavenClock

    init(lifetime: TimeInterval = 5, clock: any HavenClock) {
        self.lifetime = lifetime
        self.clock = clock
    }

    /// The organisation's units, fresh from the database when the cache is stale or does not know `unitId`.
    func units(organisationId: String, containing unitId: String?, from store: OrganisationStore) async throws -> [CareUnit] {
        let now = clock.now()
        let cached = lock.withLock { entries[organisationId] }
        if let cached, cached.expires > now, unitId.map({ id in cached.units.contains { $0.id == id } }) ?? true {
            return cached.units
        }
        let units = try await store.units(organisationId: organisationId)
        lock.withLock { entries[organisationId] = (units, now.addingTimeInterval(lifetime)) }
        return units
    }
}
