import ArgumentParser
import Foundation
import HavenCore
import HavenData
import HavenServices

struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retention", abstract: "Retention periods and the purge.",
                                                    subcommands: [Purge.self])

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Anonymise closed incidents and use-of-force records past their retention period now (the server does this daily), or with --dry-run list them.")
        @Flag(name: .customLong("dry-run"), help: "Only list what would be anonymised; change nothing")
        var dryRun = false
        @Flag(name: .customLong("all"), help: "Keep going until nothing is due, rather than stopping after one run's batches (env HAVEN_RETENTION_PURGE_ALL)")
        var all = false
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                let db = try await database.open(logger: Config.logger())
                let environment = HavenEnvironment.forCommand(database: db, logger: Config.logger())
                guard let organisation = try await environment.organisations.primaryOrganisation() else {
                    await db.close()
                    throw Failure("There is no organisation yet: nothing to purge")
                }
                let origin = Origin(organisationId: organisation.id, actorId: nil, requestId: "cli")
                let untilDone = Config.bool(all, "haven.retention.purge.all")
                while true {
                    let outcomes = try await environment.retentionPurge.run(organisationId: organisation.id, dryRun: dryRun, origin: origin)
                    for outcome in outcomes { print(Self.describe(outcome, dryRun: dryRun)) }
                    guard untilDone, !dryRun, outcomes.contains(where: \.more) else { break }
                }
                await db.close()
            }
        }

        static func describe(_ outcome: RetentionPurge.Outcome, dryRun: Bool) -> String {
            let count = outcome.ids.count
            let done = outcome.record == .behaviourSupportPlans ? "deleted" : "anonymised"
            let verb = dryRun ? "would be \(done)" : done
            let what = switch outcome.record {
            case .incidents: "closed \(count == 1 ? "report" : "reports") reported"
            case .behaviourSupportPlans: "\(count == 1 ? "plan" : "plans") ended or last due for review"
            case .useOfForce, .negligibleForce: "\(count == 1 ? "record" : "records") made"
            }
            var lines = ["\(outcome.record.displayName): kept \(outcome.years) years; \(count) \(what) "
                         + "before \(outcome.cutoff.iso8601.prefix(10)) \(verb)."]
            let shown = 50
            lines += outcome.ids.prefix(shown).map { "  \($0)" }
            if count > shown { lines.append("  … and \(count - shown) more") }
            if outcome.more { lines.append("More are due; run again (or use --all) to continue.") }
            return lines.joined(separator: "\n")
        }
    }
}
