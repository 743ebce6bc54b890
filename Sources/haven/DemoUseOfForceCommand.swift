import Foundation
import HavenCore
import HavenData
import HavenServices

/// `haven demo --use-of-force N [--seed S]`: checks the numbers, seeds the demo organisation when there is none, then
/// generates the episodes with a progress bar on standard error, as `--incidents` does.
struct DemoUseOfForceCommand {
    static let maximum = 5_000_000

    let count: Int
    let seed: UInt64?

    static func count(_ text: String) throws -> Int {
        guard let count = Int(text.trimmingCharacters(in: .whitespaces)), count >= 1, count <= maximum else {
            throw Failure("--use-of-force must be a whole number from 1 to 5,000,000 (got '\(text)')")
        }
        return count
    }

    func run(database options: DatabaseOptions) async throws {
        try await DemoGeneration.run(database: options, count: count, noun: "use-of-force episodes") { environment, organisation, progress in
            try await DemoUseOfForce.generate(environment, organisation: organisation, count: count, seed: seed, progress: progress)
        }
    }
}
