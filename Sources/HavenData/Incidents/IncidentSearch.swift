/// What someone typed in the search box, turned into a query each engine understands.
///
/// People type plain words, never query syntax: quotes, `*`, `-`, `NEAR`, `:`, `&` and `!` mean something to FTS5 or
/// to `to_tsquery`, and passing them through would let a stray character fail the request. So only letters and
/// digits survive, each word is quoted or bare, every word must match, and the last one also matches as the start
/// of a word, because people search as they type ("medicat" finds "medication").
public struct IncidentSearch: Sendable, Equatable {
    public let words: [String]

    /// Enough for any real search; more words only slow the query down.
    static let maximumWords = 12
    /// A prefix shorter than this matches so many words that it finds little and costs a lot.
    static let minimumPrefix = 3

    public init(_ text: String) {
        let words = text.split { !($0.isLetter || $0.isNumber) }.map { $0.lowercased() }
        self.words = Array(words.prefix(Self.maximumWords))
    }

    /// Nothing to search for: the text held no letters or digits.
    public var isEmpty: Bool { words.isEmpty }

    /// An FTS5 MATCH expression: each word a quoted string, so no word is read as an operator; the last one a prefix.
    var fts5: String {
        words.enumerated().map { index, word in
            let quoted = "\"" + word.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            return index == words.count - 1 && word.count >= Self.minimumPrefix ? quoted + "*" : quoted
        }.joined(separator: " AND ")
    }

    /// `to_tsquery` expressions: every word but the last, joined by `&` (nil when there is one word), and the last,
    /// with `:*` when long enough. The last is matched against both halves of the search vector: the English stems
    /// ("punched" finds "punch") and the unstemmed words, since a prefix as typed ("medicat") need not be a prefix of
    /// the stem ("medic").
    var tsquery: (rest: String?, last: String) {
        let last = words.last ?? ""
        let rest = words.dropLast().joined(separator: " & ")
        return (rest.isEmpty ? nil : rest, last.count >= Self.minimumPrefix ? last + ":*" : last)
    }
}
