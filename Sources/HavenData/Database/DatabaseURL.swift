import Foundation

/// Where the data lives: `sqlite://./haven-data/haven.sqlite`, `sqlite:///var/lib/haven/haven.sqlite`
/// or `postgres://user:password@host:5432/haven?sslmode=require`.
public enum DatabaseURL: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(host: String, port: Int, username: String, password: String?, database: String, requireTLS: Bool)

    public static let defaultURL = "sqlite://./haven-data/haven.sqlite"

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public static func parse(_ text: String) throws -> DatabaseURL {
        if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard !path.isEmpty else {
                throw Invalid(description: "The database URL '\(text)' names no file; use sqlite://./haven-data/haven.sqlite")
            }
            return .sqlite(path: path)
        }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
                throw Invalid(description: "The database URL '\(redacted(text))' is not a valid postgres:// URL (postgres://user:password@host:5432/database)")
            }
            let database = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            guard !database.isEmpty else {
                throw Invalid(description: "The database URL '\(redacted(text))' names no database (postgres://user:password@host:5432/database)")
            }
            guard let user = components.user, !user.isEmpty else {
                throw Invalid(description: "The database URL '\(redacted(text))' names no user (postgres://user:password@host:5432/database)")
            }
            let sslmode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
            return .postgres(host: host, port: components.port ?? 5432, username: user.removingPercentEncoding ?? user,
                             password: components.password?.removingPercentEncoding, database: database,
                             requireTLS: ["require", "verify-full", "verify-ca"].contains(sslmode))
        }
        throw Invalid(description: "The database URL '\(redacted(text))' is not understood: use sqlite://PATH or postgres://user:password@host:port/database")
    }

    /// The URL without its password, for messages and logs.
    public static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }
}
