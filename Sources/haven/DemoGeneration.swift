import Foundation
import HavenCore
import HavenData
import HavenServices

/// What `haven demo --incidents` and `--use-of-force` share: open the database, seed the demo organisation when there
/// is none, generate with a progress bar on standard error, print the rate, and close the database whatever happens.
enum DemoGeneration {
    typealias Generate = (HavenEnvironment, Organisation, @escaping @Sendable (Int) -> Void) async throws -> Void

    static func run(database options: DatabaseOptions, count: Int, noun: String, _ generate: Generate) async throws {
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
            let bar = ProgressBar(total: count, label: noun)
            let started = Date()
            try await generate(environment, organisation) { bar.update($0) }
            bar.finish()
            let seconds = Date().timeIntervalSince(started)
            print("Added \(count) \(noun) to \(organisation.name) in \(String(format: "%.1f", seconds)) s (\(Int(Double(count) / max(seconds, 0.001))) a second).")
        } catch let failure as Failure {
            await db.close()
            throw failure
        } catch {
            await db.close()
            throw Failure("Could not generate the \(noun): \(String(describing: error).prefix(300))")
        }
        await db.close()
    }
}
