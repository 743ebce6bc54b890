import Foundation
@testable import HavenCore
import Testing

@Suite("ISO 8601 timestamps written by hand")
struct ISO8601Tests {
    @Test("The hand-written form matches Foundation's for dates across leap years, centuries and before 1970")
    func matchesFoundation() {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        var generator = SystemRandomNumberGenerator()
        var samples: [Int64] = [0, -1, 951_782_400_000, 951_868_799_999, 4_107_542_399_999, -2_208_988_800_000, 1_793_628_000_123]
        for _ in 0..<2000 { samples.append(Int64.random(in: -2_208_988_800_000...4_102_444_800_000, using: &generator)) }
        for ms in samples {
            let date = Date(epochMilliseconds: ms)
            // Foundation truncates the Double's milliseconds (…123 can print as …122); ours prints the stored ones.
            let whole = Date(timeIntervalSince1970: Double((ms - ((ms % 1000) + 1000) % 1000) / 1000))
            #expect(date.iso8601.prefix(19) == whole.formatted(style).prefix(19), "\(ms)")
            #expect(date.iso8601.dropFirst(20).prefix(3) == String(format: "%03lld", ((ms % 1000) + 1000) % 1000), "\(ms)")
        }
        #expect(Date(epochMilliseconds: 1_793_628_000_123).iso8601 == "2026-11-02T14:00:00.123Z")
        #expect(Date(epochMilliseconds: 951_782_400_000).iso8601 == "2000-02-29T00:00:00.000Z")
    }
}
