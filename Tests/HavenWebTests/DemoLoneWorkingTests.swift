import Foundation
import HavenCore
import HavenData
import HavenServices
import HavenTestSupport
import SQLKit
import Testing

@Suite("haven demo --lone-working: the generator")
struct DemoLoneWorkingTests {
    @Test("Generated visits are open visits like started ones: the due ones escalate at their time, step 1 once each, the rest wait")
    func generatedVisitsEscalateLikeStartedOnes() async throws {
        try await TestDatabase.with { database in
            let clock = ManualClock(Date())
            let environment = HavenEnvironment(database: database, clock: clock, settings: .init(bcryptCost: 4), httpClient: .shared,
                                               logger: TestDatabase.logger)
            let organisation = try await DemoSeed.run(environment, password: "demo-password-123").organisation
            let from = clock.now() + 600
            let plan = DemoLoneWorking.Plan(count: 60, dueCount: 12, dueFrom: from, dueWithin: 60)
            let due = try await DemoLoneWorking.generate(environment, organisation: organisation, plan: plan, seed: 3)
            #expect(due.count == 12)
            #expect(due.allSatisfy { $0.dueAt >= from && $0.dueAt < from + 60 })
            #expect(due.map(\.dueAt) == due.map(\.dueAt).sorted())

            let store = environment.loneWorking.store
            let sessions = try await store.sessions(organisationId: organisation.id, .init(which: .open, limit: 500)).items
            #expect(sessions.count == 60 && sessions.allSatisfy { $0.state == .active && $0.buddyId != nil && $0.buddyId != $0.workerId })
            // Each visit has its one timer, due when the visit is, as starting it would have scheduled.
            let timers = try await database.read { db in
                try await db.raw("""
                    SELECT s.id, s.due_at AS session_due, t.due_at AS timer_due, t.kind FROM lone_working_sessions s JOIN timers t ON t.id = s.timer_id
                    WHERE t.completed_at IS NULL
                    """).all()
            }
            #expect(timers.count == 60)
            for row in timers {
                #expect(try row.decode(column: "session_due", as: Int64.self) == row.decode(column: "timer_due", as: Int64.self))
                #expect(try row.decode(column: "kind", as: String.self) == LoneWorking.timerKind)
            }
            let audit = try await database.read { db in
                try await db.raw("SELECT changes FROM audit_events WHERE action = 'lone-working.generate'").all()
            }
            #expect(audit.count == 1)

            clock.advance(by: 600 + 61)
            await environment.timerService.runDue()
            let dueIds = Set(due.map(\.id))
            for session in sessions {
                let steps = try await store.events(sessionId: session.id, organisationId: organisation.id).filter { $0.kind == .escalation }.compactMap(\.step)
                #expect(steps == (dueIds.contains(session.id) ? [1] : []), "visit \(session.id)")
            }
            let overdue = try await store.sessions(organisationId: organisation.id, .init(which: .open, limit: 500)).items.filter { $0.state == .overdue }
            #expect(Set(overdue.map(\.id)) == dueIds)
        }
    }
}
