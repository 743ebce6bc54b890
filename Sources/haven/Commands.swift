import ArgumentParser
import Foundation
import HavenCore
import HavenData
import HavenServices

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database schema up to date (serve does this too).")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await reportingFailures {
            let db = try await database.open(logger: Config.logger(), migrate: false)
            defer { Task { await db.close() } }
            let applied: [Migration]
            do { applied = try await Migrations.run(on: db) } catch { throw Failure("Migration failed: \(error)") }
            let version = try await Migrations.currentVersion(of: db)
            print(applied.isEmpty ? "The database is up to date (version \(version))."
                  : "Applied \(applied.map { "\($0.version) \($0.name)" }.joined(separator: ", ")); now at version \(version).")
            await db.close()
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Seed the demonstration organisation (and nothing else); with --incidents N (or --use-of-force N, --lone-working N), add N generated records to it.")
    @OptionGroup var database: DatabaseOptions
    // Strings, not Int: bad numbers get Haven's one-line error and exit 1 rather than the parser's usage text.
    @Option(help: "Add this many realistic incidents (1 to 10,000,000) to the demo organisation, seeding it first if absent")
    var incidents: String?
    @Option(help: "With --incidents: a number that makes the generated incidents the same every time")
    var seed: String?
    @Option(name: .customLong("use-of-force"), help: "Add this many realistic use-of-force episodes (1 to 5,000,000) to the demo organisation; --seed applies")
    var useOfForce: String?
    @Option(name: .customLong("lone-working"), help: "Add this many open lone-working visits (1 to 1,000,000) to the demo organisation; --seed applies")
    var loneWorking: String?
    @Option(help: "With --lone-working: how many of the visits fall due inside the window (default a tenth)")
    var due: String?
    @Option(name: .customLong("due-in"), help: "With --lone-working: seconds from now until the window opens (default 600; may be negative)")
    var dueIn: String?
    @Option(name: .customLong("due-within"), help: "With --lone-working: how long the window lasts, in seconds (default 60)")
    var dueWithin: String?
    @Option(name: .customLong("due-list"), help: "With --lone-working: write the visits due in the window to this file (id and due epoch ms a line)")
    var dueList: String?

    func run() async throws {
        try await reportingFailures {
            if [useOfForce, incidents, loneWorking].compactMap({ $0 }).count > 1 {
                throw Failure("Give one of --incidents, --use-of-force and --lone-working")
            }
            if loneWorking == nil && [due, dueIn, dueWithin, dueList].contains(where: { $0 != nil }) {
                throw Failure("--due, --due-in, --due-within and --due-list go with --lone-working N")
            }
            if let loneWorking {
                try await DemoLoneWorkingCommand(count: loneWorking, due: due, dueIn: dueIn, dueWithin: dueWithin, dueList: dueList,
                                                 seed: try DemoIncidentsCommand.seed(seed)).run(database: database)
                return
            }
            if let useOfForce {
                try await DemoUseOfForceCommand(count: try DemoUseOfForceCommand.count(useOfForce), seed: try DemoIncidentsCommand.seed(seed))
                    .run(database: database)
                return
            }
            if incidents != nil || seed != nil {
                try await DemoIncidentsCommand(count: try DemoIncidentsCommand.count(incidents), seed: try DemoIncidentsCommand.seed(seed))
                    .run(database: database)
                return
            }
            let db = try await database.open(logger: Config.logger())
            let environment = HavenEnvironment.forCommand(database: db, logger: Config.logger())
            let result = try await DemoSetup.seed(environment)
            DemoSetup.printDetails(result, url: nil)
            await db.close()
        }
    }
}

enum DemoSetup {
    /// Seeds the demo organisation, or sets the demo accounts' password again when it exists, so the printed
    /// details always work.
    static func seed(_ environment: HavenEnvironment) async throws -> DemoSeed.Result {
        let password = Config.string(nil, "haven.demo.password") ?? Identifier.secret(length: 14)
        let result = try await DemoSeed.run(environment, password: password)
        if result.created {
            // A few reports, so the lists, cases and exports have something to show (`haven demo --incidents N` adds more).
            try await DemoIncidents.generate(environment, organisation: result.organisation, count: 12, seed: 1)
        }
        if !result.created {
            let hash = try await environment.accounts.hash(password: password)
            for (_, email) in result.accounts {
                if let stored = try await environment.users.find(email: email) {
                    try await environment.users.setPassword(userId: stored.user.id, passwordHash: hash, keepSession: nil,
                                                            origin: Origin(organisationId: stored.user.organisationId, actorId: nil, requestId: "demo-seed"),
                                                            action: "user.password-demo-reset")
                }
            }
        }
        return result
    }

    static func printDetails(_ result: DemoSeed.Result, url: String?) {
        var lines = ["", "Demo organisation: \(result.organisation.name)"]
        if let url { lines.append("Open \(url) and sign in as any of these (password for all: \(result.password)):") }
        else { lines.append("Sign in as any of these (password for all: \(result.password)):") }
        for (role, email) in result.accounts { lines.append("  \(role.rawValue.padding(toLength: 27, withPad: " ", startingAt: 0)) \(email)") }
        lines.append("")
        print(lines.joined(separator: "\n"))
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Create and list user accounts.",
                                                    subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user. The password is read from standard input; with none, one is generated and printed.")
        @Option(help: "E-mail address (used to sign in)") var email: String
        @Option(help: "Full name") var name: String
        @Option(name: .customLong("job-title"), help: "Job title") var jobTitle: String = ""
        @Option(help: "Role (repeat for several): \(Role.allCases.map(\.rawValue).joined(separator: ", "))") var role: [String]
        @Option(help: "Unit code (repeat for several)") var unit: [String] = []
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                let db = try await database.open(logger: Config.logger())
                let environment = HavenEnvironment.forCommand(database: db, logger: Config.logger())
                guard let organisation = try await environment.organisations.primaryOrganisation() else {
                    await db.close()
                    throw Failure("There is no organisation yet: run `haven demo`, or start `haven serve` once and create it")
                }
                // A password piped in is used; at a terminal with nothing typed, one is generated.
                let typed = isatty(STDIN_FILENO) == 0 ? readLine(strippingNewline: true) : nil
                let password = typed.flatMap { $0.isEmpty ? nil : $0 }
                let input = AccountService.UserInput(email: email, name: name, jobTitle: jobTitle, roles: role, units: unit)
                do {
                    let (user, generated) = try await environment.accounts.createUser(
                        input, password: password, origin: Origin(organisationId: organisation.id, actorId: nil, requestId: "cli"))
                    print("Created \(user.email) (\(user.roles.sorted().map(\.rawValue).joined(separator: ", "))).")
                    if let generated { print("Password: \(generated)") }
                } catch let errors as FieldErrors {
                    await db.close()
                    throw Failure(errors.items.map { "\($0.field): \($0.message)" }.joined(separator: "; "))
                }
                await db.close()
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List user accounts.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                let db = try await database.open(logger: Config.logger())
                let environment = HavenEnvironment.forCommand(database: db, logger: Config.logger())
                guard let organisation = try await environment.organisations.primaryOrganisation() else {
                    print("No organisation yet.")
                    await db.close()
                    return
                }
                let units = Dictionary(uniqueKeysWithValues: try await environment.organisations.units(organisationId: organisation.id).map { ($0.id, $0.code) })
                for user in try await environment.users.list(organisationId: organisation.id, scope: .all) {
                    let roles = user.roles.sorted().map(\.rawValue).joined(separator: ",")
                    let unitCodes = user.unitIds.compactMap { units[$0] }.sorted().joined(separator: ",")
                    print([user.email, user.name, roles, unitCodes, user.active ? "active" : "inactive"].joined(separator: "\t"))
                }
                await db.close()
            }
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "API tokens.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a new personal access token for a user.")
        @Option(help: "The user's e-mail address") var email: String
        @Option(help: "What the token is for") var name: String
        @Option(help: "Days until it expires (default: never)") var days: Int?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                if let days, days < 1 { throw Failure("--days must be 1 or more") }
                let db = try await database.open(logger: Config.logger())
                let environment = HavenEnvironment.forCommand(database: db, logger: Config.logger())
                guard let stored = try await environment.users.find(email: email), stored.user.active else {
                    await db.close()
                    throw Failure("No active user with the e-mail address \(email)")
                }
                let expires = days.map { Date() + Double($0) * 86_400 }
                let (token, _) = try await environment.tokens.create(
                    userId: stored.user.id, name: name, expiresAt: expires,
                    origin: Origin(organisationId: stored.user.organisationId, actorId: nil, requestId: "cli"))
                print(token)
                await db.close()
            }
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the hash chain: exit 0 when intact, 1 naming the first broken row.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                let db = try await database.open(logger: Config.logger(), migrate: false)
                let result = try await AuditLog.verify(db)
                await db.close()
                switch result {
                case .intact(let rows):
                    print("The audit trail is intact: \(rows) rows, every hash matches.")
                case .broken(let sequence, let reason):
                    throw Failure("The audit trail is broken at row \(sequence): \(reason)")
                }
            }
        }
    }
}
