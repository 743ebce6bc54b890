import ArgumentParser
import Foundation
import HavenCore
import HavenData
import HavenServices
import HavenWeb
import Hummingbird
import Logging
#if canImport(Glibc)
import Glibc
#endif

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Haven server (migrations run at start).")

    @Option(help: "Address to listen on (env HAVEN_HOST; default 127.0.0.1)") var host: String?
    @Option(help: "Port to listen on (env HAVEN_PORT; default 8080)") var port: Int?
    @Option(name: .customLong("public-url"), help: "The address people use to reach Haven; https turns on Secure cookies and HSTS (env HAVEN_PUBLIC_URL)")
    var publicURL: String?
    @Flag(help: "Seed a demonstration organisation when the database is empty and print sign-in details")
    var demo = false
    @Option(name: .customLong("sendmail-command"), help: "A sendmail-compatible command that reads a message on standard input, e.g. '/usr/sbin/sendmail -t' (env HAVEN_SENDMAIL_COMMAND; e-mail is off when unset)")
    var sendmailCommand: String?
    @Flag(name: .customLong("allow-private-webhooks"), help: "Allow webhooks to loopback and private addresses (env HAVEN_ALLOW_PRIVATE_WEBHOOKS=1)")
    var allowPrivateWebhooks = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        Allocator.keepFreedMemory(upTo: 4 << 20)
        try await reportingFailures {
            let logger = Config.logger()
            let host = Config.string(host, "haven.host", default: "127.0.0.1")!
            let portText = port.map(String.init) ?? Config.string(nil, "haven.port", default: "8080")!
            guard let port = Int(portText), (0...65535).contains(port) else { throw Failure("The port '\(portText)' is not a number from 0 to 65535") }
            let url = try DatabaseURL.parseOrFail(database.resolvedURL)
            // Two servers on one SQLite file would each think they are the only writer: the second refuses to start.
            var lock: FileLock?
            if case .sqlite(let path) = url { lock = try FileLock.acquire(for: path) }
            defer { lock?.release() }

            let db = try await database.open(logger: logger)
            var configuration = AppConfiguration(
                host: host, port: port, databaseURL: database.resolvedURL,
                publicURL: Config.string(publicURL, "haven.public.url"), demo: demo,
                services: .init(bcryptCost: Config.bcryptCost,
                                sendmailCommand: Config.string(sendmailCommand, "haven.sendmail.command"),
                                allowPrivateWebhooks: Config.bool(allowPrivateWebhooks, "haven.allow.private.webhooks")))
            configuration.demo = demo
            let listening = "http://\(host):\(port)"
            let (application, app) = try buildApplication(configuration, database: db, logger: logger) { channel in
                let actual = channel.localAddress?.port ?? port
                print("Haven is listening on http://\(host):\(actual)")
                fflush(nil)
            }
            if demo {
                let result = try await DemoSetup.seed(app.environment)
                DemoSetup.printDetails(result, url: configuration.publicURL == listening ? listening : configuration.publicURL)
            }
            do {
                try await application.runService()
            } catch {
                await db.close()
                let text = String(describing: error)
                if text.contains("Address already in use") || text.contains("EADDRINUSE") || text.contains("errno: 98") {
                    throw Failure("Port \(port) on \(host) is already in use; stop the other program or choose another with --port")
                }
                throw Failure("The server stopped: \(text.prefix(300))")
            }
            await db.close()
        }
    }
}

extension DatabaseURL {
    static func parseOrFail(_ text: String) throws -> DatabaseURL {
        do { return try parse(text) } catch { throw Failure(String(describing: error)) }
    }
}

/// An exclusive lock on `<database>.lock`, held while the server runs.
struct FileLock {
    let descriptor: Int32

    static func acquire(for databasePath: String) throws -> FileLock {
        let folder = URL(fileURLWithPath: databasePath).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = databasePath + ".lock"
        let descriptor = open(path, O_CREAT | O_RDWR, 0o600)
        guard descriptor >= 0 else { throw Failure("Cannot create \(path): \(String(cString: strerror(errno))) (is the data folder writable?)") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw Failure("Another Haven server is already using \(databasePath); stop it first, or use PostgreSQL to run several instances")
        }
        return FileLock(descriptor: descriptor)
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
