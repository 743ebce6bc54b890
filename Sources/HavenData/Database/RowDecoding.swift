import Foundation
import SQLKit

/// Short, typed column reads: the data layer reads columns by name, the same on both databases.
extension SQLRow {
    func string(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    func optionalString(_ column: String) throws -> String? { try decode(column: column, as: String?.self) }
    func int(_ column: String) throws -> Int { try decode(column: column, as: Int.self) }
    func optionalInt(_ column: String) throws -> Int? { try decode(column: column, as: Int?.self) }
    func double(_ column: String) throws -> Double? { try decode(column: column, as: Double?.self) }
    func flag(_ column: String) throws -> Bool { try decode(column: column, as: Int.self) != 0 }
    func date(_ column: String) throws -> Date { Date(epochMilliseconds: try decode(column: column, as: Int64.self)) }
    func optionalDate(_ column: String) throws -> Date? {
        try decode(column: column, as: Int64?.self).map { Date(epochMilliseconds: $0) }
    }
}

extension Bool {
    /// How flags are stored: INTEGER 0 or 1 on both databases.
    var storedFlag: Int { self ? 1 : 0 }
}

import HavenCore

extension Database {
    /// Records an audit event inside a write that is already running.
    func audit(_ db: any SQLDatabase, _ origin: Origin, _ action: String, entity: String, id: String?,
               changes: [String: String] = [:], at: Date) async throws {
        try await AuditLog.append(on: db, dialect: dialect, origin: origin, action: action, entity: entity,
                                  entityId: id, changes: changes, at: at)
    }
}

/// The record asked for does not exist (or is not visible to the caller: the two are never told apart).
public struct NotFound: Error, Sendable {
    public let entity: String
    public init(_ entity: String) { self.entity = entity }
}
