import Foundation

/// Takes what plainly identifies someone out of free text bound for the violent incident log.
///
/// It cannot be complete: a description may name a person in words no rule recognises ("the new charge nurse on
/// nights"). It removes e-mail addresses, phone-number-like runs of digits (which also catches NHS numbers and
/// most other record numbers) and the identifiers the report itself holds (patient identifier, witnesses, crime
/// reference). Whoever publishes the log still reads it first; the documentation says so.
public enum Redaction {
    public static let emailMark = "[e-mail removed]"
    public static let numberMark = "[number removed]"
    public static let identifierMark = "[removed]"
    /// Runs of at least this many digits are treated as phone or record numbers; shorter ones are counts, times, rooms.
    static let minimumDigits = 7

    /// The text with e-mail addresses, long digit runs and each of `known` (matched ignoring case) replaced.
    public static func scrub(_ text: String, removing known: [String] = []) -> String {
        var result = text
        // Longest first, so "Sam Smith" goes whole before "Sam" is looked for.
        for term in known.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }).sorted(by: { $0.count > $1.count }) {
            // Very short terms ("Jo", "A") would eat ordinary words; the number and e-mail rules still apply.
            guard term.count >= 3 else { continue }
            result = replacingWord(term, in: result)
        }
        var scalars = Array(result.unicodeScalars)
        var digits = 0, at = false
        for scalar in scalars {
            if scalar == "@" { at = true } else if ("0"..."9").contains(scalar) { digits += 1 }
        }
        // Most descriptions have neither: leave them untouched without building a new string.
        if !at && digits < minimumDigits { return result }
        if at { scalars = replacing(emailRanges(scalars), in: scalars, with: emailMark) }
        if digits >= minimumDigits { scalars = replacing(numberRanges(scalars), in: scalars, with: numberMark) }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// The names in a witnesses field ("Jo Bloggs, Sam Smith and A. Patel"), to remove from the other fields: each
    /// name whole, and each capitalised part of it, since a description often says only "Smith".
    public static func names(in list: String) -> [String] {
        let whole = list.replacingOccurrences(of: " and ", with: ",").split(whereSeparator: { ",;/\n".contains($0) })
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        let parts = whole.flatMap { $0.split(separator: " ").map(String.init) }
            .filter { $0.count >= 3 && ($0.first?.isUppercase ?? false) }
        return whole + parts
    }

    /// Replaces `term` where it stands as a word (not inside a longer word), ignoring case.
    static func replacingWord(_ term: String, in text: String) -> String {
        var result = text
        var searchFrom = result.startIndex
        while let found = result.range(of: term, options: [.caseInsensitive], range: searchFrom..<result.endIndex) {
            let before = found.lowerBound == result.startIndex ? nil : result[result.index(before: found.lowerBound)]
            let after = found.upperBound == result.endIndex ? nil : result[found.upperBound]
            if (before?.isLetter ?? false) || (before?.isNumber ?? false) || (after?.isLetter ?? false) || (after?.isNumber ?? false) {
                searchFrom = found.upperBound
                continue
            }
            let offset = result.distance(from: result.startIndex, to: found.lowerBound)
            result.replaceSubrange(found, with: identifierMark)
            searchFrom = result.index(result.startIndex, offsetBy: offset + identifierMark.count)
        }
        return result
    }

    static func isLocal(_ s: Unicode.Scalar) -> Bool { s.properties.isAlphabetic || ("0"..."9").contains(s) || "._%+-'".unicodeScalars.contains(s) }
    static func isDomain(_ s: Unicode.Scalar) -> Bool { s.properties.isAlphabetic || ("0"..."9").contains(s) || ".-".unicodeScalars.contains(s) }
    static func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }

    /// name@domain.tld: something before the @, and a domain with a dot inside it.
    static func emailRanges(_ s: [Unicode.Scalar]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var i = 0
        while i < s.count {
            guard s[i] == "@" else { i += 1; continue }
            var start = i
            while start > 0, isLocal(s[start - 1]) { start -= 1 }
            var end = i + 1
            while end < s.count, isDomain(s[end]) { end += 1 }
            // A full stop ending the sentence is not part of the domain.
            while end > i + 1, s[end - 1] == "." || s[end - 1] == "-" { end -= 1 }
            let domain = s[(i + 1)..<end]
            if start < i, let dot = domain.firstIndex(of: "."), dot > i + 1, dot < end - 1 {
                ranges.append(start..<end)
                i = end
            } else {
                i += 1
            }
        }
        return ranges
    }

    /// Digits joined by spaces, hyphens, dots or brackets, with an optional leading + or (, holding at least
    /// `minimumDigits` digits: 07700 900123, +44 (0)20 7946 0000, 943 476 5919. Dates (2026-11-28, 28.11.2026,
    /// 28/11/2026) are left alone and also end a run, so "2026-11-20 (20.11.26)" is not read as one long number.
    static func numberRanges(_ s: [Unicode.Scalar]) -> [Range<Int>] {
        let dates = dateMask(s)
        func digit(_ index: Int) -> Bool { isDigit(s[index]) && !dates[index] }
        var ranges: [Range<Int>] = []
        var i = 0
        while i < s.count {
            guard digit(i), i == 0 || !isDigit(s[i - 1]) else { i += 1; continue }
            var start = i
            if start > 0, s[start - 1] == "+" || s[start - 1] == "(" { start -= 1 }
            if start > 0, s[start] == "(", s[start - 1] == "+" { start -= 1 }
            var end = i, total = 0, j = i
            while j < s.count {
                if digit(j) {
                    total += 1
                    j += 1
                    end = j
                    continue
                }
                // Up to two joining characters ("(0)20", ") ") when a digit follows them.
                var k = j
                while k < s.count, k - j < 2, " -.()".unicodeScalars.contains(s[k]) { k += 1 }
                guard k > j, k < s.count, digit(k) else { break }
                j = k
            }
            if total >= minimumDigits { ranges.append(start..<end) }
            i = max(end, i + 1)
        }
        return ranges
    }

    /// Marks the scalars of date-shaped tokens: 4-2-2 or 1/2-1/2-2/4 digit groups joined by one repeated - . or /.
    static func dateMask(_ s: [Unicode.Scalar]) -> [Bool] {
        var mask = [Bool](repeating: false, count: s.count)
        var i = 0
        while i < s.count {
            guard isDigit(s[i]), i == 0 || !isDigit(s[i - 1]) else { i += 1; continue }
            var groups: [Int] = [], separator: Unicode.Scalar?, j = i, length = 0
            while j < s.count {
                if isDigit(s[j]) { length += 1; j += 1; continue }
                guard groups.count < 2, "-./".unicodeScalars.contains(s[j]), separator == nil || separator == s[j],
                      j + 1 < s.count, isDigit(s[j + 1]) else { break }
                separator = s[j]
                groups.append(length)
                length = 0
                j += 1
            }
            groups.append(length)
            let isDate = groups.count == 3 && (groups == [4, 2, 2] || (groups[0] <= 2 && groups[1] <= 2 && (groups[2] == 2 || groups[2] == 4)))
            if isDate { for index in i..<j { mask[index] = true } }
            i = max(j, i + 1)
        }
        return mask
    }

    static func replacing(_ ranges: [Range<Int>], in s: [Unicode.Scalar], with mark: String) -> [Unicode.Scalar] {
        guard !ranges.isEmpty else { return s }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        var position = 0
        for range in ranges {
            out.append(contentsOf: s[position..<range.lowerBound])
            out.append(contentsOf: mark.unicodeScalars)
            position = range.upperBound
        }
        out.append(contentsOf: s[position...])
        return out
    }
}
