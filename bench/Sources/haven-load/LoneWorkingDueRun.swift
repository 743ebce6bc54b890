import AsyncHTTPClient
import Foundation
import NIOCore

/// Visits falling due, measured at a webhook receiver (bench/lone-working, parts (c) and (e)):
///
///   haven-load lone-working-due --url BASE --due-list FILE --receiver-port P [--token ADMIN] [--since-file F]
///       [--seconds TIMEOUT] [--quiet S]
///
/// `--due-list` is what `haven demo --lone-working N --due-list FILE` wrote: a session id and its due time (expected
/// end plus grace, epoch milliseconds) a line. The receiver listens on 127.0.0.1:P; with `--token` (an
/// administrator's) it first subscribes itself to `lone-working.overdue` and `lone-working.escalation`, so a second
/// run on the same port (after a restart) needs no token. It waits until every listed visit's step 1 escalation has
/// arrived, or until `--seconds` (30) after the last due time, then `--quiet` (5) seconds more to catch any call sent
/// twice, and reports each visit's latency from its due time (wall clock, the same machine's), the visits that never
/// escalated and any visit whose overdue or step 1 call came more than once. With `--since-file` (a file holding the
/// server's start, epoch milliseconds, written when the server is launched) it also reports how long after the start
/// the last visit escalated.
struct LoneWorkingDueRun {
    let options: LoadOptions
    let client: LoadClient

    func run() async throws {
        guard let path = options.dueList, let port = options.receiverPort else { fail("lone-working-due needs --due-list and --receiver-port") }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fail("cannot read \(path)") }
        var due: [String: Int64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let ms = Int64(parts[1]) else { fail("\(path): not 'id epoch-ms': \(line)") }
            due[String(parts[0])] = ms
        }
        guard let lastDue = due.values.max(), let firstDue = due.values.min() else { fail("\(path) lists no visits") }
        let calls = Calls(expected: Set(due.keys))
        let receiver = try await WebhookReceiver.start(port: port) { event, data, _, wall in
            guard let id = data["sessionId"] else { return }
            calls.record(event: event, sessionId: id, step: data["step"], wallMs: Int64((wall.timeIntervalSince1970 * 1000).rounded()))
        }
        defer { try? receiver.close().wait() }
        say("receiver listening on 127.0.0.1:\(port)")
        if let admin = options.token {
            let base = options.url.hasSuffix("/") ? String(options.url.dropLast()) : options.url
            var request = HTTPClientRequest(url: base + "/api/v1/webhooks")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(admin)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: """
                {"url":"http://127.0.0.1:\(port)/hook","secret":"bench-secret-0123456789","events":["lone-working.overdue","lone-working.escalation"]}
                """))
            let response = try await client.http.execute(request, timeout: .seconds(30))
            let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
            guard response.status.code == 201 else { fail("creating the webhook answered \(response.status.code): \(body)") }
            say("subscribed to lone-working.overdue and lone-working.escalation")
        }
        let nowMs = { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
        say("waiting for \(due.count) visits falling due between \(Self.clock(firstDue)) and \(Self.clock(lastDue)) (now \(Self.clock(nowMs())))")

        let deadline = max(lastDue, nowMs()) + Int64(options.seconds * 1000)
        while calls.escalatedCount < due.count && nowMs() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        try await Task.sleep(for: .milliseconds(Int64(options.quiet * 1000)))

        let seen = calls.snapshot()
        var latencies: [Double] = [], overdueLatencies: [Double] = []
        var lastArrival: Int64 = 0, firstArrival = Int64.max
        for (id, dueMs) in due {
            if let arrived = seen.firstEscalation[id] {
                latencies.append(Double(arrived - dueMs) / 1000)
                lastArrival = max(lastArrival, arrived)
                firstArrival = min(firstArrival, arrived)
            }
            if let arrived = seen.firstOverdue[id] { overdueLatencies.append(Double(arrived - dueMs) / 1000) }
        }
        let missing = due.count - latencies.count
        let twice = due.keys.filter { (seen.escalations[$0] ?? 0) > 1 || (seen.overdues[$0] ?? 0) > 1 }.count
        let step1 = Percentiles(latencies), overdue = Percentiles(overdueLatencies)
        say("first escalation after due: \(latencies.count) of \(due.count) visits arrived (\(missing) never): p50 \(step1.ms(50)) ms, p99 \(step1.ms(99)) ms, max \(step1.ms(100)) ms")
        say("overdue call after due: p50 \(overdue.ms(50)) ms, p99 \(overdue.ms(99)) ms, max \(overdue.ms(100)) ms")
        say("exactly once: \(twice) visits had their overdue or step 1 call more than once; \(seen.total) calls in all, \(seen.strangers) for visits not listed")
        var result = "RESULT due_visits=\(due.count) escalated=\(latencies.count) missing=\(missing) twice=\(twice) calls=\(seen.total) "
            + "p50_ms=\(step1.ms(50)) p99_ms=\(step1.ms(99)) max_ms=\(step1.ms(100)) overdue_p99_ms=\(overdue.ms(99))"
        if let since = options.sinceFile {
            guard let started = (try? String(contentsOfFile: since, encoding: .utf8)).flatMap({ Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
            else { fail("cannot read a start time from \(since)") }
            let all = missing == 0 ? String(format: "%.3f", Double(lastArrival - started) / 1000) : "nan"
            let first = firstArrival == .max ? "nan" : String(format: "%.3f", Double(firstArrival - started) / 1000)
            say("after the start: the first of the \(due.count) visits escalated \(first) s and the last \(all) s after the server was launched")
            result += " first_after_start_s=\(first) last_after_start_s=\(all)"
        }
        say(result)
    }

    static func clock(_ ms: Int64) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss.SSS"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)) + "Z"
    }
}

/// Every call the receiver got, per visit: how many overdue and step 1 escalation calls, and when the first came.
final class Calls: @unchecked Sendable {
    struct Seen {
        var firstEscalation: [String: Int64] = [:]
        var firstOverdue: [String: Int64] = [:]
        var escalations: [String: Int] = [:]
        var overdues: [String: Int] = [:]
        var total = 0
        var strangers = 0
    }

    private let lock = NSLock()
    private let expected: Set<String>
    private var seen = Seen()

    init(expected: Set<String>) { self.expected = expected }

    func record(event: String, sessionId: String, step: String?, wallMs: Int64) {
        lock.withLock {
            seen.total += 1
            guard expected.contains(sessionId) else { seen.strangers += 1; return }
            if event == "lone-working.escalation" && step == "1" {
                seen.escalations[sessionId, default: 0] += 1
                if seen.firstEscalation[sessionId] == nil { seen.firstEscalation[sessionId] = wallMs }
            } else if event == "lone-working.overdue" {
                seen.overdues[sessionId, default: 0] += 1
                if seen.firstOverdue[sessionId] == nil { seen.firstOverdue[sessionId] = wallMs }
            }
        }
    }

    var escalatedCount: Int { lock.withLock { seen.firstEscalation.count } }
    func snapshot() -> Seen { lock.withLock { seen } }
}

/// Writes a line straight to standard output, unbuffered even into a file: bench/lone-working waits for the
/// receiver's "listening" and "subscribed" lines while this process runs.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
