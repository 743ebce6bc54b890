import Foundation
import HavenCore
import HavenData

extension HavenEnvironment {
    /// Lone workers in a monitor's remit whose alert nobody has acknowledged yet, first on the home page.
    func loneWorkingAttention(for user: User, organisation: Organisation) async throws -> [AttentionItem] {
        var filter = LoneWorkingStore.Filter(which: .open, limit: 500)
        switch Access.scope(of: user.actor, for: .monitorLoneWorkers) {
        case .none: return []
        case .units(let ids): filter.unitIds = ids
        case .all: break
        }
        let alerts = try await loneWorking.store.sessions(organisationId: organisation.id, filter).items.filter { $0.state.isEscalating }
        guard !alerts.isEmpty else { return [] }
        let alarms = alerts.filter { $0.state == .alarm }.count
        return [AttentionItem(
            title: alerts.count == 1 ? "A lone worker needs a response now" : "\(alerts.count) lone workers need a response now",
            detail: (alarms > 0 ? "\(alarms) alarm\(alarms == 1 ? "" : "s"). " : "") + "Nobody has acknowledged yet: open the board.",
            link: "/lone-working/board", priority: 0)]
    }
}
