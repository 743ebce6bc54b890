import AsyncHTTPClient
import Foundation

/// One streamed export: rows (lines after the header) per second, and the server's resident memory before,
/// at its peak during, and after the export, read from /proc/PID/status every 10 ms.
struct ExportRun {
    let options: LoadOptions
    let client: LoadClient

    func run() async throws {
        let before = options.pid.flatMap(Self.rss)
        let sampler = options.pid.map { pid in
            Task { () -> Int in
                var peak = 0
                while !Task.isCancelled {
                    if let rss = Self.rss(pid) { peak = max(peak, rss) }
                    try? await Task.sleep(for: .milliseconds(10))
                }
                return peak
            }
        }
        let clock = ContinuousClock()
        let began = clock.now
        let response = try await client.http.execute(client.request(options), timeout: .seconds(600))
        var lines = 0
        var bytes = 0
        var firstByte: Double?
        for try await chunk in response.body {
            if firstByte == nil { firstByte = clock.now.seconds(since: began) }
            bytes += chunk.readableBytes
            chunk.withUnsafeReadableBytes { raw in for byte in raw where byte == UInt8(ascii: "\n") { lines += 1 } }
        }
        let seconds = clock.now.seconds(since: began)
        sampler?.cancel()
        let peak = await sampler?.value
        try? await Task.sleep(for: .seconds(1))
        let after = options.pid.flatMap(Self.rss)
        let rows = options.url.contains("format=jsonl") ? lines : max(lines - 1, 0)
        let rate = Double(rows) / seconds
        print("export \(options.url): status \(response.status.code), \(rows) rows, \(bytes / 1_048_576) MiB in \(String(format: "%.2f", seconds)) s: \(Int(rate)) rows/s (first byte after \(String(format: "%.0f", (firstByte ?? 0) * 1000)) ms)")
        func mb(_ kb: Int?) -> String { kb.map { String(format: "%.1f", Double($0) / 1024) } ?? "nan" }
        if options.pid != nil {
            print("  server VmRSS: before \(mb(before)) MB, peak \(mb(peak)) MB, 1 s after \(mb(after)) MB; growth to peak \(mb(peak.flatMap { p in before.map { p - $0 } })) MB")
        }
        print("RESULT status=\(response.status.code) rows=\(rows) seconds=\(String(format: "%.3f", seconds)) rows_per_s=\(Int(rate)) rss_before_mb=\(mb(before)) rss_peak_mb=\(mb(peak)) rss_after_mb=\(mb(after)) growth_mb=\(mb(peak.flatMap { p in before.map { p - $0 } }))")
    }

    /// VmRSS in kB.
    static func rss(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
    }
}
