import AsyncHTTPClient
import Foundation

/// A fixed arrival rate: request i is due at start + i / rate and is sent then, whether or not earlier replies
/// have come back. Latency is measured from the due time, so time spent waiting behind a slow server counts.
struct OpenLoop {
    let options: LoadOptions
    let client: LoadClient

    func run() async throws {
        let request = client.request(options)
        if options.warmup > 0 {
            _ = try await schedule(request, rate: options.rate, seconds: options.warmup)
            print("warm-up: \(options.warmup) s at \(Int(options.rate))/s")
        }
        let (latencies, statuses, lag, wall) = try await schedule(request, rate: options.rate, seconds: options.seconds)
        let p = Percentiles(latencies)
        let ok = statuses.filter { (200..<300).contains($0.key) }.values.reduce(0, +)
        let failed = latencies.count - ok
        print("open loop \(options.method) \(options.url): \(latencies.count) requests due at \(Int(options.rate))/s over \(options.seconds) s (took \(String(format: "%.2f", wall)) s)")
        print("  statuses: \(statuses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ", "))")
        print("  latency from the due time: p50 \(p.ms(50)) ms, p90 \(p.ms(90)) ms, p99 \(p.ms(99)) ms, max \(p.ms(100)) ms")
        print("  scheduler: the latest send started \(String(format: "%.2f", lag * 1000)) ms after its due time")
        print("RESULT requests=\(latencies.count) ok=\(ok) failed=\(failed) p50_ms=\(p.ms(50)) p90_ms=\(p.ms(90)) p99_ms=\(p.ms(99)) max_ms=\(p.ms(100)) lag_ms=\(String(format: "%.2f", lag * 1000))")
    }

    /// Returns latencies (s), counts by status (0 for a transport error), the worst lag of a send behind its due
    /// time, and the wall time until the last reply.
    func schedule(_ request: HTTPClientRequest, rate: Double, seconds: Double) async throws
        -> ([Double], [Int: Int], Double, Double) {
        let clock = ContinuousClock()
        let count = Int(rate * seconds)
        let interval = Duration.nanoseconds(Int64(1e9 / rate))
        let start = clock.now + .milliseconds(20)
        return try await withThrowingTaskGroup(of: (Double, Int, Double).self) { group in
            for i in 0..<count {
                let due = start + interval * i
                try await clock.sleep(until: due, tolerance: .microseconds(100))
                group.addTask {
                    let lag = clock.now.seconds(since: due)
                    let status = (try? await client.send(request).status) ?? 0
                    return (clock.now.seconds(since: due), status, lag)
                }
            }
            var latencies: [Double] = []
            latencies.reserveCapacity(count)
            var statuses: [Int: Int] = [:]
            var worstLag = 0.0
            for try await (latency, status, lag) in group {
                latencies.append(latency)
                statuses[status, default: 0] += 1
                worstLag = max(worstLag, lag)
            }
            return (latencies, statuses, worstLag, clock.now.seconds(since: start))
        }
    }
}
