import Foundation
import HavenCore
import SQLKit

/// The device register, the integrations that may post alarm events, and the events and rejected calls they made.
extension LoneWorkingStore {
    // MARK: Rejected calls

    /// Logs a refused alarm-event call (unknown token, bad signature). When the integration is known the refusal is
    /// also in its organisation's audit trail, since a forged alarm aimed at a real integration is a security event.
    public func recordRejection(integration: LoneWorkingIntegration?, reason: String, address: String, requestId: String?) async throws {
        let now = clock.now()
        try await database.write { [database] db in
            try await db.raw("""
                INSERT INTO lone_working_rejected_calls (id, organisation_id, integration_id, reason, address, received_at)
                VALUES (\(bind: Identifier.make()), \(bind: integration?.organisationId), \(bind: integration?.id), \(bind: reason),
                        \(bind: address), \(bind: now.epochMilliseconds))
                """).run()
            if let integration {
                try await database.audit(db, Origin(organisationId: integration.organisationId, actorId: nil, requestId: requestId, address: address),
                                         "lone-working.alarm-event.rejected", entity: "integration", id: integration.id,
                                         changes: ["reason": reason], at: now)
            }
        }
    }

    /// How long a refused call is kept: long enough to look into a device that kept failing or a run of forged calls.
    /// A refusal aimed at a real integration stays in its organisation's audit trail, which is never purged.
    public static let rejectedCallsKeptFor: TimeInterval = 90 * 86_400

    /// Deletes refused calls older than `rejectedCallsKeptFor`, in batches so no transaction holds the writer long.
    /// Anyone can make the server refuse a call, so without this the table would grow for as long as someone tried.
    @discardableResult
    public func purgeRejectedCalls(batch: Int = 5_000) async throws -> Int {
        let cutoff = (clock.now() - Self.rejectedCallsKeptFor).epochMilliseconds
        var deleted = 0
        while true {
            let count = try await database.write { db in
                try await db.raw("""
                    DELETE FROM lone_working_rejected_calls WHERE id IN (
                        SELECT id FROM lone_working_rejected_calls WHERE received_at < \(bind: cutoff) LIMIT \(unsafeRaw: String(batch)))
                    RETURNING id
                    """).all().count
            }
            deleted += count
            if count < batch { return deleted }
        }
    }

    /// The latest refused calls for an integration, newest first, for its page.
    public func rejections(integrationId: String, organisationId: String, limit: Int = 20) async throws -> [(reason: String, address: String, at: Date)] {
        try await database.read { db in
            try await db.raw("""
                SELECT reason, address, received_at FROM lone_working_rejected_calls
                WHERE integration_id = \(bind: integrationId) AND organisation_id = \(bind: organisationId)
                ORDER BY received_at DESC LIMIT \(unsafeRaw: String(max(1, min(limit, 200))))
                """).all().map { (try $0.string("reason"), try $0.string("address"), try $0.date("received_at")) }
        }
    }

    // MARK: Devices

    /// Adds or changes a device. A device id already registered to another active device names the field.
    public func save(_ device: LoneWorkingDevice, isNew: Bool, origin: Origin) async throws {
        let now = clock.now()
        try await database.write { [database] db in
            let clash = try await db.raw("""
                SELECT id FROM lone_working_devices WHERE organisation_id = \(bind: device.organisationId) AND device_ref = \(bind: device.reference)
                  AND id <> \(bind: device.id)
                """).first()
            if clash != nil { throw FieldErrors("deviceId", "A device with this id is already registered") }
            if isNew {
                try await db.raw("""
                    INSERT INTO lone_working_devices (id, organisation_id, device_ref, user_id, unit_id, supplier, bs8484_certified,
                        certificate_ref, active, issued_at, retired_at, updated_at)
                    VALUES (\(bind: device.id), \(bind: device.organisationId), \(bind: device.reference), \(bind: device.userId),
                            \(bind: device.unitId), \(bind: device.supplier), \(bind: device.bs8484Certified.storedFlag),
                            \(bind: device.certificateReference), \(bind: device.active.storedFlag), \(bind: device.issuedAt.epochMilliseconds),
                            \(bind: device.retiredAt?.epochMilliseconds), \(bind: now.epochMilliseconds))
                    """).run()
            } else {
                try await db.raw("""
                    UPDATE lone_working_devices SET device_ref = \(bind: device.reference), user_id = \(bind: device.userId),
                        unit_id = \(bind: device.unitId), supplier = \(bind: device.supplier),
                        bs8484_certified = \(bind: device.bs8484Certified.storedFlag), certificate_ref = \(bind: device.certificateReference),
                        active = \(bind: device.active.storedFlag), retired_at = \(bind: device.retiredAt?.epochMilliseconds),
                        updated_at = \(bind: now.epochMilliseconds)
                    WHERE id = \(bind: device.id) AND organisation_id = \(bind: device.organisationId)
                    """).run()
            }
            let action = isNew ? "create" : (device.active ? "update" : "retire")
            try await database.audit(db, origin, "lone-working.device.\(action)", entity: "lone-working-device", id: device.id,
                                     changes: ["deviceId": device.reference, "userId": device.userId, "unitId": device.unitId,
                                               "supplier": device.supplier, "bs8484Certified": String(device.bs8484Certified),
                                               "certificateReference": device.certificateReference, "active": String(device.active)], at: now)
        }
    }

    public func devices(organisationId: String) async throws -> [LoneWorkingDevice] {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM lone_working_devices WHERE organisation_id = \(bind: organisationId) ORDER BY active DESC, device_ref, id
                """).all().map(Self.decodeDevice)
        }
    }

    public func device(id: String, organisationId: String) async throws -> LoneWorkingDevice? {
        try await database.read { db in
            try await db.raw("SELECT * FROM lone_working_devices WHERE id = \(bind: id) AND organisation_id = \(bind: organisationId)")
                .first().map(Self.decodeDevice)
        }
    }

    /// The active device with this id or serial number.
    public func activeDevice(reference: String, organisationId: String) async throws -> LoneWorkingDevice? {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM lone_working_devices WHERE device_ref = \(bind: reference) AND organisation_id = \(bind: organisationId) AND active = 1
                """).first().map(Self.decodeDevice)
        }
    }

    static func decodeDevice(_ row: any SQLRow) throws -> LoneWorkingDevice {
        LoneWorkingDevice(id: try row.string("id"), organisationId: try row.string("organisation_id"), reference: try row.string("device_ref"),
                          userId: try row.string("user_id"), unitId: try row.string("unit_id"), supplier: try row.string("supplier"),
                          bs8484Certified: try row.flag("bs8484_certified"), certificateReference: try row.string("certificate_ref"),
                          active: try row.flag("active"), issuedAt: try row.date("issued_at"), retiredAt: try row.optionalDate("retired_at"))
    }

    // MARK: Alarm events

    public static func insert(on db: any SQLDatabase, _ event: AlarmEvent) async throws {
        try await db.raw("""
            INSERT INTO lone_working_alarm_events (id, organisation_id, integration_id, device_id, user_id, kind, external_id, occurred_at,
                received_at, latitude, longitude, audio_available, detail, session_id, result)
            VALUES (\(bind: event.id), \(bind: event.organisationId), \(bind: event.integrationId), \(bind: event.deviceId), \(bind: event.userId),
                    \(bind: event.kind.rawValue), \(bind: event.externalId), \(bind: event.occurredAt.epochMilliseconds),
                    \(bind: event.receivedAt.epochMilliseconds), \(bind: event.latitude), \(bind: event.longitude),
                    \(bind: event.audioAvailable.storedFlag), \(bind: event.detail), \(bind: event.sessionId), \(bind: event.result.rawValue))
            """).run()
        try await db.raw("""
            UPDATE lone_working_integrations SET last_used_at = \(bind: event.receivedAt.epochMilliseconds) WHERE id = \(bind: event.integrationId)
            """).run()
    }

    /// The event an integration already sent under this id, if any (a retried call).
    public static func alarmEvent(on db: any SQLDatabase, integrationId: String, externalId: String) async throws -> AlarmEvent? {
        try await db.raw("""
            SELECT * FROM lone_working_alarm_events WHERE integration_id = \(bind: integrationId) AND external_id = \(bind: externalId)
            """).first().map(decodeAlarmEvent)
    }

    public func alarmEvents(organisationId: String, deviceId: String? = nil, limit: Int = 50) async throws -> [AlarmEvent] {
        var device: SQLQueryString = ""
        if let deviceId { device = "AND device_id = \(bind: deviceId)" }
        return try await database.read { [device] db in
            try await db.raw("""
                SELECT * FROM lone_working_alarm_events WHERE organisation_id = \(bind: organisationId) \(device)
                ORDER BY received_at DESC, id LIMIT \(unsafeRaw: String(max(1, min(limit, 500))))
                """).all().map(Self.decodeAlarmEvent)
        }
    }

    static func decodeAlarmEvent(_ row: any SQLRow) throws -> AlarmEvent {
        AlarmEvent(id: try row.string("id"), organisationId: try row.string("organisation_id"), integrationId: try row.string("integration_id"),
                   deviceId: try row.string("device_id"), userId: try row.string("user_id"),
                   kind: AlarmEventKind(rawValue: try row.string("kind")) ?? .panic, externalId: try row.optionalString("external_id"),
                   occurredAt: try row.date("occurred_at"), receivedAt: try row.date("received_at"), latitude: try row.double("latitude"),
                   longitude: try row.double("longitude"), audioAvailable: try row.flag("audio_available"), detail: try row.string("detail"),
                   sessionId: try row.optionalString("session_id"),
                   result: AlarmEventResult(rawValue: try row.string("result")) ?? .alarmRaised)
    }

    /// Holds the worker's user row until the commit (PostgreSQL), so changes that look for "the worker's open session"
    /// run one after the other even when there is none yet to lock. NO KEY UPDATE: it still lets other transactions
    /// insert rows that refer to the user (their foreign-key checks take KEY SHARE).
    public static func lockWorker(on db: any SQLDatabase, dialect: Dialect, workerId: String, organisationId: String) async throws {
        guard dialect == .postgres else { return }
        _ = try await db.raw("""
            SELECT id FROM users WHERE id = \(bind: workerId) AND organisation_id = \(bind: organisationId) FOR NO KEY UPDATE
            """).first()
    }

    /// The worker's most recent open session, locked on PostgreSQL like any session change.
    public static func openSession(on db: any SQLDatabase, dialect: Dialect, workerId: String, organisationId: String) async throws
        -> (session: LoneWorkSession, timerId: String?)? {
        let lock = dialect == .postgres ? " FOR UPDATE" : ""
        guard let row = try await db.raw("""
            SELECT * FROM lone_working_sessions WHERE worker_id = \(bind: workerId) AND organisation_id = \(bind: organisationId)
              AND state NOT IN ('ended', 'resolved') ORDER BY started_at DESC, id LIMIT 1\(unsafeRaw: lock)
            """).first() else { return nil }
        return (try decode(row), try row.optionalString("timer_id"))
    }
}
