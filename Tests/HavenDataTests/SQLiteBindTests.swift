import Foundation
@testable import HavenData
import SQLiteKit
import Testing

@Suite("SQLite writer: bound values are the same data SQLiteKit's encoder makes")
struct SQLiteBindTests {
    // One key: JSONEncoder writes the keys of an object in no fixed order.
    struct Settings: Codable, Sendable { let steps: [String] }
    enum Kind: String, Codable, Sendable { case ward }

    @Test("Each kind of value Haven binds, through the fast path and through the encoder")
    func sameAsEncoder() throws {
        let values: [any Encodable & Sendable] = [
            "", "ward 7", "e\u{301}", "\u{0}nul", 0, -1, Int.max, Int.min, Int64(1_733_000_000_000), Int64.min,
            0.0, -2.5, Double.greatestFiniteMagnitude, true, false, Int32(7), UInt8(3),
            String?.none, String?.some("x"), Int?.none, Int?.some(5), Int64?.some(9), Double?.none, Bool?.some(true),
            Date(timeIntervalSince1970: 1_733_000_000.25), Kind.ward, Settings(steps: ["buddy", "manager"]),
            ["a", "b"], ByteBuffer(string: "blob"), Data([1, 2, 3]),
        ]
        let encoder = SQLiteDataEncoder()
        for value in values {
            let fast = try SQLiteWriterDatabase.sqliteData(value)
            let expected = try encoder.encode(value)
            #expect(fast == expected, "\(type(of: value)) \(value)")
        }
    }
}
