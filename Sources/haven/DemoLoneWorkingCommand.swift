import Foundation
import HavenCore
import HavenData
import HavenServices

/// `haven demo --lone-working N [--due M] [--due-in S] [--due-within S] [--due-list PATH] [--seed S]`: adds N open
/// visits, M of them falling due (expected end plus grace) spread over a window that opens S seconds from now, the
/// rest later in the day. `--due-list` writes the due ones, one `session-id due-epoch-milliseconds` a line, for a
/// benchmark to measure each escalation against its due time.
struct DemoLoneWorkingCommand {
    static let maximum = 1_000_000

    let count: Int
    let due: Int
    let dueIn: TimeInterval
    let dueWithin: TimeInterval
    let dueList: String?
    let seed: UInt64?

    init(count text: String, due: String?, dueIn: String?, dueWithin: String?, dueList: String?, seed: UInt64?) throws {
        guard let count = Int(text.trimmingCharacters(in: .whitespaces)), count >= 1, count <= Self.maximum else {
            throw Failure("--lone-working must be a whole number from 1 to 1,000,000 (got '\(text)')")
        }
        self.count = count
        if let due {
            guard let number = Int(due.trimmingCharacters(in: .whitespaces)), (0...count).contains(number) else {
                throw Failure("--due must be a whole number from 0 to the number of visits (got '\(due)')")
            }
            self.due = number
        } else {
            self.due = count / 10
        }
        func seconds(_ text: String?, _ name: String, default value: TimeInterval, range: ClosedRange<Double>) throws -> TimeInterval {
            guard let text else { return value }
            guard let number = Double(text.trimmingCharacters(in: .whitespaces)), range.contains(number) else {
                throw Failure("\(name) must be a number of seconds from \(Int(range.lowerBound)) to \(Int(range.upperBound)) (got '\(text)')")
            }
            return number
        }
        // The window may open a little in the past (visits already due when the server starts), never more than an hour.
        self.dueIn = try seconds(dueIn, "--due-in", default: 600, range: -3600...(12 * 3600))
        self.dueWithin = try seconds(dueWithin, "--due-within", default: 60, range: 0...(3600))
        self.dueList = dueList
        self.seed = seed
    }

    func run(database options: DatabaseOptions) async throws {
        let list = dueList.map { URL(fileURLWithPath: $0) }
        try await DemoGeneration.run(database: options, count: count, noun: "lone-working visits") { environment, organisation, progress in
            let from = environment.clock.now() + dueIn
            let plan = DemoLoneWorking.Plan(count: count, dueCount: due, dueFrom: from, dueWithin: dueWithin)
            let dueVisits = try await DemoLoneWorking.generate(environment, organisation: organisation, plan: plan, seed: seed, progress: progress)
            if let first = dueVisits.first, let last = dueVisits.last {
                print("\(dueVisits.count) fall due from \(first.dueAt.iso8601) to \(last.dueAt.iso8601); the rest from \((from + dueWithin + 1800).iso8601) on.")
            }
            if let list {
                let lines = dueVisits.map { "\($0.id) \($0.dueAt.epochMilliseconds)\n" }.joined()
                do { try Data(lines.utf8).write(to: list) } catch { throw Failure("Could not write \(list.path): \(error.localizedDescription)") }
            }
        }
    }
}
