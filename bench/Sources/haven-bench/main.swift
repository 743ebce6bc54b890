// haven-bench: how much group commit buys over committing each record on its own.
//
// (a) baseline: one SQLite connection (WAL, synchronous=FULL) that commits every record in its own
//     transaction, one after another, for a fixed time;
// (b) group commit: HavenData's Database (one writer connection behind GroupCommitWriter, the same
//     pragmas), with many concurrent writer tasks that each write one record and wait for its COMMIT.
//
// Both write the same small records into a fresh database file in a temporary folder and print
// records/second. For (b), a commit observer on the writer connection counts COMMITs and the records in
// each, so the batch sizes printed are counted, not estimated.
//
// Usage: haven-bench [--seconds N] [--writers N] [--ids haven|random] [--target X] [--dir PATH] [--keep] [--explain]

import Foundation
import HavenCore
@_spi(Benchmarks) import HavenData
import Logging
import SQLiteKit

// MARK: - Options

struct Options {
    var seconds: Double = 5
    var writers = 64
    var ids = RecordIDs.haven
    var target = 20.0
    var folder: String?
    var keep = false
    var explain = false

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var index = 1
        func value(_ name: String) -> String {
            index += 1
            guard index < arguments.count else { fail("\(name) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--seconds":
                guard let seconds = Double(value(argument)), seconds > 0, seconds <= 600 else { fail("--seconds takes a number from 0 to 600") }
                options.seconds = seconds
            case "--writers":
                guard let writers = Int(value(argument)), writers >= 1, writers <= 4096 else { fail("--writers takes a whole number from 1 to 4096") }
                options.writers = writers
            case "--ids":
                guard let ids = RecordIDs(rawValue: value(argument)) else { fail("--ids takes haven or random") }
                options.ids = ids
            case "--target":
                guard let target = Double(value(argument)), target > 0 else { fail("--target takes a positive number") }
                options.target = target
            case "--dir":
                options.folder = value(argument)
            case "--keep":
                options.keep = true
            case "--explain":
                options.explain = true
            case "-h", "--help":
                print("""
                usage: haven-bench [--seconds N] [--writers N] [--ids haven|random] [--target X] [--dir PATH] [--keep] [--explain]
                  --seconds N   how long each run writes (default 5)
                  --writers N   concurrent writer tasks for the group-commit run (default 64)
                  --ids KIND    record ids: haven (Haven's own, time-ordered UUID version 7; the default) or
                                random (version 4 UUIDs, which put each new key on a random index page)
                  --target X    the speed-up that counts as PASS (default 20)
                  --dir PATH    folder for the database files (default: a new temporary folder;
                                use a folder on the disk you want to measure, not a tmpfs)
                  --keep        keep the database files afterwards
                  --explain     also run the writer's statement sequence on one connection, without task
                                hand-offs, with and without a SAVEPOINT per record: where the time goes
                """)
                exit(0)
            default:
                fail("unknown argument '\(argument)' (try --help)")
            }
            index += 1
        }
        return options
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("haven-bench: \(message)\n".utf8))
    exit(2)
}

// MARK: - Records

/// How record ids are made: as Haven makes them, or at random (what the first runs of this benchmark used).
enum RecordIDs: String {
    case haven
    case random

    func make() -> String {
        switch self {
        case .haven: return Identifier.make()
        case .random: return UUID().uuidString.lowercased()
        }
    }
}

/// A small record like a report's row: about 200 bytes of body.
struct Record: Sendable {
    let id: String
    let organisationID: String
    let body: String
    let createdAt: Int64

    static let organisations = (1...4).map { "org-\($0)-" + UUID().uuidString.lowercased() }
    static let bodyText: String = {
        let words = ["restraint", "ward", "night", "staff", "patient", "de-escalation", "review", "safe", "seclusion", "handover"]
        var text = ""
        var index = 0
        while text.utf8.count < 200 {
            text += words[index % words.count] + " "
            index += 7
        }
        return String(text.prefix(200))
    }()

    nonisolated(unsafe) static var ids = RecordIDs.haven

    static func make(_ number: Int) -> Record {
        Record(id: ids.make(), organisationID: organisations[number % organisations.count],
               body: bodyText, createdAt: Int64(Date().timeIntervalSince1970 * 1000))
    }
}

let createTable = """
    CREATE TABLE IF NOT EXISTS bench_records (
        id TEXT PRIMARY KEY NOT NULL,
        organisation_id TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at BIGINT NOT NULL
    )
    """
let insertSQL = "INSERT INTO bench_records (id, organisation_id, body, created_at) VALUES (?, ?, ?, ?)"

// MARK: - Figures

struct Run {
    let records: Int
    let elapsed: Duration
    let latencies: [Duration]
    let cpu: Duration

    var seconds: Double { elapsed.seconds }
    var rate: Double { Double(records) / seconds }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
    var milliseconds: Double { seconds * 1000 }
}

func percentile(_ sorted: [Duration], _ p: Double) -> Duration {
    guard !sorted.isEmpty else { return .zero }
    let rank = Int((p / 100 * Double(sorted.count - 1)).rounded())
    return sorted[min(max(rank, 0), sorted.count - 1)]
}

func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

func describeLatency(_ latencies: [Duration]) -> String {
    let sorted = latencies.sorted()
    return "p50 \(format(percentile(sorted, 50).milliseconds, 2)) ms, p99 \(format(percentile(sorted, 99).milliseconds, 2)) ms, "
        + "max \(format((sorted.last ?? .zero).milliseconds, 2)) ms"
}

#if canImport(Glibc)
let RUSAGE_SELF_ID = __rusage_who_t(RUSAGE_SELF.rawValue)
#else
let RUSAGE_SELF_ID = RUSAGE_SELF
#endif

/// CPU time (user + system) this process has used so far.
func cpuTime() -> Duration {
    var usage = rusage()
    getrusage(RUSAGE_SELF_ID, &usage)
    func duration(_ t: timeval) -> Duration { .seconds(Int64(t.tv_sec)) + .microseconds(Int64(t.tv_usec)) }
    return duration(usage.ru_utime) + duration(usage.ru_stime)
}

/// How long one fsync of a freshly written 4 KiB block takes in `folder`: what each commit pays.
func probeFsync(folder: String, count: Int = 200) -> [Duration] {
    let path = folder + "/fsync-probe"
    let descriptor = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
    guard descriptor >= 0 else { return [] }
    defer { close(descriptor); unlink(path) }
    let block = [UInt8](repeating: 0x61, count: 4096)
    let clock = ContinuousClock()
    var times: [Duration] = []
    for _ in 0..<count {
        _ = block.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let began = clock.now
        guard fsync(descriptor) == 0 else { return [] }
        times.append(clock.now - began)
    }
    return times
}

/// How long one statement that touches no disk takes through SQLiteNIO (a hop to its thread pool and back).
func probeRoundTrip(_ connection: SQLiteConnection, count: Int = 2000) async throws -> [Duration] {
    let clock = ContinuousClock()
    var times: [Duration] = []
    for _ in 0..<count {
        let began = clock.now
        _ = try await connection.query("SELECT 1")
        times.append(clock.now - began)
    }
    return times
}

func micros(_ duration: Duration) -> String { format(duration.seconds * 1e6, 0) + " µs" }

/// Counts COMMITs on one connection and the records written in each: the record count is raised by the
/// work (which runs on the writer, before its COMMIT), and the commit observer closes the batch.
final class BatchCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var open = 0
    private var counting = false
    private(set) var sizes: [Int] = []

    func start() { lock.withLock { open = 0; sizes = []; counting = true } }
    func stop() -> [Int] { lock.withLock { counting = false; return sizes } }
    func recordWritten() { lock.withLock { open += 1 } }
    func committed() {
        lock.withLock {
            if counting && open > 0 { sizes.append(open) }
            open = 0
        }
    }
}

// MARK: - (a) baseline

func readPragma(_ connection: SQLiteConnection, _ name: String) async throws -> String {
    let rows = try await connection.query("PRAGMA \(name)")
    switch rows.first?.columns.first?.data {
    case .text(let text): return text
    case .integer(let number): return String(number)
    case let other?: return "\(other)"
    case nil: return "?"
    }
}

func runBaseline(path: String, seconds: Double, logger: Logger) async throws -> (Run, String, [Duration]) {
    let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
    for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=5000"] {
        _ = try await connection.query(pragma)
    }
    let settings = "journal_mode=\(try await readPragma(connection, "journal_mode")), "
        + "synchronous=\(try await readPragma(connection, "synchronous")) (2 = FULL: fsync on every commit)"
    _ = try await connection.query(createTable)
    let roundTrips = try await probeRoundTrip(connection)

    let clock = ContinuousClock()
    let cpuBefore = cpuTime()
    let start = clock.now
    let deadline = start + .nanoseconds(Int64(seconds * 1e9))
    var latencies: [Duration] = []
    var count = 0
    while clock.now < deadline {
        let record = Record.make(count)
        let began = clock.now
        _ = try await connection.query("BEGIN IMMEDIATE")
        _ = try await connection.query(insertSQL, [.text(record.id), .text(record.organisationID), .text(record.body),
                                                   .integer(SQLiteInt64(record.createdAt))])
        _ = try await connection.query("COMMIT")
        latencies.append(clock.now - began)
        count += 1
    }
    let elapsed = clock.now - start
    let cpu = cpuTime() - cpuBefore
    let rows = try await connection.query("SELECT count(*) AS n FROM bench_records")
    let stored = Int(rows.first?.column("n")?.integer ?? -1)
    try await connection.close()
    guard stored == count else { fail("baseline: wrote \(count) records but the table holds \(stored)") }
    return (Run(records: count, elapsed: elapsed, latencies: latencies, cpu: cpu), settings, roundTrips)
}

// MARK: - (b) group commit

struct GroupResult {
    let run: Run
    let settings: String
    let batchSizes: [Int]?
}

func runGroupCommit(path: String, seconds: Double, writers: Int, logger: Logger) async throws -> GroupResult {
    let db = try await Database.open(.sqlite(path: path), logger: logger)
    try await db.write { sql in try await sql.raw(SQLQueryString(createTable)).run() }
    let settings = try await db.write { sql -> String in
        let mode = try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self) ?? "?"
        let sync = try await sql.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self) ?? -1
        return "journal_mode=\(mode), synchronous=\(sync) (2 = FULL: fsync on every commit), on the writer connection"
    }

    let counter = BatchCounter()
    let observing = try await db.observeCommits { _ in counter.committed() }

    let clock = ContinuousClock()
    counter.start()
    let cpuBefore = cpuTime()
    let start = clock.now
    let deadline = start + .nanoseconds(Int64(seconds * 1e9))
    let perWriter = try await withThrowingTaskGroup(of: (Int, [Duration]).self) { group in
        for writer in 0..<writers {
            group.addTask {
                var latencies: [Duration] = []
                var count = 0
                while clock.now < deadline {
                    let record = Record.make(writer &+ count &* writers)
                    let began = clock.now
                    try await db.write { sql in
                        try await sql.raw("""
                            INSERT INTO bench_records (id, organisation_id, body, created_at)
                            VALUES (\(bind: record.id), \(bind: record.organisationID), \(bind: record.body), \(bind: record.createdAt))
                            """).run()
                        counter.recordWritten()
                    }
                    latencies.append(clock.now - began)
                    count += 1
                }
                return (count, latencies)
            }
        }
        var results: [(Int, [Duration])] = []
        for try await result in group { results.append(result) }
        return results
    }
    let elapsed = clock.now - start
    let cpu = cpuTime() - cpuBefore
    let sizes = counter.stop()
    let total = perWriter.reduce(0) { $0 + $1.0 }
    let stored = try await db.read { sql in
        try await sql.raw("SELECT count(*) AS n FROM bench_records").first()?.decode(column: "n", as: Int.self) ?? -1
    }
    await db.close()
    guard stored == total else { fail("group commit: \(total) writes returned but the table holds \(stored)") }
    return GroupResult(run: Run(records: total, elapsed: elapsed, latencies: perWriter.flatMap(\.1), cpu: cpu), settings: settings,
                       batchSizes: observing ? sizes : nil)
}


// MARK: - (c) explain: the writer's statements alone

/// One connection runs what the group-commit writer sends for batches of `batch` records
/// (BEGIN IMMEDIATE; per record [SAVEPOINT;] INSERT [; RELEASE]; COMMIT) with no tasks, actor or
/// continuations around it: the most that batching can give on this disk with SQLiteNIO.
func runBatchedStatements(path: String, seconds: Double, batch: Int, savepoints: Bool, logger: Logger) async throws -> Run {
    let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
    for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=5000"] {
        _ = try await connection.query(pragma)
    }
    _ = try await connection.query(createTable)
    let clock = ContinuousClock()
    let cpuBefore = cpuTime()
    let start = clock.now
    let deadline = start + .nanoseconds(Int64(seconds * 1e9))
    var latencies: [Duration] = []
    var count = 0
    while clock.now < deadline {
        let began = clock.now
        _ = try await connection.query("BEGIN IMMEDIATE")
        for _ in 0..<batch {
            let record = Record.make(count)
            if savepoints { _ = try await connection.query("SAVEPOINT work") }
            _ = try await connection.query(insertSQL, [.text(record.id), .text(record.organisationID), .text(record.body),
                                                       .integer(SQLiteInt64(record.createdAt))])
            if savepoints { _ = try await connection.query("RELEASE work") }
            count += 1
        }
        _ = try await connection.query("COMMIT")
        latencies.append(clock.now - began)
    }
    let elapsed = clock.now - start
    let cpu = cpuTime() - cpuBefore
    try await connection.close()
    return Run(records: count, elapsed: elapsed, latencies: latencies, cpu: cpu)
}

// MARK: - Main

let options = Options.parse(CommandLine.arguments)
var logger = Logger(label: "haven-bench")
logger.logLevel = .warning

let folder: String
if let chosen = options.folder {
    folder = chosen
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
} else {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("haven-bench-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
}
let baselinePath = folder + "/baseline.sqlite"
let groupPath = folder + "/group.sqlite"
for path in [baselinePath, groupPath] {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}
defer {
    if !options.keep { try? FileManager.default.removeItem(atPath: folder) }
}

Record.ids = options.ids
print("haven-bench: group commit")
print("  folder: \(folder)")
print("  records: id TEXT PRIMARY KEY (\(options.ids == .haven ? "Haven's time-ordered UUID version 7" : "random UUID version 4")), organisation_id TEXT, body TEXT (\(Record.bodyText.utf8.count) bytes), created_at BIGINT")
print("  duration: \(format(options.seconds)) s per run; writers for group commit: \(options.writers)")
print("")

do {
    let fsyncs = probeFsync(folder: folder).sorted()
    if fsyncs.isEmpty {
        print("fsync probe: could not fsync in \(folder)")
    } else {
        print("fsync of a 4 KiB write in this folder: p50 \(micros(percentile(fsyncs, 50))), "
              + "p99 \(micros(percentile(fsyncs, 99))) (\(fsyncs.count) samples)")
    }
    print("")
    print("(a) baseline: one connection, one transaction per record (BEGIN IMMEDIATE; INSERT; COMMIT), sequential")
    let (baseline, baselineSettings, roundTrips) = try await runBaseline(path: baselinePath, seconds: options.seconds, logger: logger)
    print("  fsync setting: \(baselineSettings)")
    print("  one statement through SQLiteNIO without disk (SELECT 1): p50 \(micros(percentile(roundTrips.sorted(), 50)))")
    print("  \(baseline.records) records in \(format(baseline.seconds, 2)) s = \(format(baseline.rate)) records/s")
    print("  commit latency: \(describeLatency(baseline.latencies))")
    print("  CPU per record: \(micros(baseline.cpu / baseline.records)) (CPU busy \(format(baseline.cpu.seconds / baseline.seconds * 100, 0))% of one core)")
    print("")

    print("(b) group commit: HavenData Database.write, \(options.writers) concurrent writers, each waiting for its COMMIT")
    let group = try await runGroupCommit(path: groupPath, seconds: options.seconds, writers: options.writers, logger: logger)
    print("  fsync setting: \(group.settings)")
    print("  \(group.run.records) records in \(format(group.run.seconds, 2)) s = \(format(group.run.rate)) records/s")
    print("  write latency (until its COMMIT returned): \(describeLatency(group.run.latencies))")
    print("  wall time per record: \(micros(group.run.elapsed / group.run.records)); CPU per record: \(micros(group.run.cpu / group.run.records)) "
          + "(CPU busy \(format(group.run.cpu.seconds / group.run.seconds * 100, 0))% of one core)")
    if let sizes = group.batchSizes, !sizes.isEmpty {
        let sorted = sizes.sorted()
        let mean = Double(sizes.reduce(0, +)) / Double(sizes.count)
        print("  commits (counted by a commit observer on the writer connection): \(sizes.count) "
              + "= \(format(Double(sizes.count) / group.run.seconds)) commits/s")
        print("  records per commit: mean \(format(mean)), p50 \(sorted[sorted.count / 2]), "
              + "min \(sorted.first!), max \(sorted.last!), commits of 1 record: \(sizes.filter { $0 == 1 }.count)")
    } else {
        print("  commits: not observable (could not reach the writer connection)")
    }
    print("")

    if options.explain {
        print("(c) explain: the writer's statements for batches of 32 on one connection, no tasks or actor around them")
        for savepoints in [true, false] {
            let path = folder + "/explain-\(savepoints ? "savepoint" : "plain").sqlite"
            let run = try await runBatchedStatements(path: path, seconds: options.seconds, batch: 32, savepoints: savepoints, logger: logger)
            print("  \(savepoints ? "with SAVEPOINT/RELEASE per record" : "without savepoints            "): "
                  + "\(format(run.rate)) records/s = \(format(run.rate / baseline.rate))x baseline; "
                  + "\(micros(run.elapsed / run.records)) wall, \(micros(run.cpu / run.records)) CPU per record")
        }
        print("")
    }

    let ratio = group.run.rate / baseline.rate
    print("records/s: baseline \(format(baseline.rate)), group commit \(format(group.run.rate)), ratio \(format(ratio))x")
    print("group-commit: ratio \(format(ratio))x (target >= \(format(options.target, 0))x) \(ratio >= options.target ? "PASS" : "FAIL")")
} catch {
    fail("the benchmark failed: \(String(reflecting: error))")
}
