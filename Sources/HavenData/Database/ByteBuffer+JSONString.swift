import NIOCore

extension ByteBuffer {
    /// A JSON string as JSONEncoder writes it: quote, backslash and control characters escaped (the common ones by
    /// letter, the rest as \u00xx), everything else as it is, "/" included (`.withoutEscapingSlashes`). For text that
    /// must match what JSONEncoder made, without its cost: the audit trail's changes and the incident export's lines.
    public mutating func writeJSONString(_ value: String) {
        var value = value
        value.withUTF8 { writeJSONString(bytes: $0) }
    }

    public mutating func writeJSONString(bytes: UnsafeBufferPointer<UInt8>) {
        writeInteger(UInt8(ascii: "\""))
        var start = 0
        for index in bytes.indices {
            let byte = bytes[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            writeBytes(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            start = index + 1
            switch byte {
            case UInt8(ascii: "\""): writeStaticString("\\\"")
            case UInt8(ascii: "\\"): writeStaticString("\\\\")
            case 0x08: writeStaticString("\\b")
            case 0x09: writeStaticString("\\t")
            case 0x0A: writeStaticString("\\n")
            case 0x0C: writeStaticString("\\f")
            case 0x0D: writeStaticString("\\r")
            default:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                writeStaticString("\\u00")
                writeInteger(hex[Int(byte >> 4)])
                writeInteger(hex[Int(byte & 0x0F)])
            }
        }
        writeBytes(UnsafeBufferPointer(rebasing: bytes[start...]))
        writeInteger(UInt8(ascii: "\""))
    }
}
