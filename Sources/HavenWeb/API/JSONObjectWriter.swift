import Foundation
import HavenCore
import HavenData
import Hummingbird
import NIOCore

/// Writes one JSON object as `JSONEncoder.api` writes it, byte for byte, for the answers of the busiest routes, where
/// the encoder's reflection cost more than the rest of building the answer. The caller gives the members in the
/// encoder's order (keys sorted by their UTF-8 bytes); a nil value is left out, as the encoder leaves it out.
struct JSONObjectWriter {
    private(set) var buffer: ByteBuffer
    private var empty = true

    init(capacity: Int = 1024) {
        buffer = ByteBuffer()
        buffer.reserveCapacity(capacity)
        buffer.writeInteger(UInt8(ascii: "{"))
    }

    private mutating func key(_ key: StaticString) {
        buffer.writeStaticString(empty ? "\"" : ",\"")
        empty = false
        buffer.writeStaticString(key)
        buffer.writeStaticString("\":")
    }

    mutating func member(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        buffer.writeJSONString(value)
    }

    mutating func member(_ name: StaticString, _ value: [String]) {
        key(name)
        buffer.writeInteger(UInt8(ascii: "["))
        for (index, item) in value.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            buffer.writeJSONString(item)
        }
        buffer.writeInteger(UInt8(ascii: "]"))
    }

    /// As `Date.iso8601`, which `JSONEncoder.api` writes dates with.
    mutating func member(_ name: StaticString, _ value: Date?) {
        guard let value else { return }
        key(name)
        buffer.writeJSONDate(value)
    }

    mutating func member(_ name: StaticString, _ value: Int) {
        key(name)
        buffer.writeString(String(value))
    }

    mutating func member(_ name: StaticString, _ value: Bool) {
        key(name)
        buffer.writeStaticString(value ? "true" : "false")
    }

    /// A finite number as JSONEncoder writes it: Swift's shortest round-trip text, with a whole number's ".0" left off.
    mutating func member(_ name: StaticString, _ value: Double?) {
        guard let value else { return }
        precondition(value.isFinite, "JSON has no text for \(value)")
        key(name)
        let text = value.description
        buffer.writeString(text.hasSuffix(".0") ? String(text.dropLast(2)) : text)
    }

    /// The finished object.
    consuming func finished() -> ByteBuffer {
        buffer.writeInteger(UInt8(ascii: "}"))
        return buffer
    }

    /// The finished object as a JSON answer.
    consuming func response(status: HTTPResponse.Status) -> Response {
        jsonResponse(body: finished(), status: status)
    }
}

extension ByteBuffer {
    /// A date as `JSONEncoder.api` writes it: `Date.iso8601` in quotes.
    mutating func writeJSONDate(_ date: Date) {
        writeInteger(UInt8(ascii: "\""))
        _ = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Date.iso8601Capacity) { scratch in
            writeBytes(UnsafeBufferPointer(rebasing: scratch[..<date.writeISO8601(into: scratch)]))
        }
        writeInteger(UInt8(ascii: "\""))
    }
}
