import Foundation
import HavenCore

/// Slows down password guessing: after too many failures for one account or from one address within a
/// window, sign-in is refused for a while with the same answer whether or not the account exists.
public final class LoginThrottle: @unchecked Sendable {
    public struct Limits: Sendable {
        public var perAccount: Int
        public var perAddress: Int
        public var window: TimeInterval
        public init(perAccount: Int = 5, perAddress: Int = 20, window: TimeInterval = 15 * 60) {
            self.perAccount = perAccount
            self.perAddress = perAddress
            self.window = window
        }
    }

    private let lock = NSLock()
    private var failures: [String: [Date]] = [:]
    private let limits: Limits
    private let clock: any HavenClock

    public init(limits: Limits = Limits(), clock: any HavenClock) {
        self.limits = limits
        self.clock = clock
    }

    /// Seconds to wait before trying again, or nil when an attempt may go ahead.
    public func retryAfter(account: String, address: String) -> Int? {
        lock.withLock {
            let now = clock.now()
            let accountWait = wait(key: "account:" + account.lowercased(), limit: limits.perAccount, now: now)
            let addressWait = wait(key: "address:" + address, limit: limits.perAddress, now: now)
            return [accountWait, addressWait].compactMap { $0 }.max()
        }
    }

    public func recordFailure(account: String, address: String) {
        lock.withLock {
            let now = clock.now()
            for key in ["account:" + account.lowercased(), "address:" + address] {
                var times = failures[key, default: []].filter { now.timeIntervalSince($0) < limits.window }
                times.append(now)
                failures[key] = times
            }
            // Keep memory bounded under a spray of made-up account names.
            if failures.count > 100_000 { failures = failures.filter { !$0.value.isEmpty && now.timeIntervalSince($0.value.last!) < limits.window } }
        }
    }

    public func recordSuccess(account: String) {
        lock.withLock { _ = failures.removeValue(forKey: "account:" + account.lowercased()) }
    }

    private func wait(key: String, limit: Int, now: Date) -> Int? {
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < limits.window }
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return max(1, Int((limits.window - now.timeIntervalSince(oldest)).rounded(.up)))
    }
}
