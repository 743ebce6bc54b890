import Foundation
import HavenServices

/// The settings `buildApplication` needs; the CLI fills them from flags, then environment, then defaults.
public struct AppConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var databaseURL: String
    /// The address people reach Haven at; https turns on Secure cookies and HSTS.
    public var publicURL: String
    public var demo: Bool
    public var demoPassword: String?
    public var services: HavenEnvironment.Settings
    /// Whether the timer loop runs in the background; tests turn it off and run due timers themselves.
    public var runsTimers = true

    public init(host: String = "127.0.0.1", port: Int = 8080, databaseURL: String = "sqlite://./haven-data/haven.sqlite",
                publicURL: String? = nil, demo: Bool = false, demoPassword: String? = nil,
                services: HavenEnvironment.Settings = .init()) {
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.publicURL = publicURL ?? "http://\(host):\(port)"
        self.demo = demo
        self.demoPassword = demoPassword
        self.services = services
    }

    public var isHTTPS: Bool { publicURL.lowercased().hasPrefix("https://") }
}
