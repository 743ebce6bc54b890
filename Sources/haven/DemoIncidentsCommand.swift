import Foundation
import HavenCore
import HavenData
import HavenServices

/// `haven demo --incidents N [--seed S]`: checks the numbers, seeds the demo organisation when there is none, then
/// generates the incidents with a progress bar on standard error.
struct DemoIncidentsCommand {
    static let maximum = 10_000_000

    let count: Int
    let seed: UInt64?

    static func count(_ text: String?) throws -> Int {
        guard let text else { throw Failure("--seed needs --incidents N") }
        guard let count = Int(text.trimmingCharacters(in: .whitespaces)), count >= 1, count <= maximum else {
            throw Failure("--incidents must be a whole number from 1 to 10,000,000 (got '\(text)')")
        }
        return count
    }

    static func seed(_ text: String?) throws -> UInt64? {
        guard let text else { return nil }
        guard let seed = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
            throw Failure("--seed must be a whole number from 0 to \(UInt64.max) (got '\(text)')")
        }
        return seed
    }

    func run(database options: DatabaseOptions) async throws {
        try await DemoGeneration.run(database: options, count: count, noun: "incidents") { environment, organisation, progress in
            try await DemoIncidents.generate(environment, organisation: organisation, count: count, seed: seed, progress: progress)
        }
    }
}
