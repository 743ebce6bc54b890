import AsyncHTTPClient
import Foundation

/// A closed loop: `concurrency` workers each send their share of `requests` one after another; latency is each
/// request's own round trip. Ten requests go first as a warm-up (caches, connections) and are not counted.
struct LatencyRun {
    let options: LoadOptions
    let client: LoadClient

    func run() async throws {
        let request = client.request(options)
        for _ in 0..<10 { _ = try await client.send(request) }
        let clock = ContinuousClock()
        let perWorker = (options.requests + options.concurrency - 1) / options.concurrency
        let began = clock.now
        let results = try await withThrowingTaskGroup(of: [(Double, Int, Int)].self) { group in
            for _ in 0..<options.concurrency {
                group.addTask {
                    var mine: [(Double, Int, Int)] = []
                    for _ in 0..<perWorker {
                        let sent = clock.now
                        let (status, bytes) = try await client.send(request)
                        mine.append((clock.now.seconds(since: sent), status, bytes))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let wall = clock.now.seconds(since: began)
        let p = Percentiles(results.map(\.0))
        let bad = results.filter { !(200..<300).contains($0.1) }.count
        let meanBytes = results.map(\.2).reduce(0, +) / max(results.count, 1)
        print("latency GET \(options.url): \(results.count) requests, \(options.concurrency) at a time, \(String(format: "%.0f", Double(results.count) / wall))/s")
        print("  p50 \(p.ms(50)) ms, p95 \(p.ms(95)) ms, p99 \(p.ms(99)) ms, max \(p.ms(100)) ms; non-2xx: \(bad); body \(meanBytes) bytes on average")
        print("RESULT requests=\(results.count) bad=\(bad) p50_ms=\(p.ms(50)) p95_ms=\(p.ms(95)) p99_ms=\(p.ms(99)) max_ms=\(p.ms(100)) bytes=\(meanBytes)")
    }
}
