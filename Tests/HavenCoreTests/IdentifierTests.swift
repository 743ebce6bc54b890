import Foundation
import HavenCore
import Testing

@Suite("Identifiers: record ids and secrets")
struct IdentifierTests {
    @Test("A record id is a lowercase version 7 UUID whose first 48 bits are the time in milliseconds")
    func recordIdShape() throws {
        let at = Date(timeIntervalSince1970: 1_764_547_200.123) // 2025-12-01T00:00:00.123Z
        let id = Identifier.make(at: at)
        let uuid = try #require(UUID(uuidString: id))
        #expect(uuid.uuidString.lowercased() == id)
        let hex = id.replacingOccurrences(of: "-", with: "")
        #expect(UInt64(hex.prefix(12), radix: 16) == 1_764_547_200_123)
        #expect(Array(hex)[12] == "7")
        #expect(["8", "9", "a", "b"].contains(Array(hex)[16]))
    }

    @Test("Ids made later sort later, and ten thousand made in the same instant are all different")
    func recordIdOrderAndUniqueness() {
        let earlier = Identifier.make(at: Date(timeIntervalSince1970: 1_000_000))
        let later = Identifier.make(at: Date(timeIntervalSince1970: 1_000_000.002))
        #expect(earlier < later)
        let now = Date()
        let ids = (0..<10_000).map { _ in Identifier.make(at: now) }
        #expect(Set(ids).count == ids.count)
        #expect(Set(ids.map { $0.prefix(13) }).count == 1)
    }

    @Test("Ids made one after another go up even within one millisecond, so rows written together list in order")
    func recordIdsGoUpWithinAMillisecond() {
        let ids = (0..<10_000).map { _ in Identifier.make() }
        let outOfOrder = zip(ids, ids.dropFirst()).filter { $0 >= $1 }.count
        #expect(outOfOrder == 0)
        // Thousands of ids share each millisecond here, so the order is not the time's alone.
        #expect(Set(ids.map { $0.prefix(13) }).count < ids.count / 10)
    }

    @Test("The digits are the time and the random bits in order: a known time gives its known prefix, every digit is hex")
    func recordIdDigits() throws {
        for _ in 0..<1000 {
            let id = Identifier.make(at: Date(timeIntervalSince1970: 1_250_999_896))  // 1,250,999,896,000 ms = 0x123456787c0
            #expect(id.count == 36 && id.utf8.allSatisfy { "0123456789abcdef-".utf8.contains($0) })
            #expect(id.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
            #expect(id.hasPrefix("01234567-87c0-7"), "\(id)")
        }
    }
}
