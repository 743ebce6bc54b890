import Foundation
import HavenCore

/// Work that a write schedules for now and that this instance will run itself the moment the write commits: a
/// webhook call or e-mail staged with an escalation step. The timer row is written already claimed by this instance,
/// so the call goes out without another commit to claim it (the path from a visit falling due, or a panic press, to the
/// webhook holds one commit, not two), and a crash before it runs loses nothing: the claim lapses and the timer is
/// claimed again (at the next start on SQLite).
///
/// A write opts in by running its work with `TimerHandoff.$current` bound (`Database.write` runs the work in the
/// writer's task, so the binding is made inside the work). When the group-commit writer runs the work again after a
/// rollback, `begin()` forgets what the rolled-back attempt scheduled.
public final class TimerHandoff: @unchecked Sendable {
    @TaskLocal public static var current: TimerHandoff?

    public let owner: String
    public let lease: TimeInterval
    private let lock = NSLock()
    private var scheduled: [DueTimer] = []

    public init(owner: String, lease: TimeInterval = 60) {
        self.owner = owner
        self.lease = lease
    }

    /// Called at the start of each attempt of the write's work.
    public func begin() { lock.withLock { scheduled = [] } }

    func add(_ timer: DueTimer) { lock.withLock { scheduled.append(timer) } }

    /// What the committed write handed over.
    public func take() -> [DueTimer] { lock.withLock { defer { scheduled = [] }; return scheduled } }
}
