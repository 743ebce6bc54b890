import ArgumentParser

@main
struct Haven: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "haven",
        abstract: "Haven: staff safety, violence reduction and restrictive practice reduction for health and social care.",
        subcommands: [Serve.self, Migrate.self, UserCommand.self, TokenCommand.self, AuditCommand.self, RetentionCommand.self, Demo.self])
}
