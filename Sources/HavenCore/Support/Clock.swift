import Foundation

/// Time is injected so that deadlines, timers and sessions can be tested without waiting.
public protocol HavenClock: Sendable {
    func now() -> Date
}

public struct SystemClock: HavenClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock tests move by hand.
public final class ManualClock: HavenClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date = Date(timeIntervalSince1970: 1_798_761_600)) { current = start }

    public func now() -> Date { lock.withLock { current } }

    public func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }
}

extension Date {
    /// Milliseconds since 1970 in UTC: how every timestamp is stored.
    public var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    public init(epochMilliseconds: Int64) { self.init(timeIntervalSince1970: Double(epochMilliseconds) / 1000) }

    /// ISO 8601 in UTC with milliseconds, for the API and exports, e.g. 2026-11-02T14:00:00.123Z. Written by hand
    /// from the stored milliseconds: Foundation's formatter costs microseconds a call, and exports write millions.
    public var iso8601: String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.iso8601Capacity) { out in
            String(decoding: UnsafeBufferPointer(rebasing: out[..<writeISO8601(into: out)]), as: UTF8.self)
        }
    }

    /// Room enough for any date `writeISO8601(into:)` writes.
    public static let iso8601Capacity = 64

    /// Writes `iso8601`'s UTF-8 into `out` (at least `iso8601Capacity` bytes) and returns how many bytes it wrote:
    /// an export writes two dates a row straight into its buffer, without a String for each.
    public func writeISO8601(into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let ms = epochMilliseconds
        let days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let civil = CivilDate(daysSince1970: days)
        guard (0...9999).contains(civil.year) else {
            let text = formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
            let bytes = text.utf8.prefix(out.count)
            _ = out.initialize(from: bytes)
            return bytes.count
        }
        var rest = ms - days * 86_400_000
        let hour = rest / 3_600_000; rest %= 3_600_000
        let minute = rest / 60_000; rest %= 60_000
        let second = rest / 1000, milli = rest % 1000
        var at = 0
        func put(_ byte: UInt8) { out[at] = byte; at += 1 }
        func digits(_ value: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var value = value
            while divisor > 0 { put(UInt8(ascii: "0") + UInt8(value / divisor)); value %= divisor; divisor /= 10 }
        }
        digits(civil.year, 4); put(UInt8(ascii: "-")); digits(civil.month, 2); put(UInt8(ascii: "-")); digits(civil.day, 2)
        put(UInt8(ascii: "T")); digits(hour, 2); put(UInt8(ascii: ":")); digits(minute, 2); put(UInt8(ascii: ":"))
        digits(second, 2); put(UInt8(ascii: ".")); digits(milli, 3); put(UInt8(ascii: "Z"))
        return at
    }
}

/// A day in the proleptic Gregorian calendar from a count of days since 1970-01-01 (H. Hinnant's civil_from_days).
struct CivilDate {
    var year: Int64
    var month: Int64
    var day: Int64

    init(daysSince1970 days: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }
}
