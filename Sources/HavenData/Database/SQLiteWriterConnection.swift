import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import VaporCSQLite

/// The one connection that writes to the SQLite file, driven through SQLite's C library directly.
///
/// SQLiteNIO runs every statement on its thread pool: a hop there and back per statement, and the SQL parsed again
/// each time. A group-commit batch runs hundreds of statements, so those hops, not SQLite, set the rate at which
/// records reach disk (PERFORMANCE.md). Here a statement runs on the caller's thread, from a prepared statement
/// kept for its SQL, and costs only SQLite's own work. The group-commit writer runs its batches on the connection's
/// own thread (`thread`), so BEGIN (which may wait for another process's lock) and COMMIT (which waits for the fsync)
/// block that thread and never one of Swift's few cooperative threads.
///
/// Not thread-safe by itself: the group-commit writer uses it from one task at a time, never two at once.
final class SQLiteWriterConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    /// Prepared statements by their SQL. Bounded: SQL built with a varying number of placeholders must not grow it
    /// without end, so when it is full it is emptied and refilled by what is in use.
    private var statements: [String: OpaquePointer] = [:]
    private let maximumStatements = 256
    /// The thread that batches, BEGIN and COMMIT run on.
    let thread: WriterThread
    let logger: Logger
    let eventLoop: any EventLoop
    /// Called after each COMMIT with the number of writes it held; benchmarks count batches with it.
    var onCommit: (@Sendable (Int) -> Void)?
    /// Runs the WAL checkpoints that SQLite would otherwise run inside COMMIT (`SQLiteCheckpointer`).
    private var checkpointer: SQLiteCheckpointer?

    private init(handle: OpaquePointer, thread: WriterThread, eventLoop: any EventLoop, logger: Logger) {
        self.handle = handle
        self.thread = thread
        self.eventLoop = eventLoop
        self.logger = logger
    }

    static func open(path: String, logger: Logger) async throws -> SQLiteWriterConnection {
        // Its own thread, not the shared pool: a COMMIT waiting on the disk must not hold up the readers' queries.
        let thread = WriterThread(name: "haven-sqlite-writer")
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        do {
            let handle = try await thread.run { SendableHandle(try openHandle(path, creating: true)) }
            return SQLiteWriterConnection(handle: handle.pointer, thread: thread, eventLoop: eventLoop, logger: logger)
        } catch {
            thread.stop()
            throw error
        }
    }

    /// A connection to the file through SQLite's C library (serialized mode), for this writer and the checkpointer.
    static func openHandle(_ path: String, creating: Bool) throws -> OpaquePointer {
        sqlite_nio_sqlite3_initialize()
        var handle: OpaquePointer?
        let flags = (creating ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_EXRESCODE
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "code \(status)"
            sqlite_nio_sqlite3_close(handle)
            throw SQLiteStatementError(code: status, message: "cannot open \(path): \(message)")
        }
        return handle
    }

    /// The `SQLDatabase` that write work is given: SQLKit's query builders on top of this connection.
    var sql: any SQLDatabase { SQLiteWriterDatabase(connection: self) }

    /// Runs one statement to its end, handing each row to `onRow`. Runs on the calling thread.
    func execute(_ sql: String, _ binds: [SQLiteData], onRow: (WriterRow) -> Void) throws {
        guard let handle else { throw SQLiteStatementError(code: SQLITE_MISUSE, message: "the writer connection is closed") }
        let statement = try prepared(sql, on: handle)
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        for (index, value) in binds.enumerated() {
            try check(bind(value, at: Int32(index + 1), in: statement), handle)
        }
        var columns: WriterRow.Columns?
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw error(status, handle) }
            let names = columns ?? WriterRow.Columns(statement: statement)
            columns = names
            onRow(WriterRow(columns: names, values: (0..<names.count).map { column(Int32($0), of: statement) }))
        }
    }

    /// BEGIN IMMEDIATE. Call it on `thread`: it may wait (busy_timeout) while another process, such as a `haven`
    /// command beside the server, holds the write lock.
    func begin() throws {
        try execute("BEGIN IMMEDIATE", []) { _ in }
    }

    /// COMMIT. Call it on `thread`: it waits for the WAL's fsync (synchronous=FULL).
    func commit(writes: Int) throws {
        try execute("COMMIT", []) { _ in }
        onCommit?(writes)
    }

    /// From now on each commit tells `checkpointer` how big the WAL is, and SQLite's automatic checkpoint is off
    /// (a WAL hook replaces it).
    func checkpoint(with checkpointer: SQLiteCheckpointer) {
        guard let handle else { return }
        self.checkpointer = checkpointer
        sqlite_nio_sqlite3_wal_hook(handle, { context, db, _, pages in
            if Unmanaged<SQLiteCheckpointer>.fromOpaque(context!).takeUnretainedValue().walHolds(pages: Int(pages)) {
                // As SQLite's own hook does, inside the commit: rare, and short (see `walHolds`).
                sqlite_nio_sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            }
            return SQLITE_OK
        }, Unmanaged.passUnretained(checkpointer).toOpaque())
    }

    func close() async {
        try? await thread.run {
            if let handle = self.handle { sqlite_nio_sqlite3_wal_hook(handle, nil, nil) }
            for statement in self.statements.values { sqlite_nio_sqlite3_finalize(statement) }
            self.statements = [:]
            sqlite_nio_sqlite3_close(self.handle)
            self.handle = nil
        }
        thread.stop()
    }

    private func prepared(_ sql: String, on handle: OpaquePointer) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        if statements.count >= maximumStatements {
            for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
            statements = [:]
        }
        var statement: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw error(status, handle) }
        statements[sql] = statement
        return statement
    }

    private func bind(_ value: SQLiteData, at index: Int32, in statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let integer): return sqlite_nio_sqlite3_bind_int64(statement, index, Int64(integer))
        case .float(let double): return sqlite_nio_sqlite3_bind_double(statement, index, double)
        case .text(let text): return sqlite_nio_sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
        case .blob(let buffer):
            return buffer.withUnsafeReadableBytes {
                sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), transient)
            }
        case .null: return sqlite_nio_sqlite3_bind_null(statement, index)
        }
    }

    private func column(_ index: Int32, of statement: OpaquePointer) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .integer(SQLiteInt64(sqlite_nio_sqlite3_column_int64(statement, index)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, index) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            guard let bytes = sqlite_nio_sqlite3_column_blob(statement, index), count > 0 else { return .blob(ByteBuffer()) }
            return .blob(ByteBuffer(bytes: UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    private func check(_ status: Int32, _ handle: OpaquePointer) throws {
        guard status == SQLITE_OK else { throw error(status, handle) }
    }

    private func error(_ status: Int32, _ handle: OpaquePointer) -> SQLiteStatementError {
        SQLiteStatementError(code: status, message: String(cString: sqlite_nio_sqlite3_errmsg(handle)))
    }
}

/// A C connection handle carried out of the thread that opened it.
private struct SendableHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
}

/// SQLite's SQLITE_TRANSIENT: it copies a bound value before the call returns (the C macro does not import).
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A statement on the writer connection failed; the message is SQLite's own.
struct SQLiteStatementError: Error, CustomStringConvertible {
    let code: Int32
    let message: String
    var description: String { "SQLite error \(code): \(message)" }
}

/// One row the writer connection read, for SQLKit's decoding.
struct WriterRow: SQLRow {
    /// A statement's column names, shared by all of its rows.
    final class Columns: Sendable {
        let names: [String]
        let positions: [String: Int]
        var count: Int { names.count }

        init(statement: OpaquePointer) {
            let names = (0..<sqlite_nio_sqlite3_column_count(statement)).map {
                sqlite_nio_sqlite3_column_name(statement, $0).map { String(cString: $0) } ?? ""
            }
            self.names = names
            self.positions = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    let columns: Columns
    let values: [SQLiteData]
    private static let decoder = SQLiteDataDecoder()

    var allColumns: [String] { columns.names }
    func contains(column: String) -> Bool { columns.positions[column] != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let position = columns.positions[column] else { return true }
        return values[position] == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let position = columns.positions[column] else {
            throw DecodingError.keyNotFound(
                RowColumnKey(column), .init(codingPath: [], debugDescription: "No column \(column) in the row"))
        }
        return try Self.decoder.decode(D.self, from: values[position])
    }
}

private struct RowColumnKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// SQLKit's view of the writer connection: serialises a query with SQLite's dialect and runs it at once.
struct SQLiteWriterDatabase: SQLDatabase {
    let connection: SQLiteWriterConnection
    private static let encoder = SQLiteDataEncoder()

    var logger: Logger { connection.logger }
    var eventLoop: any EventLoop { connection.eventLoop }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        eventLoop.makeCompletedFuture { try run(query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try run(query, onRow)
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> ()) throws {
        let (sql, binds) = serialize(query)
        try connection.execute(sql, binds.map { try Self.sqliteData($0) }) { onRow($0) }
    }

    /// A bound value as SQLite data, as SQLiteKit's encoder makes it. That encoder first asks every value whether it
    /// conforms to a protocol, a conformance lookup per value; the types nearly every bind has are tried first by
    /// their concrete type, which is a cheaper cast. Everything else (optionals, dates, JSON) goes to the encoder.
    static func sqliteData(_ value: any Encodable) throws -> SQLiteData {
        switch value {
        case let text as String: return .text(text)
        case let number as Int: return .integer(number)
        case let number as Int64: return .integer(Int(number))
        case let number as Double: return .float(number)
        case let flag as Bool: return .integer(flag ? 1 : 0)
        default: return try encoder.encode(value)
        }
    }
}
