import Foundation
import HavenCore
import HavenData
import SQLKit

/// Alarm events from lone-worker devices and alarm receiving centres. They go through the same engine as the panic
/// button: the alarm, its first escalation step, the log, the audit and the stored event commit together, so an event
/// escalates exactly once however often the sender retries it.
extension LoneWorking {
    /// An event as the sender describes it; the device and integration have already been checked.
    public struct DeviceEvent: Sendable {
        public var kind: AlarmEventKind
        public var externalId: String?
        public var occurredAt: Date?
        public var latitude: Double?
        public var longitude: Double?
        public var audioAvailable: Bool
        public var detail: String

        public init(kind: AlarmEventKind, externalId: String? = nil, occurredAt: Date? = nil, latitude: Double? = nil, longitude: Double? = nil,
                    audioAvailable: Bool = false, detail: String = "") {
            self.kind = kind
            self.externalId = externalId
            self.occurredAt = occurredAt
            self.latitude = latitude
            self.longitude = longitude
            self.audioAvailable = audioAvailable
            self.detail = detail
        }
    }

    /// Acts on one event and returns what was stored; for a retried call with the same `externalId`, the first result
    /// and `repeated` true.
    /// - A test activation is recorded and audited; nothing escalates.
    /// - With the device's user on an open visit, the visit's alarm is raised from step 1, like the panic button; if an
    ///   alarm already stands, the event joins it (logged, nothing sent twice).
    /// - With no open visit, an alarm session is opened for the user on the device's unit, so the same board,
    ///   escalation, acknowledgement and resolution apply.
    public func receive(_ event: DeviceEvent, device: LoneWorkingDevice, integration: LoneWorkingIntegration, origin: Origin) async throws
        -> (event: AlarmEvent, repeated: Bool) {
        // Read before the write: the policy a new alarm session would use.
        let unitPolicy = try await store.policy(forUnit: device.unitId, organisationId: device.organisationId)
        do {
            return try await notifier.writeHandingOver(database) { db in
                try await receive(on: db, event, device: device, integration: integration, unitPolicy: unitPolicy, origin: origin)
            }
        } catch {
            // Two copies of one event racing on PostgreSQL: the unique index lets one commit; the other returns its result.
            if let external = event.externalId,
               let first = try await database.read({ db in try await LoneWorkingStore.alarmEvent(on: db, integrationId: integration.id, externalId: external) }) {
                return (first, true)
            }
            throw error
        }
    }

    private func receive(on db: any SQLDatabase, _ event: DeviceEvent, device: LoneWorkingDevice, integration: LoneWorkingIntegration,
                         unitPolicy: EscalationPolicy?, origin: Origin) async throws -> (event: AlarmEvent, repeated: Bool) {
        let dialect = database.dialect
        // Two events for one worker at the same moment (a fall and then no movement, or two ARCs, or one event sent
        // twice) must not both find no open session and open two alarms: the worker's row is locked first (PostgreSQL;
        // SQLite has one writer), so the second waits, then sees the first: its repeat, or its alarm to join.
        try await LoneWorkingStore.lockWorker(on: db, dialect: dialect, workerId: device.userId, organisationId: device.organisationId)
        if let external = event.externalId,
           let existing = try await LoneWorkingStore.alarmEvent(on: db, integrationId: integration.id, externalId: external) {
            return (existing, true)
        }
        let now = clock.now()
        var record = AlarmEvent(id: Identifier.make(), organisationId: device.organisationId, integrationId: integration.id, deviceId: device.id,
                                userId: device.userId, kind: event.kind, externalId: event.externalId, occurredAt: event.occurredAt ?? now,
                                receivedAt: now, latitude: event.latitude, longitude: event.longitude, audioAvailable: event.audioAvailable,
                                detail: event.detail, sessionId: nil, result: .testRecorded)
        var what = "\(event.kind.displayName) from device \(device.reference) (\(integration.name))"
        if event.audioAvailable { what += "; the ARC has audio" }
        if !event.detail.isEmpty { what += ": \(event.detail)" }

        if event.kind.escalates {
            if let (session, timerId) = try await LoneWorkingStore.openSession(on: db, dialect: dialect, workerId: device.userId,
                                                                               organisationId: device.organisationId) {
                record.sessionId = session.id
                if session.state == .alarm {
                    record.result = .joinedAlarm
                    try await Self.log(on: db, dialect: dialect, session, .alarm, origin: origin, detail: what + ". The alarm already stands: nothing sent again",
                                       auditAction: "lone-working.session.alarm-joined", now: now)
                } else {
                    record.result = .alarmRaised
                    var updated = session
                    updated.state = .alarm
                    updated.alarmAt = now
                    updated.escalationStep = 0
                    updated.acknowledgedBy = nil
                    updated.acknowledgedAt = nil
                    if let latitude = event.latitude, let longitude = event.longitude { (updated.latitude, updated.longitude) = (latitude, longitude) }
                    // Stored first, so the step messages can name the device (deviceCause).
                    try await LoneWorkingStore.insert(on: db, record)
                    try await raiseAlarm(on: db, updated, previousTimer: timerId, detail: what, origin: origin, now: now)
                }
            } else {
                record.result = .sessionOpened
                let policy = unitPolicy ?? EscalationPolicy.builtIn(organisationId: device.organisationId)
                let session = LoneWorkSession(
                    id: Identifier.make(), organisationId: device.organisationId, workerId: device.userId, unitId: device.unitId,
                    location: event.detail.isEmpty ? "Not on a planned visit (device \(device.reference))" : String(event.detail.prefix(500)),
                    latitude: event.latitude, longitude: event.longitude, visitKind: .other, policyId: unitPolicy?.id, policy: policy,
                    startedAt: now, expectedEndAt: now, state: .alarm, alarmAt: now)
                record.sessionId = session.id
                try await LoneWorkingStore.insert(on: db, session, timerId: nil, now: now)
                try await Self.log(on: db, dialect: dialect, session, .started, origin: origin,
                                   detail: "Opened by a device alarm: \(device.reference) was not on a visit", now: now)
                try await LoneWorkingStore.insert(on: db, record)
                try await raiseAlarm(on: db, session, previousTimer: nil, detail: what, origin: origin, now: now)
            }
        }
        if record.result == .testRecorded || record.result == .joinedAlarm { try await LoneWorkingStore.insert(on: db, record) }
        try await AuditLog.append(on: db, dialect: dialect, origin: origin, action: "lone-working.alarm-event.\(record.result.rawValue)",
                                  entity: "lone-working-device", entityId: device.id,
                                  changes: ["event": event.kind.rawValue, "integrationId": integration.id, "sessionId": record.sessionId ?? ""], at: now)
        return (record, false)
    }

    /// The alarm as the panic button raises it: logged, the alarm webhook and step 1 staged at once, the next timer set,
    /// and the timer the session had before completed so it cannot wake it.
    private func raiseAlarm(on db: any SQLDatabase, _ session: LoneWorkSession, previousTimer: String?, detail: String, origin: Origin,
                            now: Date) async throws {
        try await Self.log(on: db, dialect: database.dialect, session, .alarm, origin: origin, detail: detail, now: now)
        try await stageAlarmWebhook(on: db, session, silent: false, now: now)
        let (next, nextTimer) = try await escalate(on: db, session, now: now)
        if let previousTimer, previousTimer != nextTimer {
            try await db.raw("UPDATE timers SET completed_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: previousTimer) AND completed_at IS NULL").run()
        }
        try await LoneWorkingStore.update(on: db, next, timerId: nextTimer, now: now)
    }
}

extension LoneWorking {
    /// The device event that raised the session's standing alarm, if a device raised it (it was received at the alarm's
    /// very time), so each step's message says "fall detected" rather than "pressed the panic button".
    func deviceCause(on db: any SQLDatabase, _ session: LoneWorkSession) async throws -> (kind: AlarmEventKind, reference: String)? {
        guard let alarmAt = session.alarmAt else { return nil }
        guard let row = try await db.raw("""
            SELECT e.kind, d.device_ref FROM lone_working_alarm_events e JOIN lone_working_devices d ON d.id = e.device_id
            WHERE e.session_id = \(bind: session.id) AND e.received_at = \(bind: alarmAt.epochMilliseconds)
              AND e.result IN ('alarm-raised', 'session-opened')
            """).first() else { return nil }
        return (AlarmEventKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .panic, try row.decode(column: "device_ref", as: String.self))
    }
}
