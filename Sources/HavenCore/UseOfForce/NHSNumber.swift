import Foundation

/// An NHS number: ten digits whose last is a modulus-11 check digit. s6(5)(g) asks for the patient's
/// consistent identifier, and a mistyped one silently splits a patient's history, so it is checked on entry.
public enum NHSNumber {
    /// The ten digits of `text` (spaces and hyphens allowed, as printed on letters) when the check digit
    /// agrees, otherwise nil.
    public static func normalised(_ text: String) -> String? {
        let digits = text.filter { $0 != " " && $0 != "-" }
        guard digits.count == 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let values = digits.compactMap { $0.wholeNumberValue }
        guard let check = checkDigit(Array(values.prefix(9))), check == values[9] else { return nil }
        return digits
    }

    public static func isValid(_ text: String) -> Bool { normalised(text) != nil }

    /// The check digit for the first nine digits: weights 10 down to 2, 11 minus the remainder mod 11;
    /// 11 becomes 0, and 10 means no valid NHS number starts with these nine digits (nil).
    public static func checkDigit(_ nine: [Int]) -> Int? {
        guard nine.count == 9 else { return nil }
        let sum = zip(nine, stride(from: 10, through: 2, by: -1)).reduce(0) { $0 + $1.0 * $1.1 }
        let check = 11 - sum % 11
        if check == 11 { return 0 }
        if check == 10 { return nil }
        return check
    }
}
