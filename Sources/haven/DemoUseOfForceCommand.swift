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
        let db = try await options.open(logger: Config.logger())
        let environment = HavenEnvironment.forCommand(database: db, logger: Config.logger())
        do {
            let organisation: Organisation
            if let existing = try await environment.organisations.primaryOrganisation() {
                organisation = existing
            } else {
                let result = try await DemoSetup.seed(environment)
                DemoSetup.printDetails(result, url: nil)
                organisation = result.organisation
            }
            let bar = ProgressBar(total: count, label: "use-of-force episodes")
            let started = Date()
            try await DemoUseOfForce.generate(environment, organisation: organisation, count: count, seed: seed) { bar.update($0) }
            bar.finish()
            let seconds = Date().timeIntervalSince(started)
            print("Added \(count) use-of-force episodes to \(organisation.name) in \(String(format: "%.1f", seconds)) s (\(Int(Double(count) / max(seconds, 0.001))) a second).")
        } catch let failure as Failure {
            await db.close()
            throw failure
        } catch {
            await db.close()
            throw Failure("Could not generate the use-of-force episodes: \(String(describing: error).prefix(300))")
        }
        await db.close()
    }
}
