/// The code an anonymous reporter keeps to follow their report: 20 characters of Crockford base32 (100 random
/// bits, far beyond guessing), shown in groups of four so it can be written down or read over the phone.
public enum ReceiptCode {
    /// No I, L, O or U, so nothing is mistaken for 1, 0 or V.
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    public static let length = 20

    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt8(alphabet.count)))] }
        return stride(from: 0, to: length, by: 4).map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// The code as typed, in the one form that is hashed: upper case, no spaces or dashes, and the letters people
    /// confuse read as the digits they look like. nil when it cannot be a receipt code.
    public static func normalise(_ typed: String) -> String? {
        var result = ""
        for character in typed.uppercased() {
            switch character {
            case " ", "-": continue
            case "O": result.append("0")
            case "I", "L": result.append("1")
            default:
                guard alphabet.contains(character) else { return nil }
                result.append(character)
            }
        }
        return result.count == length ? result : nil
    }
}
