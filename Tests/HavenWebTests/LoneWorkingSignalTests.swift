import Foundation
import HavenCore
import HavenData
@testable import HavenWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Lone working: poor signal and the phone's position")
struct LoneWorkingSignalTests {
    @Test("The session page gives its script the expected end and the check-in form; the scripts are served from Static, none inline")
    func sessionPage() async throws {
        try await Harness.run { client, harness in
            var staff = try await Browser.signedIn(client, as: .staff)
            try await staff.get(client, "/lone-working")
            let started = try await staff.post(client, "/lone-working", [("location", "Farm lane"), ("minutes", "60"), ("unitId", (try await harness.unit("OAK")).id)])
            let location = try #require(started.location)
            let page = try await staff.get(client, location)
            let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            let session = try #require(try await harness.environment.loneWorking.store.sessions(organisationId: organisation.id, .init(which: .open)).items.first)
            #expect(page.text.contains(#"data-end="\#(session.expectedEndAt.iso8601)""#))
            #expect(page.text.contains(#"id="lone-checkin" data-session="\#(session.id)""#) && page.text.contains(#"id="lone-offline""#))
            #expect(page.text.contains(#"<script src="/static/lone-session.js" defer></script>"#) && !page.text.contains("<script>"))
            for script in ["/static/lone-session.js", "/static/lone-start.js"] {
                let file = try await client.execute(uri: script, method: .get)
                #expect(file.status == .ok && file.headers[.contentType]?.hasPrefix("text/javascript") == true)
                #expect(!file.text.contains("innerHTML"))
            }
            // What the script sends is the plain form's post, so a queued check-in is an ordinary check-in when it arrives.
            #expect(try await staff.post(client, location + "/check-in", [("minutes", "30")]).status == .seeOther)
            #expect(try await harness.environment.loneWorking.store.session(id: session.id, organisationId: organisation.id)?.lastCheckInAt != nil)
        }
    }

    @Test("The service worker may look after /lone-working/, keeps only session pages and their files, and signing out clears what it kept")
    func offlineCopy() async throws {
        try await Harness.run { client, _ in
            let worker = try await client.execute(uri: "/static/lone-offline.js", method: .get)
            #expect(worker.status == .ok && worker.headers[.contentType]?.hasPrefix("text/javascript") == true)
            #expect(worker.headers[HTTPField.Name("Service-Worker-Allowed")!] == "/lone-working/")
            #expect(worker.text.contains(#"/^\/lone-working\/sessions\/[^/]+$/"#), "only session pages are copied")
            #expect(worker.text.contains("fetch(request).then"), "the network is tried first")
            let other = try await client.execute(uri: "/static/lone-session.js", method: .get)
            #expect(other.headers[HTTPField.Name("Service-Worker-Allowed")!] == nil)
            #expect(other.text.contains(#"register("/static/lone-offline.js", { scope: "/lone-working/" })"#))
            var staff = try await Browser.signedIn(client, as: .staff)
            let out = try await staff.post(client, "/logout", [])
            #expect(out.status == .seeOther && out.headers[HTTPField.Name("Clear-Site-Data")!] == #""storage""#)
        }
    }

    @Test("The start page takes the phone's position from its script's hidden fields, and names the field when it cannot be read")
    func position() async throws {
        try await Harness.run { client, harness in
            var staff = try await Browser.signedIn(client, as: .staff)
            let form = try await staff.get(client, "/lone-working")
            #expect(form.text.contains(#"id="lone-position" hidden"#) && form.text.contains(#"<script src="/static/lone-start.js" defer></script>"#))
            let oak = try await harness.unit("OAK").id
            let bad = try await staff.post(client, "/lone-working", [("location", "Farm lane"), ("minutes", "60"), ("unitId", oak),
                                                                      ("latitude", "95"), ("longitude", "0")])
            #expect(bad.status == .badRequest && bad.text.contains(##"href="#location""##))
            let good = try await staff.post(client, "/lone-working", [("location", "Farm lane"), ("minutes", "60"), ("unitId", oak),
                                                                       ("latitude", "53.801277"), ("longitude", "-1.548567")])
            #expect(good.status == .seeOther)
            let organisation = try #require(try await harness.environment.organisations.primaryOrganisation())
            let session = try #require(try await harness.environment.loneWorking.store.sessions(organisationId: organisation.id, .init(which: .open)).items.first)
            #expect(session.latitude == 53.801277 && session.longitude == -1.548567)
        }
    }
}

@Suite("Lone working: forms in a real browser's terms")
struct LoneWorkingFormTests {
    /// A browser posts the token of the form it submits, not the sign-out form's in the header, so each form's own
    /// hidden field must carry it (the first slice's pages once rendered it empty).
    static func emptyTokens(_ page: TestResponse) -> Int { page.text.components(separatedBy: #"name="csrf" value="""#).count - 1 }

    @Test("Every lone-working form carries the request's CSRF token")
    func tokens() async throws {
        try await Harness.run { client, harness in
            var staff = try await Browser.signedIn(client, as: .staff)
            let start = try await staff.get(client, "/lone-working")
            #expect(Self.emptyTokens(start) == 0 && start.text.contains(#"name="csrf" value="\#(staff.csrf)""#))
            let started = try await staff.post(client, "/lone-working", [("location", "Farm lane"), ("minutes", "60"), ("unitId", (try await harness.unit("OAK")).id)])
            #expect(Self.emptyTokens(try await staff.get(client, try #require(started.location))) == 0)
            #expect(Self.emptyTokens(try await staff.get(client, "/lone-working/pins")) == 0)
            var admin = try await Browser.signedIn(client, as: .admin)
            #expect(Self.emptyTokens(try await admin.get(client, "/lone-working/devices")) == 0)
            #expect(Self.emptyTokens(try await admin.get(client, "/admin/integrations")) == 0)
            let created = try await admin.post(client, "/admin/integrations", [("name", "ARC")])
            #expect(created.status == .created && Self.emptyTokens(created) == 0)
            let device = try await admin.post(client, "/lone-working/devices", [("deviceId", "PEN-1"), ("userId", (try await harness.user(.staff)).id)])
            #expect(Self.emptyTokens(try await admin.get(client, try #require(device.location))) == 0)
        }
    }
}
