import Foundation
import HavenCore
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("HTML escaping per Unicode scalar")
struct EscapingTests {
    static let quoteWithAccent = "\"\u{0301}"
    static let lessThanWithSlash = "<\u{0338}"

    @Test("The escaper escapes a quote or angle bracket even when a combining mark joins it to a Character")
    func escaper() {
        #expect(ScalarSafeHTML.escape(Self.quoteWithAccent) == "&quot;\u{0301}")
        #expect(ScalarSafeHTML.escape(Self.lessThanWithSlash) == "&lt;\u{0338}")
        #expect(ScalarSafeHTML.escape("a'b&c>") == "a&#39;b&amp;c&gt;")
    }

    @Test("Pages escape such values in text and in attributes")
    func pages() async throws {
        try await Harness.run { client, harness in
            var admin = try await Browser.signedIn(client, as: .admin)
            try await admin.get(client, "/admin/sites")
            let hostile = "x\(Self.quoteWithAccent) onfocus=alert(1) \(Self.lessThanWithSlash)script>"
            // Kept on a form error (value attribute) ...
            let rejected = try await admin.post(client, "/admin/sites", [("name", hostile), ("address", String(repeating: "a", count: 501))])
            #expect(rejected.status == .badRequest)
            // ... and shown in a table once saved (text).
            try await admin.get(client, "/admin/sites")
            #expect(try await admin.post(client, "/admin/sites", [("name", hostile), ("address", "1 Road")]).status == .seeOther)
            let list = try await admin.get(client, "/admin/sites")
            let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            let site = try #require(try await harness.environment.organisations.sites(organisationId: organisation.id).first { $0.name.contains("onfocus") })
            let edit = try await admin.get(client, "/admin/sites/\(site.id)")
            for page in [rejected.text, list.text, edit.text] {
                #expect(!page.contains(Self.quoteWithAccent), "a raw quote with its mark got through")
                #expect(!page.contains(Self.lessThanWithSlash))
                #expect(page.contains("&quot;\u{0301}"))
                #expect(page.contains("&lt;\u{0338}"))
            }
        }
    }
}
