import Crypto
import Foundation

/// Session ids, API tokens and reset links are stored only as SHA-256 hashes, so a copy of the
/// database does not let anyone sign in. They are long random values, so a fast hash is enough.
public enum SecretHash {
    public static func of(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
