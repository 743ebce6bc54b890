import Foundation
import HavenCore
import Testing

@Suite("Validation and rules")
struct ValidationTests {
    @Test func emails() {
        for good in ["a@b.org", "first.last+tag@nhs.net"] { #expect(Validate.email(good), "\(good)") }
        for bad in ["", "no-at", "a@b", "a@.org", "a b@c.org", "@c.org", "a@b.org."] { #expect(!Validate.email(bad), "\(bad)") }
    }

    @Test func text() {
        var errors = FieldErrors()
        #expect(Validate.text("  Oak  ", field: "name", label: "Name", required: true, max: 10, into: &errors) == "Oak")
        _ = Validate.text("   ", field: "empty", label: "Name", required: true, max: 10, into: &errors)
        _ = Validate.text(String(repeating: "x", count: 11), field: "long", label: "Name", required: true, max: 10, into: &errors)
        _ = Validate.text("a\u{0007}b", field: "control", label: "Name", required: true, max: 10, into: &errors)
        #expect(errors["empty"] == "Enter name")
        #expect(errors["long"]?.contains("10 characters or fewer") == true)
        #expect(errors["control"] != nil)
    }

    @Test func monthsAndZones() {
        #expect(Validate.month("2026-10"))
        for bad in ["2026-13", "26-10", "2026/10", "2026-1", "abcd-ef"] { #expect(!Validate.month(bad), "\(bad)") }
        #expect(Validate.timeZone("Europe/London"))
        #expect(!Validate.timeZone("Mars/Olympus"))
    }

    @Test func passwords() {
        #expect(Validate.password("short") != nil)
        #expect(Validate.password("long enough words") == nil)
        #expect(Validate.password(String(repeating: "é", count: 40)) != nil, "over 72 bytes is refused, bcrypt would cut it")
    }

    @Test("Webhook retries back off and stop after 24 hours")
    func backoff() {
        #expect(DeliveryBackoff.delay(afterAttempt: 1) == 30)
        #expect(DeliveryBackoff.delay(afterAttempt: 2) == 60)
        #expect(DeliveryBackoff.delay(afterAttempt: 20) == 3600)
        let start = Date(timeIntervalSince1970: 0)
        #expect(DeliveryBackoff.nextAttempt(after: 3, firstAttemptAt: start, now: start + 600) != nil)
        #expect(DeliveryBackoff.nextAttempt(after: 30, firstAttemptAt: start, now: start + 23.5 * 3600) == nil)
    }

    @Test("The audit hash input differs when any field differs, even by moving text between fields")
    func canonicalContent() {
        let base = AuditEvent(sequence: 1, organisationId: "o", at: Date(timeIntervalSince1970: 1), actorId: "ab", action: "c",
                              entity: "e", entityId: nil, changes: "{}", requestId: nil, address: nil, previousHash: "0", hash: "")
        var shifted = base
        shifted.actorId = "a"
        shifted.action = "bc"
        #expect(base.canonicalContent != shifted.canonicalContent)
    }
}
