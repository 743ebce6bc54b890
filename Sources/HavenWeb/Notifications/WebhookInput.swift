import Foundation
import HavenCore
import HavenServices

/// The checks on a new webhook endpoint, shared by the page and the API.
enum WebhookInput {
    struct Valid {
        var url: String
        var secret: String
        var events: [String]
    }

    static func validate(url: String?, secret: String?, events: [String]?, policy: WebhookAddressPolicy) async throws -> Valid {
        var errors = FieldErrors()
        let url = Validate.text(url, field: "url", label: "URL", required: true, max: 2000, into: &errors)
        if errors["url"] == nil, let problem = await policy.problem(with: url) { errors.add("url", problem) }
        let secret = secret ?? ""
        if secret.count < 16 { errors.add("secret", "The secret must be at least 16 characters; it signs every call") }
        else if secret.count > 200 { errors.add("secret", "The secret must be 200 characters or fewer") }
        let known = Set(WebhookEvent.allCases.map(\.rawValue))
        let events = events ?? []
        if events.isEmpty { errors.add("events", "Choose at least one event") }
        else if let unknown = events.first(where: { !known.contains($0) && $0 != "*" }) {
            errors.add("events", "Unknown event '\(unknown)'. Events: \(known.sorted().joined(separator: ", ")), or * for all")
        }
        try errors.throwIfAny()
        return Valid(url: url, secret: secret, events: Array(Set(events)).sorted())
    }
}
