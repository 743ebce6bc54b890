import Crypto
import Foundation

/// Session ids, API tokens and reset links are stored only as SHA-256 hashes, so a copy of the
/// database does not let anyone sign in. They are long random values, so a fast hash is enough.
public enum SecretHash {
    public static func of(_ secret: String) -> String {
        hex(SHA256.hash(data: Data(secret.utf8)))
    }

    /// The SHA-256 of a file's bytes, in hex (kept with attachments so their integrity can be shown).
    public static func digest(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

    /// Lower-case hex. Done by hand: `String(format:)` is slow on Linux, and the API hashes a token per request.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
