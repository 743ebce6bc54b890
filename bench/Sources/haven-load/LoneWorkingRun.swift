import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Lone-working figures against a running `haven serve --allow-private-webhooks` (bench/lone-working):
///
/// - panic to webhook: for each of `--requests` visits, the time from sending `POST …/sessions/{id}/alarm` until a
///   local webhook receiver (in this process, on the same clock) gets that session's `lone-working.alarm` call;
/// - check-ins a second: `--concurrency` workers posting `POST …/sessions/{id}/check-ins` round-robin over
///   `--sessions` open visits for `--seconds`, counting the 201s; or, with `--checkin-ids FILE`, only the visits
///   started and their ids written to FILE, for wrk to send the check-ins (bench/checkin.lua).
///
/// `--token` is an administrator's bearer token (it creates the webhook endpoint) and `--worker-token` the staff
/// member's (whose visits they are). Everything goes to 127.0.0.1.
struct LoneWorkingRun {
    let options: LoadOptions
    let client: LoadClient

    func run() async throws {
        guard let admin = options.token, let worker = options.workerToken else { fail("lone-working needs --token and --worker-token") }
        let arrivals = Arrivals()
        let receiver = try await WebhookReceiver.start { event, data, arrived, _ in
            if event == "lone-working.alarm", let id = data["sessionId"] { arrivals.arrived(id, at: arrived) }
        }
        defer { try? receiver.close().wait() }
        let port = receiver.localAddress?.port ?? 0
        let base = options.url.hasSuffix("/") ? String(options.url.dropLast()) : options.url
        let webhook = try await call(base + "/api/v1/webhooks", token: admin, body: """
            {"url":"http://127.0.0.1:\(port)/hook","secret":"bench-secret-0123456789","events":["lone-working.alarm"]}
            """)
        guard webhook.status == 201 else { fail("creating the webhook answered \(webhook.status): \(webhook.text)") }

        // (a) panic to webhook, one alarm at a time so each is measured on a quiet server.
        var latencies: [Double] = []
        let clock = ContinuousClock()
        for index in 0..<options.requests {
            let id = try await startVisit(base, worker: worker, index: index)
            let sent = clock.now
            let alarm = try await call(base + "/api/v1/lone-working/sessions/\(id)/alarm", token: worker, body: "{}")
            guard alarm.status == 200 else { fail("the alarm answered \(alarm.status): \(alarm.text)") }
            guard let arrived = await arrivals.wait(for: id, timeout: .seconds(10)) else { fail("no webhook for session \(id) within 10 s") }
            latencies.append(arrived.seconds(since: sent))
        }
        let panic = Percentiles(latencies)
        print("panic to webhook: \(latencies.count) alarms, one at a time: p50 \(panic.ms(50)) ms, p99 \(panic.ms(99)) ms, max \(panic.ms(100)) ms")

        // (b) check-ins a second, closed loop.
        var ids: [String] = []
        for index in 0..<options.sessions { ids.append(try await startVisit(base, worker: worker, index: options.requests + index)) }
        let sessions = ids
        if let path = options.checkinIds {
            // The check-ins are sent by wrk, which costs the machine less than this process (bench/checkin.lua).
            try (ids.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            print("check-ins: \(ids.count) open visits listed in \(path) for wrk")
            print("RESULT panic_p50_ms=\(panic.ms(50)) panic_p99_ms=\(panic.ms(99)) panic_max_ms=\(panic.ms(100))")
            return
        }
        let request: @Sendable (String) -> HTTPClientRequest = { id in
            var request = HTTPClientRequest(url: base + "/api/v1/lone-working/sessions/\(id)/check-ins")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(worker)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"extendBySeconds":0}"#))
            return request
        }
        let ends = clock.now + .milliseconds(Int64(options.seconds * 1000))
        let started = clock.now
        let concurrency = options.concurrency, client = self.client
        let counts = try await withThrowingTaskGroup(of: (Int, Int, [Double]).self) { group in
            for lane in 0..<concurrency {
                group.addTask {
                    var ok = 0, failed = 0, times: [Double] = []
                    var next = lane
                    while clock.now < ends {
                        let began = clock.now
                        let status = (try? await client.send(request(sessions[next % sessions.count])).status) ?? 0
                        times.append(clock.now.seconds(since: began))
                        if status == 201 { ok += 1 } else { failed += 1 }
                        next += concurrency
                    }
                    return (ok, failed, times)
                }
            }
            var total = (0, 0, [Double]())
            for try await (ok, failed, times) in group { total.0 += ok; total.1 += failed; total.2 += times }
            return total
        }
        let wall = clock.now.seconds(since: started)
        let rate = Double(counts.0) / wall
        let checkIns = Percentiles(counts.2)
        print("check-ins: \(counts.0) answered 201 (\(counts.1) otherwise) in \(String(format: "%.2f", wall)) s with \(options.concurrency) at a time over \(sessions.count) visits: \(Int(rate))/s, p50 \(checkIns.ms(50)) ms, p99 \(checkIns.ms(99)) ms")
        print("RESULT panic_p50_ms=\(panic.ms(50)) panic_p99_ms=\(panic.ms(99)) panic_max_ms=\(panic.ms(100)) checkins_per_s=\(Int(rate)) checkins_failed=\(counts.1) checkin_p99_ms=\(checkIns.ms(99))")
    }

    func startVisit(_ base: String, worker: String, index: Int) async throws -> String {
        let started = try await call(base + "/api/v1/lone-working/sessions", token: worker,
                                     body: #"{"location":"Bench visit \#(index)","expectedDurationSeconds":7200}"#)
        guard started.status == 201, let id = started.json?["id"] as? String else { fail("starting a visit answered \(started.status): \(started.text)") }
        return id
    }

    func call(_ url: String, token: String, body: String) async throws -> (status: Int, text: String, json: [String: Any]?) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.http.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let text = String(buffer: bytes)
        return (Int(response.status.code), text, (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any])
    }
}

/// When each session's alarm webhook arrived, for whoever is waiting for it (or kept until they ask).
final class Arrivals: @unchecked Sendable {
    private let lock = NSLock()
    private var waiting: [String: CheckedContinuation<ContinuousClock.Instant?, Never>] = [:]
    private var early: [String: ContinuousClock.Instant] = [:]

    func arrived(_ id: String, at instant: ContinuousClock.Instant) {
        let continuation: CheckedContinuation<ContinuousClock.Instant?, Never>? = lock.withLock {
            if let waiter = waiting.removeValue(forKey: id) { return waiter }
            early[id] = instant
            return nil
        }
        continuation?.resume(returning: instant)
    }

    private func giveUp(_ id: String) {
        let waiter = lock.withLock { waiting.removeValue(forKey: id) }
        waiter?.resume(returning: nil)
    }

    func wait(for id: String, timeout: Duration) async -> ContinuousClock.Instant? {
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            self?.giveUp(id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let ready: ContinuousClock.Instant? = lock.withLock {
                if let instant = early.removeValue(forKey: id) { return instant }
                waiting[id] = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
