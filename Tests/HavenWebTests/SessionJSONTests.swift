import Foundation
import HavenCore
@testable import HavenWeb
import Testing

/// A lone-working session's answer is written by hand for speed; it must stay the text JSONEncoder made of it.
@Suite("Lone working: a session's JSON, written by hand")
struct SessionJSONTests {
    let now = Date(timeIntervalSince1970: 1_798_761_600.125)

    func base() -> SessionJSON {
        let session = LoneWorkSession(
            id: "s-1", organisationId: "o", workerId: "w", unitId: "oak", location: "12 High St", visitKind: .homeVisit,
            buddyId: "b", policyId: nil, policy: .builtIn(organisationId: "o"), startedAt: now, expectedEndAt: now + 3600,
            state: .active, escalationStep: 0, alarmAt: nil, duress: false, endedAt: nil)
        let manager = Actor(userId: "m", organisationId: "o", roles: [.manager], unitIds: ["oak"])
        return SessionJSON(session, viewer: manager, now: now)
    }

    func handWritten(_ session: SessionJSON) -> String {
        var json = JSONObjectWriter()
        session.write(to: &json)
        return String(buffer: json.finished())
    }

    func encoded(_ session: SessionJSON) throws -> String {
        String(decoding: try JSONEncoder.api.encode(session), as: UTF8.self)
    }

    @Test("Every member set, none set, and 500 mixtures: the same text as JSONEncoder.api")
    func sameAsEncoder() throws {
        var generator = SeededGenerator(seed: 7)
        let texts = ["", "plain", "quote \" and \\ backslash", "line\nbreak\ttab", "\u{0}\u{1F}\u{7F}", "é e\u{301} 😀", "a/b <c>"]
        let numbers: [Double] = [0, -0.0, 1, -1, 51.5, -0.1276, 89.999999, -179.123456789, 1e-7, 12.0, 0.000123, 45.25]
        func text() -> String { texts.randomElement(using: &generator)! }
        func maybe<T>(_ value: T) -> T? { Bool.random(using: &generator) ? value : nil }
        func date() -> Date { now + Double(Int.random(in: -86_400_000...86_400_000, using: &generator)) / 1000 }

        var all = base()
        (all.latitude, all.longitude, all.alarmAt, all.lastCheckInAt) = (51.5, -0.1276, now, now + 1.5)
        (all.acknowledgedBy, all.acknowledgedAt, all.endedAt, all.resolvedBy, all.resolvedAt, all.outcome) = ("m", now, now, "m", now, "safe")
        (all.buddyId, all.backupBuddyId, all.escalationPolicyId, all.checklist) = ("b", "bb", "p", ["keys", "phone charged"])
        var none = base()
        (none.buddyId, none.checklist) = (nil, [])
        #expect(handWritten(all) == (try encoded(all)))
        #expect(handWritten(none) == (try encoded(none)))

        for round in 0..<500 {
            var session = base()
            session.location = text(); session.risks = text(); session.vehicle = text(); session.statusLabel = text()
            session.checklist = (0..<Int.random(in: 0...3, using: &generator)).map { _ in text() }
            session.latitude = maybe(numbers.randomElement(using: &generator)!)
            session.longitude = maybe(Double.random(in: -180...180, using: &generator))
            session.buddyId = maybe(text()); session.backupBuddyId = maybe(text()); session.escalationPolicyId = maybe(text())
            session.graceSeconds = Int.random(in: 0...86_400, using: &generator)
            session.escalationStep = Int.random(in: 0...9, using: &generator)
            session.duress = Bool.random(using: &generator)
            session.startedAt = date(); session.expectedEndAt = date(); session.dueAt = date()
            session.alarmAt = maybe(date()); session.lastCheckInAt = maybe(date()); session.acknowledgedAt = maybe(date())
            session.endedAt = maybe(date()); session.resolvedAt = maybe(date())
            session.acknowledgedBy = maybe(text()); session.resolvedBy = maybe(text()); session.outcome = maybe(text())
            let expected = try encoded(session)
            #expect(handWritten(session) == expected, "round \(round)")
        }
    }
}

/// The same mixtures on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
