import Foundation
import HavenCore
import HavenData
import HavenTestSupport
import SQLKit
import Testing

/// The s9 investigation store on both databases: opening once, the list's order and filters, saves conditional on
/// the version read, reopening, following a moved episode, and the one reminder of an overdue investigation.
@Suite("Use of force: the investigation store")
struct UseOfForceInvestigationStoreTests {
    let episodes = UseOfForceStoreTests()
    static let now = UseOfForceStoreTests.now
    static let day: TimeInterval = 86_400

    func count(_ database: Database, _ action: String) async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM audit_events WHERE action = \(bind: action)").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Two recorded episodes with a serious injury (OAK and ELM) and their investigations, the OAK one opened first.
    func setUp(_ database: Database) async throws
        -> (store: UseOfForceInvestigationStore, organisationId: String, units: [String], origin: Origin, clock: ManualClock) {
        let (records, organisationId, units, userId, clock) = try await episodes.setUp(database)
        let origin = Origin(organisationId: organisationId, actorId: userId)
        let store = UseOfForceInvestigationStore(database: database, clock: clock)
        for (id, unit, ago) in [("oak", units[0], 7200.0), ("elm", units[1], 3600.0)] {
            let episode = try episodes.episode(id: id, organisationId: organisationId, unitId: unit, userId: userId, startedAgo: ago, prone: false)
            let opening = try #require(Investigation.opening(for: episode, targetDays: 60, now: clock.now(), makeId: { "inv-" + id }))
            let opened = OpenedFlag()
            try await records.record(episode, timeZone: UseOfForceStoreTests.london, origin: origin) { db in
                opened.set(try await UseOfForceInvestigationStore.open(on: db, opening, database: database, origin: origin))
            }
            #expect(opened.value, "the first opening of \(id) opens it")
            clock.advance(by: 60)
        }
        return (store, organisationId, units, origin, clock)
    }

    @Test("Opening is once per episode: a second opening changes nothing and is not audited")
    func opensOnce() async throws {
        try await TestDatabase.with { database in
            let (store, organisationId, _, origin, clock) = try await setUp(database)
            let first = try #require(try await store.investigation(episodeId: "oak", organisationId: organisationId))
            #expect(first.id == "inv-oak" && first.status == .open && first.harm == .seriousInjury)
            #expect(first.targetAt == first.openedAt + 60 * Self.day)
            let again = Investigation(id: "inv-other", organisationId: organisationId, episodeId: "oak", unitId: first.unitId, harm: .death,
                                      openedAt: clock.now(), targetAt: clock.now() + Self.day, updatedAt: clock.now())
            let opened = try await database.write { db in try await UseOfForceInvestigationStore.open(on: db, again, database: database, origin: origin) }
            #expect(!opened)
            #expect(try await store.investigation(episodeId: "oak", organisationId: organisationId) == first)
            #expect(try await count(database, "use-of-force.investigation-open") == 2)
            #expect(try await store.investigation(episodeId: "oak", organisationId: "elsewhere") == nil)
        }
    }

    @Test("The list puts open ones first by target, then closed ones newest first; filters by status, unit, remit and overdue")
    func list() async throws {
        try await TestDatabase.with { database in
            let (store, organisationId, units, origin, clock) = try await setUp(database)
            let all = try await store.list(organisationId: organisationId, .init())
            #expect(all.total == 2 && all.items.map(\.episodeId) == ["oak", "elm"], "soonest target first")

            var elm = try #require(try await store.investigation(episodeId: "elm", organisationId: organisationId))
            let version = elm.updatedAt
            elm.status = .concluded; elm.findings = "Hold was as trained"; elm.guidance = "Read"; elm.concludedAt = clock.now()
            elm.updatedAt = clock.now() + 1
            #expect(try await store.save(elm, readAt: version, fields: ["status", "findings"], origin: origin))

            #expect(try await store.list(organisationId: organisationId, .init(status: .concluded)).items.map(\.episodeId) == ["elm"])
            #expect(try await store.list(organisationId: organisationId, .init(unitId: units[0])).items.map(\.episodeId) == ["oak"])
            #expect(try await store.list(organisationId: organisationId, .init(unitIds: [units[1]])).items.map(\.episodeId) == ["elm"])
            #expect(try await store.list(organisationId: organisationId, .init(unitIds: [])).total == 0)
            var overdue = UseOfForceInvestigationStore.Filter()
            overdue.overdueOnly = true
            #expect(try await store.list(organisationId: organisationId, overdue).total == 0)
            clock.advance(by: 61 * Self.day)
            // Concluded is never overdue; the open OAK one is, in the list and in the count.
            #expect(try await store.list(organisationId: organisationId, overdue).items.map(\.episodeId) == ["oak"])
            #expect(try await store.overdueCount(organisationId: organisationId, unitIds: nil) == 1)
            #expect(try await store.overdueCount(organisationId: organisationId, unitIds: [units[1]]) == 0)
            #expect(try await store.overdueCount(organisationId: organisationId, unitIds: []) == 0)
        }
    }

    @Test("A save is conditional on the version read: the second of two saves from the same read changes nothing")
    func conditionalSave() async throws {
        try await TestDatabase.with { database in
            let (store, organisationId, _, origin, clock) = try await setUp(database)
            let read = try #require(try await store.investigation(episodeId: "oak", organisationId: organisationId))
            var mine = read, theirs = read
            mine.status = .investigating; mine.leadInvestigatorId = "lead-1"; mine.checklist = ["duty-of-candour"]; mine.updatedAt = clock.now() + 5
            theirs.learning = "Something else"; theirs.updatedAt = clock.now() + 6
            #expect(try await store.save(mine, readAt: read.updatedAt, fields: ["status", "leadInvestigatorId"], origin: origin))
            #expect(!(try await store.save(theirs, readAt: read.updatedAt, fields: ["learning"], origin: origin)))
            let stored = try #require(try await store.investigation(episodeId: "oak", organisationId: organisationId))
            #expect(stored.status == .investigating && stored.leadInvestigatorId == "lead-1" && stored.learning == nil)
            #expect(stored.checklist == ["duty-of-candour"])
            #expect(try await count(database, "use-of-force.investigation-update") == 1)
        }
    }

    @Test("Closed as not needed reopens when the record again says serious injury; it follows its episode to another unit")
    func reopenAndFollow() async throws {
        try await TestDatabase.with { database in
            let (store, organisationId, units, origin, clock) = try await setUp(database)
            var read = try #require(try await store.investigation(episodeId: "oak", organisationId: organisationId))
            let version = read.updatedAt
            read.status = .notNeeded; read.notNeededReason = "Record corrected: no injury"; read.updatedAt = clock.now() + 1
            #expect(try await store.save(read, readAt: version, fields: ["status", "notNeededReason"], origin: origin))
            try await database.write { db in
                try await UseOfForceInvestigationStore.reopenIfClosed(on: db, episodeId: "oak", harm: .seriousInjury, database: database,
                                                                     origin: origin, now: clock.now() + 2)
                try await UseOfForceInvestigationStore.follow(on: db, episodeId: "oak", unitId: units[1])
            }
            let reopened = try #require(try await store.investigation(episodeId: "oak", organisationId: organisationId))
            #expect(reopened.status == .open && reopened.notNeededReason == nil && reopened.unitId == units[1])
            #expect(try await count(database, "use-of-force.investigation-update") == 2)
            // An open one is left alone (nothing to reopen, nothing audited).
            try await database.write { db in
                try await UseOfForceInvestigationStore.reopenIfClosed(on: db, episodeId: "oak", harm: .death, database: database,
                                                                     origin: origin, now: clock.now() + 3)
            }
            #expect(try await count(database, "use-of-force.investigation-update") == 2)
        }
    }

    @Test("An overdue investigation is claimed for its reminder once, with the staging in the same write")
    func remindersOnce() async throws {
        try await TestDatabase.with { database in
            let (store, organisationId, _, _, clock) = try await setUp(database)
            let staged = StagedIds()
            let early = try await store.claimOverdue(organisationId: organisationId) { _, _ in staged.add(["early"]) }
            #expect(early.isEmpty)
            clock.advance(by: 61 * Self.day)
            let claimed = try await store.claimOverdue(organisationId: organisationId) { _, investigations in staged.add(investigations.map(\.episodeId)) }
            #expect(Set(claimed.map(\.episodeId)) == ["oak", "elm"])
            let again = try await store.claimOverdue(organisationId: organisationId) { _, _ in staged.add(["again"]) }
            #expect(again.isEmpty)
            #expect(staged.ids.sorted() == ["elm", "oak"], "staged once, only when something was claimed")
        }
    }
}

/// Whether an opening inside the record's write opened it.
private final class OpenedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = false
    func set(_ value: Bool) { lock.withLock { stored = value } }
    var value: Bool { lock.withLock { stored } }
}

/// What a claim's staging was handed, across the store's write.
private final class StagedIds: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func add(_ ids: [String]) { lock.withLock { stored += ids } }
    var ids: [String] { lock.withLock { stored } }
}
