import Foundation
import HavenCore
import HavenData
import HummingbirdBcrypt
import NIOPosix
import SQLKit

/// Why a lone-working request changed nothing.
public enum LoneWorkingError: Error, Equatable, Sendable {
    case notFound
    /// Someone else's session, or a monitor's action without monitor rights.
    case forbidden
    /// The session is not in a state that allows it (an ended session cannot be checked in on).
    case conflict(String)
}

/// The lone-worker engine. The database is the truth: each session row holds its state, how far its escalation
/// has gone and the id of the one timer that may move it on. Every change locks the row (PostgreSQL) or runs in the
/// single writer (SQLite), and commits the state, the log entry, the audit event, the staged notifications and the
/// next timer together; a timer whose id is no longer the session's does nothing. So each step is sent exactly
/// once, even if a timer runs twice (two instances, or a crash between the commit and the timer's completion).
public struct LoneWorking: Sendable {
    public static let timerKind = "lone-working"

    let database: Database
    public let store: LoneWorkingStore
    let users: UserStore
    let organisations: OrganisationStore
    let notifier: Notifier
    let clock: any HavenClock
    let bcryptCost: UInt8

    public init(database: Database, store: LoneWorkingStore, users: UserStore, organisations: OrganisationStore, notifier: Notifier,
                clock: any HavenClock, bcryptCost: UInt8) {
        self.database = database
        self.store = store
        self.users = users
        self.organisations = organisations
        self.notifier = notifier
        self.clock = clock
        self.bcryptCost = bcryptCost
    }

    /// What a worker fills in to start a visit.
    public struct Start: Sendable {
        public var unitId: String
        public var location: String
        public var latitude: Double?
        public var longitude: Double?
        public var visitKind: VisitKind
        public var risks: String
        public var checklist: [String]
        public var vehicle: String
        public var buddyId: String?
        public var backupBuddyId: String?
        public var expectedEndAt: Date
        public var policyId: String?

        public init(unitId: String, location: String, latitude: Double? = nil, longitude: Double? = nil, visitKind: VisitKind, risks: String = "",
                    checklist: [String] = [], vehicle: String = "", buddyId: String? = nil, backupBuddyId: String? = nil,
                    expectedEndAt: Date, policyId: String? = nil) {
            self.unitId = unitId
            self.location = location
            self.latitude = latitude
            self.longitude = longitude
            self.visitKind = visitKind
            self.risks = risks
            self.checklist = checklist
            self.vehicle = vehicle
            self.buddyId = buddyId
            self.backupBuddyId = backupBuddyId
            self.expectedEndAt = expectedEndAt
            self.policyId = policyId
        }
    }

    // MARK: The worker

    /// Starts a visit and schedules its due timer (expected end plus the policy's grace). Field errors name the input.
    public func start(_ start: Start, worker: User, origin: Origin) async throws -> LoneWorkSession {
        let now = clock.now()
        var errors = FieldErrors()
        LoneWorkingRules.checkExpectedEnd(start.expectedEndAt, now: now, field: "expectedEndAt", into: &errors)
        if try await organisations.unit(id: start.unitId, organisationId: worker.organisationId) == nil {
            errors.add("unitId", "Choose your team or unit")
        }
        for (field, id) in [("buddyId", start.buddyId), ("backupBuddyId", start.backupBuddyId)] {
            guard let id else { continue }
            if id == worker.id { errors.add(field, "Your buddy must be someone else") }
            else if try await users.find(id: id, organisationId: worker.organisationId)?.user.active != true { errors.add(field, "Choose a colleague from the list") }
        }
        if let buddy = start.buddyId, buddy == start.backupBuddyId { errors.add("backupBuddyId", "The backup buddy must be a different person") }
        var policy: EscalationPolicy?
        if let policyId = start.policyId {
            policy = try await store.policy(id: policyId, organisationId: worker.organisationId)
            if policy == nil { errors.add("escalationPolicyId", "No such escalation policy") }
        }
        try errors.throwIfAny()
        if policy == nil { policy = try await store.policy(forUnit: start.unitId, organisationId: worker.organisationId) }
        let chosen = policy ?? EscalationPolicy.builtIn(organisationId: worker.organisationId)
        let session = LoneWorkSession(id: Identifier.make(), organisationId: worker.organisationId, workerId: worker.id, unitId: start.unitId,
                                      location: start.location, latitude: start.latitude, longitude: start.longitude, visitKind: start.visitKind,
                                      risks: start.risks, checklist: start.checklist, vehicle: start.vehicle, buddyId: start.buddyId,
                                      backupBuddyId: start.backupBuddyId, policyId: policy?.id, policy: chosen, startedAt: now,
                                      expectedEndAt: start.expectedEndAt)
        let dialect = database.dialect
        try await database.write { db in
            let timerId = try await TimerStore.schedule(on: db, organisationId: session.organisationId, kind: Self.timerKind, subjectId: session.id,
                                                        dueAt: session.dueAt, now: now)
            try await LoneWorkingStore.insert(on: db, session, timerId: timerId, now: now)
            try await Self.log(on: db, dialect: dialect, session, .started, origin: origin, detail: "Due back by \(session.expectedEndAt.iso8601)", now: now)
        }
        notifier.scheduled()
        return session
    }

    /// "Still here": moves the expected end on (from now if it had passed) and puts the due timer back. A check-in while
    /// overdue stops the escalation: the worker has answered. An alarm is for a monitor to resolve (409).
    public func checkIn(_ id: String, actor: Actor, extendBy seconds: Int?, latitude: Double? = nil, longitude: Double? = nil,
                        origin: Origin) async throws -> LoneWorkSession {
        // The write's only new work is the session's due timer (one due now is handed over, which wakes the loop).
        let checkedIn = try await transition(id, actor: actor, origin: origin, wake: false) { db, session, timerId, now in
            guard LoneWorkingAccess.isWorker(session, actor) else { throw LoneWorkingError.forbidden }
            guard session.state == .active || session.state == .overdue else { throw LoneWorkingError.conflict(Self.closedMessage(session)) }
            var updated = session
            updated.expectedEndAt = max(session.expectedEndAt, now) + TimeInterval(seconds ?? 0)
            var errors = FieldErrors()
            if updated.expectedEndAt.timeIntervalSince(now) > LoneWorkingRules.longestSession {
                errors.add("extendBySeconds", "The expected end must be within 24 hours")
            }
            try errors.throwIfAny()
            updated.lastCheckInAt = now
            if let latitude, let longitude { (updated.latitude, updated.longitude) = (latitude, longitude) }
            let wasOverdue = session.state == .overdue
            updated.state = .active
            updated.escalationStep = 0
            // The session's timer is moved to the new due time where nobody holds it; otherwise a new one replaces it.
            let newTimer = if let timerId, try await TimerStore.move(on: db, id: timerId, to: updated.dueAt, now: now) { timerId } else {
                try await TimerStore.schedule(on: db, organisationId: session.organisationId, kind: Self.timerKind, subjectId: session.id,
                                              dueAt: updated.dueAt, now: now)
            }
            try await Self.log(on: db, dialect: database.dialect, updated, .checkIn, origin: origin,
                               detail: (wasOverdue ? "Checked in while overdue: escalation stopped. " : "") + "Due back by \(updated.expectedEndAt.iso8601)",
                               now: now)
            return (updated, newTimer)
        }
        notifier.timerScheduled(dueAt: checkedIn.dueAt)
        return checkedIn
    }

    /// Ends the visit. With the duress PIN the answer is the same as a normal end (the caller gets the session as
    /// the worker sees it), but a silent alarm escalates from step 1 at once.
    public func end(_ id: String, actor: Actor, pin: String?, origin: Origin) async throws -> LoneWorkSession {
        var duress = false
        if let pin {
            // Bcrypt reads at most 72 bytes; a PIN is 4 to 12 digits, so anything else is simply wrong.
            guard (4...12).contains(pin.count), pin.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw FieldErrors("pin", "That PIN is not right")
            }
            guard let hashes = try await store.pins(userId: actor.userId, organisationId: actor.organisationId) else {
                throw FieldErrors("pin", "Set up your PINs before ending with one")
            }
            // Both hashes are always checked, so the answer takes as long whichever PIN was typed.
            let normal = try await verify(pin, hashes.pin), silent = try await verify(pin, hashes.duress)
            guard normal || silent else { throw FieldErrors("pin", "That PIN is not right") }
            duress = silent
        }
        let isDuress = duress
        let session = try await transition(id, actor: actor, origin: origin) { db, session, _, now in
            guard LoneWorkingAccess.isWorker(session, actor) else { throw LoneWorkingError.forbidden }
            guard session.state == .active || session.state == .overdue else { throw LoneWorkingError.conflict(Self.closedMessage(session)) }
            var updated = session
            updated.endedAt = now
            if isDuress {
                updated.state = .alarm
                updated.duress = true
                updated.alarmAt = now
                updated.escalationStep = 0
                // The audit says "ended" too: only the session log, which monitors read, says it was a duress PIN.
                try await Self.log(on: db, dialect: database.dialect, updated, .alarm, origin: origin, detail: "Silent alarm: ended with the duress PIN",
                                   auditAction: "lone-working.session.end", now: now)
                try await stageAlarmWebhook(on: db, updated, silent: true, now: now)
                return try await escalate(on: db, updated, now: now)
            }
            updated.state = .ended
            try await Self.log(on: db, dialect: database.dialect, updated, .ended, origin: origin,
                               detail: session.state == .overdue ? "Ended while overdue: escalation stopped" : "Ended safely", now: now)
            return (updated, nil)
        }
        return session.asSeenByWorker
    }

    /// The panic button: escalation from step 1 at once, no grace. A second press while the alarm stands changes nothing.
    public func alarm(_ id: String, actor: Actor, latitude: Double? = nil, longitude: Double? = nil, origin: Origin) async throws -> LoneWorkSession {
        try await transition(id, actor: actor, origin: origin) { db, session, timerId, now in
            guard LoneWorkingAccess.isWorker(session, actor) else { throw LoneWorkingError.forbidden }
            guard session.state.isOpen else { throw LoneWorkingError.conflict(Self.closedMessage(session)) }
            if session.state == .alarm { return nil }
            var updated = session
            updated.state = .alarm
            updated.alarmAt = now
            updated.escalationStep = 0
            updated.acknowledgedBy = nil
            updated.acknowledgedAt = nil
            if let latitude, let longitude { (updated.latitude, updated.longitude) = (latitude, longitude) }
            try await Self.log(on: db, dialect: database.dialect, updated, .alarm, origin: origin, detail: "Panic alarm", now: now)
            try await stageAlarmWebhook(on: db, updated, silent: false, now: now)
            return try await escalate(on: db, updated, now: now)
        }
    }

    // MARK: Monitors

    /// Someone has taken the alert on: escalation stops, and who and when are recorded.
    public func acknowledge(_ id: String, actor: Actor, origin: Origin) async throws -> LoneWorkSession {
        try await transition(id, actor: actor, origin: origin) { db, session, _, now in
            guard LoneWorkingAccess.canAcknowledge(session, actor) else { throw LoneWorkingError.forbidden }
            guard session.state.isEscalating else {
                throw LoneWorkingError.conflict(session.state == .acknowledged ? "This alert has already been acknowledged"
                                                : "There is no alert to acknowledge on this session")
            }
            var updated = session
            updated.state = .acknowledged
            updated.acknowledgedBy = actor.userId
            updated.acknowledgedAt = now
            try await Self.log(on: db, dialect: database.dialect, updated, .acknowledged, origin: origin,
                               detail: "Acknowledged after step \(session.escalationStep)", now: now)
            try await notifier.stageWebhooks(on: db, organisationId: session.organisationId, event: .loneWorkingAcknowledged, sessionId: session.id,
                                             data: try await payload(on: db, updated, now: now, extra: ["acknowledgedBy": actor.userId]), now: now)
            return (updated, nil)
        }
    }

    /// Closes an alert with what happened (safe, false alarm, help sent).
    public func resolve(_ id: String, actor: Actor, outcome: SessionOutcome, note: String, origin: Origin) async throws -> LoneWorkSession {
        try await transition(id, actor: actor, origin: origin) { db, session, _, now in
            guard LoneWorkingAccess.canResolve(session, actor) else { throw LoneWorkingError.forbidden }
            guard session.state.isEscalating || session.state == .acknowledged else {
                throw LoneWorkingError.conflict(session.state.isOpen ? "There is no alert to resolve on this session" : Self.closedMessage(session))
            }
            var updated = session
            updated.state = .resolved
            updated.outcome = outcome
            updated.resolvedBy = actor.userId
            updated.resolvedAt = now
            if updated.acknowledgedAt == nil { (updated.acknowledgedBy, updated.acknowledgedAt) = (actor.userId, now) }
            try await Self.log(on: db, dialect: database.dialect, updated, .resolved, origin: origin,
                               detail: outcome.displayName + (note.isEmpty ? "" : ": " + note), now: now)
            try await notifier.stageWebhooks(on: db, organisationId: session.organisationId, event: .loneWorkingResolved, sessionId: session.id,
                                             data: try await payload(on: db, updated, now: now, extra: ["outcome": outcome.rawValue, "resolvedBy": actor.userId]),
                                             now: now)
            return (updated, nil)
        }
    }

    // MARK: The timer

    /// Runs a session's timer: at the due time the session becomes overdue and step 1 goes out; at each later one the
    /// next step. A timer that is not the session's current one (superseded by a check-in, or run a second time) does nothing.
    public func handle(_ timer: DueTimer) async throws {
        let origin = Origin(organisationId: timer.organisationId, actorId: nil)
        _ = try await notifier.writeHandingOver(database) { [database] db -> Bool in
            guard let found = try await LoneWorkingStore.session(on: db, dialect: database.dialect, id: timer.subjectId,
                                                                organisationId: timer.organisationId),
                  found.timerId == timer.id else { return false }
            let session = found.session
            let now = clock.now()
            var updated = session
            switch session.state {
            case .active:
                updated.state = .overdue
                updated.escalationStep = 0
                try await Self.log(on: db, dialect: database.dialect, updated, .overdue, origin: origin,
                                   detail: "Not back by \(session.expectedEndAt.iso8601) plus \(session.policy.graceSeconds) s grace", now: now)
                try await notifier.stageWebhooks(on: db, organisationId: session.organisationId, event: .loneWorkingOverdue, sessionId: session.id,
                                                 data: try await payload(on: db, updated, now: now), now: now)
            case .overdue, .alarm:
                break
            case .acknowledged, .ended, .resolved:
                try await LoneWorkingStore.update(on: db, session, timerId: nil, now: now)
                return false
            }
            let (next, nextTimer) = try await escalate(on: db, updated, now: now)
            try await LoneWorkingStore.update(on: db, next, timerId: nextTimer, now: now)
            return true
        }
    }

    // MARK: Inside the transaction

    /// Sends the next step (skipping at once any step with nobody to tell, so a missing buddy delays nobody) and
    /// returns the session with the timer for the step after it, or nil after the last step.
    func escalate(on db: any SQLDatabase, _ session: LoneWorkSession, now: Date) async throws -> (LoneWorkSession, String?) {
        var updated = session
        let steps = session.policy.steps
        var number = session.escalationStep + 1
        while number <= steps.count {
            let step = steps[number - 1]
            // The worker is never told about their own alarm: a silent alarm must stay silent on their phone.
            let contacts = try await LoneWorkingStore.contacts(on: db, step: step, session: session).filter { $0.id != session.workerId }
            updated.escalationStep = number
            let last = number == steps.count
            let message = try await stepMessage(on: db, updated, last: last)
            for contact in contacts {
                try await notifier.stage(on: db, to: contact, channels: step.channels, message, now: now)
            }
            let stepData = try await payload(on: db, updated, now: now,
                                             extra: ["step": String(number), "lastStep": String(last), "recipient": step.who.rawValue])
            let centre = try await callableCentre(on: db, step: step, session: session)
            if let centre {
                try await notifier.stageCall(on: db, to: centre, event: .loneWorkingEscalation, sessionId: session.id,
                                             data: stepData.merging(Self.callDetails(centre, message: message)) { $1 }, now: now)
            }
            let told = if let centre { "alarm receiving centre \(centre.name)" }
                else if contacts.isEmpty { step.who == .webhook ? "webhooks" : "nobody to tell (\(step.who.rawValue))" }
                else { contacts.map(\.name).joined(separator: ", ") }
            try await Self.log(on: db, dialect: database.dialect, updated, .escalation, step: number,
                               origin: Origin(organisationId: session.organisationId, actorId: nil),
                               detail: "Step \(number) of \(steps.count): \(told)", now: now)
            try await notifier.stageWebhooks(on: db, organisationId: session.organisationId, event: .loneWorkingEscalation, sessionId: session.id,
                                             data: stepData, now: now)
            if contacts.isEmpty && centre == nil && step.who != .webhook && !last {
                number += 1
                continue
            }
            guard !last else { return (updated, nil) }
            let timerId = try await TimerStore.schedule(on: db, organisationId: session.organisationId, kind: Self.timerKind, subjectId: session.id,
                                                        dueAt: now + TimeInterval(step.waitSeconds), now: now)
            return (updated, timerId)
        }
        return (updated, nil)
    }

    /// The alarm receiving centre an `alarm-receiving-centre` step calls, when it can still be called (not revoked,
    /// with an address); otherwise the step has nobody to tell and is skipped like a missing buddy.
    func callableCentre(on db: any SQLDatabase, step: EscalationStep, session: LoneWorkSession) async throws -> LoneWorkingIntegration? {
        guard step.who == .alarmReceivingCentre, let id = step.integrationId,
              let centre = try await LoneWorkingStore.integration(on: db, id: id, organisationId: session.organisationId), centre.callable
        else { return nil }
        return centre
    }

    /// What an ARC controller needs beyond the step's payload: the message the monitors get, and the URN to quote to
    /// the police (REFERENCE §8: a Level 1 response is given to calls under a URN).
    static func callDetails(_ centre: LoneWorkingIntegration, message: Notifier.Message) -> [String: String] {
        var details = ["message": message.body, "title": message.title, "level1Response": String(centre.level1Response)]
        if !centre.policeURN.isEmpty { details["policeUrn"] = centre.policeURN }
        return details
    }

    func stageAlarmWebhook(on db: any SQLDatabase, _ session: LoneWorkSession, silent: Bool, now: Date) async throws {
        try await notifier.stageWebhooks(on: db, organisationId: session.organisationId, event: .loneWorkingAlarm, sessionId: session.id,
                                         data: try await payload(on: db, session, now: now, extra: ["silent": String(silent)]), now: now)
    }

    func stepMessage(on db: any SQLDatabase, _ session: LoneWorkSession, last: Bool) async throws -> Notifier.Message {
        let worker = try await workerName(on: db, session)
        let what: String
        if session.state == .alarm {
            if session.duress { what = "\(worker) raised a silent alarm (duress PIN). Do not call their phone openly." }
            else if let device = try await deviceCause(on: db, session) { what = "\(device.kind.displayName) on \(worker)'s device \(device.reference)." }
            else { what = "\(worker) pressed the panic button." }
        } else {
            what = "\(worker) was due back at \(session.expectedEndAt.iso8601) and has not checked in."
        }
        var body = what + " Location: \(session.location)."
        if let lat = session.latitude, let lon = session.longitude { body += " Last position: \(lat), \(lon)." }
        if !session.vehicle.isEmpty { body += " Vehicle: \(session.vehicle)." }
        body += " Visit: \(session.visitKind.displayName)."
        if !session.risks.isEmpty { body += " Known risks: \(session.risks)." }
        body += last ? " This is the last step: if nobody can reach them, call the police (999) and give them these details."
            : " Try to reach them, then acknowledge in Haven so the escalation stops."
        let title = session.state == .alarm ? "Lone worker ALARM: \(worker)" : "Lone worker overdue: \(worker) (step \(session.escalationStep))"
        return Notifier.Message(title: title, body: body, link: "/lone-working/sessions/\(session.id)", event: .loneWorkingEscalation)
    }

    func workerName(on db: any SQLDatabase, _ session: LoneWorkSession) async throws -> String {
        try await db.raw("SELECT name FROM users WHERE id = \(bind: session.workerId)").first()?.decode(column: "name", as: String.self) ?? "A lone worker"
    }

    /// A webhook payload names the event's session, worker, step and time, and what a responder needs.
    func payload(on db: any SQLDatabase, _ session: LoneWorkSession, now: Date, extra: [String: String] = [:]) async throws -> [String: String] {
        var data: [String: String] = [
            "sessionId": session.id, "workerId": session.workerId, "workerName": try await workerName(on: db, session),
            "unitId": session.unitId, "state": session.state.rawValue, "step": String(session.escalationStep),
            "location": session.location, "vehicle": session.vehicle, "visitKind": session.visitKind.rawValue,
            "expectedEndAt": session.expectedEndAt.iso8601, "at": now.iso8601, "link": "/lone-working/sessions/\(session.id)",
        ]
        if let lat = session.latitude, let lon = session.longitude { data["position"] = "\(lat),\(lon)" }
        return data.merging(extra) { $1 }
    }

    /// Loads the session locked, lets `body` decide, and writes the result with its timer in one transaction. The
    /// superseded timer is completed so it never wakes the loop; were it to run anyway, its id no longer matches.
    func transition(_ id: String, actor: Actor, origin: Origin, wake: Bool = true,
                    _ body: @escaping @Sendable (any SQLDatabase, LoneWorkSession, String?, Date) async throws -> (LoneWorkSession, String?)?)
        async throws -> LoneWorkSession {
        let dialect = database.dialect
        let clock = self.clock
        return try await notifier.writeHandingOver(database, wake: wake) { db -> LoneWorkSession in
            guard let found = try await LoneWorkingStore.session(on: db, dialect: dialect, id: id, organisationId: actor.organisationId)
            else { throw LoneWorkingError.notFound }
            let (session, timerId) = found
            let now = clock.now()
            guard let result = try await body(db, session, timerId, now) else { return session }
            let (updated, newTimer) = result
            if let timerId, timerId != newTimer {
                try await db.raw("UPDATE timers SET completed_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: timerId) AND completed_at IS NULL").run()
            }
            try await LoneWorkingStore.update(on: db, updated, timerId: newTimer, now: now)
            return updated
        }
    }

    /// One entry in the session log and one in the audit trail, in the caller's transaction.
    static func log(on db: any SQLDatabase, dialect: Dialect, _ session: LoneWorkSession, _ kind: SessionEventKind, step: Int? = nil,
                    origin: Origin, detail: String, auditAction: String? = nil, now: Date) async throws {
        try await LoneWorkingStore.insert(on: db, SessionEvent(id: Identifier.make(), sessionId: session.id, kind: kind, step: step,
                                                               actorId: origin.actorId, detail: detail, createdAt: now),
                                          organisationId: session.organisationId)
        var changes = ["state": session.state.rawValue]
        if let step { changes["step"] = String(step) }
        try await AuditLog.append(on: db, dialect: dialect, origin: origin, action: auditAction ?? "lone-working.session.\(kind.rawValue)",
                                  entity: "lone-working-session", entityId: session.id, changes: changes, at: now)
    }

    static func closedMessage(_ session: LoneWorkSession) -> String {
        switch session.state {
        case .ended, .resolved: "This session has ended"
        case .alarm: "An alarm is raised on this session: a monitor will resolve it"
        case .acknowledged: "This session's alert has been acknowledged: a monitor will resolve it"
        case .active, .overdue: "This session cannot be changed now"
        }
    }

    // MARK: PINs

    /// Sets the PIN and the duress PIN (4 to 12 digits each, different from each other), hashed with bcrypt like passwords.
    public func setPins(pin: String, duressPin: String, user: User, origin: Origin) async throws {
        var errors = FieldErrors()
        LoneWorkingRules.checkPins(pin: pin, duressPin: duressPin, into: &errors)
        try errors.throwIfAny()
        let cost = bcryptCost
        let (pinHash, duressHash) = try await NIOThreadPool.singleton.runIfActive { (Bcrypt.hash(pin, cost: cost), Bcrypt.hash(duressPin, cost: cost)) }
        try await store.setPins(userId: user.id, organisationId: user.organisationId, pinHash: pinHash, duressHash: duressHash, origin: origin)
    }

    public func hasPins(_ user: User) async throws -> Bool {
        try await store.pins(userId: user.id, organisationId: user.organisationId) != nil
    }

    func verify(_ pin: String, _ hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(pin, hash: hash) }
    }
}
