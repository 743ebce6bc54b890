import Foundation

/// Values decoded from JSON text stored in a column, kept by their text. A lone-working session stores its escalation
/// policy and checklist as JSON, and every check-in reads the session inside the one writer: decoding the same policy
/// text again each time was about a tenth of a check-in's CPU (docs/PERFORMANCE.md). Sessions mostly share a few
/// policies, so the cache stays small; when full it is emptied and refilled by what is in use.
final class DecodedJSONCache<Value: Decodable & Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Value] = [:]
    private let limit: Int

    init(limit: Int = 256) { self.limit = limit }

    /// The value the text decodes to, or nil when it does not decode (the caller decides what that means).
    func value(decoding text: String) -> Value? {
        if let known = lock.withLock({ values[text] }) { return known }
        guard let decoded = try? JSONDecoder().decode(Value.self, from: Data(text.utf8)) else { return nil }
        lock.withLock {
            if values.count >= limit { values.removeAll(keepingCapacity: true) }
            values[text] = decoded
        }
        return decoded
    }
}
