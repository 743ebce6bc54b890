import Foundation
import HavenCore
import HavenData
import HavenTestSupport
import SQLKit
import Testing

@Suite("Lone working: the device register and integrations in the store")
struct LoneWorkingDeviceStoreTests {
    static let now = Date(timeIntervalSince1970: 1_798_761_600)

    @Test("An integration's token is stored only as a hash and stops working when revoked; a device id is unique per organisation; changes are audited")
    func registerAndTokens() async throws {
        try await TestDatabase.with { database in
            let clock = ManualClock(Self.now)
            let organisations = OrganisationStore(database: database, clock: clock)
            let organisation = Organisation(id: Identifier.make(), name: "Trust", timeZone: "Europe/London", rulePack: .england)
            try await organisations.create(organisation)
            let origin = Origin(organisationId: organisation.id, actorId: nil)
            let site = Site(id: Identifier.make(), organisationId: organisation.id, name: "General", address: "")
            try await organisations.save(site, origin: origin)
            let unit = CareUnit(id: Identifier.make(), organisationId: organisation.id, siteId: site.id, code: "CMHT", name: "Community team",
                                kind: .communityTeam, beds: nil, staffWTE: 20)
            try await organisations.save(unit, origin: origin)
            let userId = Identifier.make()
            try await database.write { db in
                try await db.raw("""
                    INSERT INTO users (id, organisation_id, email, name, password_hash, created_at, updated_at)
                    VALUES (\(bind: userId), \(bind: organisation.id), \(bind: "d-\(organisation.id)@example.org"), 'Sam', 'x', 0, 0)
                    """).run()
            }
            let store = LoneWorkingStore(database: database, clock: clock)
            let details = LoneWorkingIntegration(id: "", organisationId: "", name: "ARC", kind: .alarmReceivingCentre,
                                                 outboundURL: "https://arc.example.org/haven", bs8484Certified: true, certificateReference: "NSI-8484-7",
                                                 policeURN: "WYP/URN/4471", level1Response: true, responseAgreement: "Call the worker, then the buddy, then 999",
                                                 active: false, createdAt: .distantPast, revokedAt: nil, lastUsedAt: nil)
            let (integration, token, secret) = try await store.createIntegration(details, origin: origin)
            #expect(token.hasPrefix(LoneWorkingStore.integrationTokenPrefix) && secret.count == 40)
            // Every detail comes back as stored, with the store's own id, organisation, status and time.
            let read = try #require(try await store.integration(id: integration.id, organisationId: organisation.id))
            #expect(read == integration && read.active && read.createdAt == Self.now && read.organisationId == organisation.id)
            #expect(read.kind == .alarmReceivingCentre && read.policeURN == "WYP/URN/4471" && read.level1Response && read.callable)
            var changed = read
            changed.outboundURL = ""
            changed.level1Response = false
            #expect(try await store.updateIntegration(changed, origin: origin))
            #expect(try await store.integration(id: integration.id, organisationId: organisation.id) == changed)
            #expect(try await !store.integration(id: integration.id, organisationId: organisation.id)!.callable, "no address to call")
            var stranger = changed
            stranger.organisationId = Identifier.make()
            #expect(try await !store.updateIntegration(stranger, origin: origin), "another organisation's id changes nothing")
            let stored = try await database.read { db in
                try await db.raw("SELECT token_hash FROM lone_working_integrations WHERE id = \(bind: integration.id)").first()?.decode(column: "token_hash", as: String.self)
            }
            #expect(stored == SecretHash.of(token) && stored != token)
            #expect(try await store.integration(forToken: token)?.secret == secret)
            #expect(try await store.integration(forToken: "haven_" + token.dropFirst(9)) == nil, "a user-token prefix is not looked up")
            #expect(try await store.revokeIntegration(id: integration.id, organisationId: organisation.id, origin: origin))
            #expect(try await store.integration(forToken: token) == nil)
            #expect(try await !store.revokeIntegration(id: integration.id, organisationId: organisation.id, origin: origin), "already revoked")

            let device = LoneWorkingDevice(id: Identifier.make(), organisationId: organisation.id, reference: "PEN-1", userId: userId, unitId: unit.id,
                                           supplier: "SafeCall", bs8484Certified: true, certificateReference: "NSI-1", issuedAt: Self.now)
            try await store.save(device, isNew: true, origin: origin)
            var twin = device
            twin.id = Identifier.make()
            await #expect(throws: FieldErrors.self) { try await store.save(twin, isNew: true, origin: origin) }
            var retired = device
            retired.active = false
            retired.retiredAt = Self.now
            try await store.save(retired, isNew: false, origin: origin)
            #expect(try await store.activeDevice(reference: "PEN-1", organisationId: organisation.id) == nil)
            #expect(try await store.device(id: device.id, organisationId: organisation.id) == retired)
            let actions = try await database.read { db in
                try await db.raw("SELECT action FROM audit_events WHERE action LIKE 'lone-working.%' ORDER BY sequence").all()
                    .map { try $0.decode(column: "action", as: String.self) }
            }
            #expect(actions == ["lone-working.integration.create", "lone-working.integration.update", "lone-working.integration.revoke", "lone-working.device.create", "lone-working.device.retire"])
        }
    }
}
