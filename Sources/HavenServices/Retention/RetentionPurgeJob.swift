import Foundation
import HavenCore
import HavenData

/// The daily retention purge on the durable timers, in the style of the hourly session purge: one open timer at a
/// time, which schedules its successor when it has run.
enum RetentionPurgeJob {
    static let kind = "retention-purge"
    static let interval: TimeInterval = 24 * 60 * 60
    /// A run that stopped with more to do comes back this soon, so a backlog drains in minutes, a batch at a time.
    static let backlogInterval: TimeInterval = 60

    static func handler(_ purge: RetentionPurge, timers: TimerStore, clock: any HavenClock) -> TimerService.Handler {
        { timer in
            let outcomes = try await purge.run(organisationId: timer.organisationId, dryRun: false,
                                               origin: Origin(organisationId: timer.organisationId, actorId: nil, requestId: kind))
            let next = outcomes.contains(where: \.more) ? backlogInterval : interval
            _ = try await timers.schedule(organisationId: timer.organisationId, kind: kind, subjectId: "retention", dueAt: clock.now() + next)
        }
    }

    /// Makes sure the daily run is scheduled; the first one an hour after start, away from the start-up rush.
    static func schedule(organisationId: String, timers: TimerStore, clock: any HavenClock) async throws {
        guard !(try await timers.hasOpen(kind: kind)) else { return }
        _ = try await timers.schedule(organisationId: organisationId, kind: kind, subjectId: "retention", dueAt: clock.now() + 60 * 60)
    }
}
