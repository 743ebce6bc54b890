import Foundation
import HavenCore
import Testing

@Suite("Redaction and retention rules")
struct RedactionTests {
    @Test("E-mail addresses, phone and record numbers and the report's own identifiers leave the text; dates, times and counts stay")
    func scrub() {
        let text = "Mr X (RX-4471) rang 07700 900123 and +44 (0)20 7946 0000, wrote to jo.bloggs@example.org. NHS 943 476 5919. "
            + "Sam Smith saw it; Smith called security at 14:30 on 2026-11-20 (28.11.2026), 3 staff, bay 12. Samuel was not there."
        let scrubbed = Redaction.scrub(text, removing: ["RX-4471"] + Redaction.names(in: "Sam Smith and Priya Patel"))
        for gone in ["RX-4471", "07700", "900123", "7946", "jo.bloggs", "example.org", "943 476 5919", "Sam Smith", "Smith called"] {
            #expect(!scrubbed.contains(gone), "\(gone) is still in: \(scrubbed)")
        }
        for kept in ["14:30", "2026-11-20", "28.11.2026", "3 staff", "bay 12", "Samuel was not there", "called security"] {
            #expect(scrubbed.contains(kept), "\(kept) was lost: \(scrubbed)")
        }
        #expect(scrubbed.contains(Redaction.emailMark) && scrubbed.contains(Redaction.numberMark) && scrubbed.contains(Redaction.identifierMark))
        #expect(Redaction.scrub("Kicked in the day room at 9pm") == "Kicked in the day room at 9pm")
        #expect(Redaction.scrub("Sent to a@b.co.") == "Sent to \(Redaction.emailMark).", "the full stop ends the sentence, not the address")
    }

    @Test("Each rule pack has a legal minimum that a setting may not go below, and a documented default")
    func minimums() {
        #expect(RetentionPolicy.rule(for: .incidents, rulePack: .california).minimumYears == 5, "§3342(h), SB 553")
        #expect(RetentionPolicy.rule(for: .useOfForce, rulePack: .england).minimumYears == 3, "Use of Force Act s6(6)")
        var errors = FieldErrors()
        #expect(RetentionPolicy.years("4", for: .incidents, rulePack: .california, into: &errors) == nil)
        #expect(errors["incidents"]?.contains("at least 5 years") == true)
        errors = FieldErrors()
        #expect(RetentionPolicy.years("ten", for: .useOfForce, rulePack: .england, into: &errors) == nil && errors["useOfForce"] != nil)
        errors = FieldErrors()
        #expect(RetentionPolicy.years("-1", for: .incidents, rulePack: .england, into: &errors) == nil && errors["incidents"]?.contains("negative") == true)
        errors = FieldErrors()
        #expect(RetentionPolicy.years(" 7 ", for: .incidents, rulePack: .england, into: &errors) == 7 && errors.isEmpty)
        #expect(RetentionPolicy.effectiveYears(3, for: .incidents, rulePack: .california) == 5, "a setting made under a laxer pack never wins")
        #expect(RetentionPolicy.effectiveYears(nil, for: .incidents, rulePack: .england) == 10)
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        #expect(RetentionPolicy.cutoff(now: now, years: 10).iso8601.prefix(10) == "2016-11-18", "2026-11-18, ten calendar years back")
    }
}
