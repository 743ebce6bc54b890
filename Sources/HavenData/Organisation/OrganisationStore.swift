import Foundation
import HavenCore
import SQLKit

/// Organisation, sites, units and monthly activity.
public struct OrganisationStore: Sendable {
    public let database: Database
    public let clock: any HavenClock

    public init(database: Database, clock: any HavenClock) {
        self.database = database
        self.clock = clock
    }

    // MARK: Organisation

    public func organisation(id: String) async throws -> Organisation? {
        try await database.read { db in
            try await db.raw("SELECT * FROM organisations WHERE id = \(bind: id)").first().map(Self.decodeOrganisation)
        }
    }

    /// The installation's organisation (one per installation for now; every table is ready for more).
    public func primaryOrganisation() async throws -> Organisation? {
        try await database.read { db in
            try await db.raw("SELECT * FROM organisations ORDER BY created_at, id LIMIT 1").first().map(Self.decodeOrganisation)
        }
    }

    public func create(_ organisation: Organisation) async throws {
        let now = clock.now()
        let origin = Origin(organisationId: organisation.id, actorId: nil)
        try await database.write { [database] db in
            try await db.raw("""
                INSERT INTO organisations (id, name, time_zone, rule_pack, allows_unsigned_reports, requires_two_factor, created_at)
                VALUES (\(bind: organisation.id), \(bind: organisation.name), \(bind: organisation.timeZone),
                        \(bind: organisation.rulePack.rawValue), \(bind: organisation.allowsUnsignedReports.storedFlag),
                        \(bind: organisation.requiresTwoFactorForPrivileged.storedFlag), \(bind: now.epochMilliseconds))
                """).run()
            try await database.audit(db, origin, "organisation.create", entity: "organisation", id: organisation.id,
                                     changes: ["name": organisation.name], at: now)
        }
    }

    public func update(_ organisation: Organisation, origin: Origin) async throws {
        let now = clock.now()
        try await database.write { [database] db in
            try await db.raw("""
                UPDATE organisations SET name = \(bind: organisation.name), time_zone = \(bind: organisation.timeZone),
                    rule_pack = \(bind: organisation.rulePack.rawValue),
                    allows_unsigned_reports = \(bind: organisation.allowsUnsignedReports.storedFlag),
                    requires_two_factor = \(bind: organisation.requiresTwoFactorForPrivileged.storedFlag),
                    review_target_days = \(bind: organisation.reviewTargetDays), welfare_check_hours = \(bind: organisation.welfareCheckHours)
                WHERE id = \(bind: organisation.id)
                """).run()
            try await database.audit(db, origin, "organisation.update", entity: "organisation", id: organisation.id, changes: [
                "name": organisation.name, "timeZone": organisation.timeZone, "rulePack": organisation.rulePack.rawValue,
                "allowsUnsignedReports": String(organisation.allowsUnsignedReports),
                "requiresTwoFactorForPrivileged": String(organisation.requiresTwoFactorForPrivileged),
                "reviewTargetDays": String(organisation.reviewTargetDays), "welfareCheckHours": String(organisation.welfareCheckHours),
            ], at: now)
        }
    }

    static func decodeOrganisation(_ row: any SQLRow) throws -> Organisation {
        var organisation = Organisation(
            id: try row.string("id"), name: try row.string("name"), timeZone: try row.string("time_zone"),
            rulePack: RulePack(rawValue: try row.string("rule_pack")) ?? .england,
            allowsUnsignedReports: try row.flag("allows_unsigned_reports"),
            requiresTwoFactorForPrivileged: try row.flag("requires_two_factor"))
        organisation.reviewTargetDays = try row.decode(column: "review_target_days", as: Int.self)
        organisation.welfareCheckHours = try row.decode(column: "welfare_check_hours", as: Int.self)
        return organisation
    }

    // MARK: Sites

    public func sites(organisationId: String) async throws -> [Site] {
        try await database.read { db in
            try await db.raw("SELECT * FROM sites WHERE organisation_id = \(bind: organisationId) ORDER BY name").all().map(Self.decodeSite)
        }
    }

    public func site(id: String, organisationId: String) async throws -> Site? {
        try await database.read { db in
            try await db.raw("SELECT * FROM sites WHERE id = \(bind: id) AND organisation_id = \(bind: organisationId)").first().map(Self.decodeSite)
        }
    }

    /// Creates or updates a site; a name already used by another site of the organisation is refused.
    public func save(_ site: Site, origin: Origin) async throws {
        let now = clock.now()
        try await database.write { [database] db in
            let clash = try await db.raw("""
                SELECT id FROM sites WHERE organisation_id = \(bind: site.organisationId) AND name = \(bind: site.name) AND id <> \(bind: site.id)
                """).first()
            if clash != nil { throw FieldErrors("name", "A site called \(site.name) already exists") }
            let exists = try await db.raw("SELECT id FROM sites WHERE id = \(bind: site.id)").first() != nil
            if exists {
                try await db.raw("""
                    UPDATE sites SET name = \(bind: site.name), address = \(bind: site.address)
                    WHERE id = \(bind: site.id) AND organisation_id = \(bind: site.organisationId)
                    """).run()
            } else {
                try await db.raw("""
                    INSERT INTO sites (id, organisation_id, name, address, created_at)
                    VALUES (\(bind: site.id), \(bind: site.organisationId), \(bind: site.name), \(bind: site.address), \(bind: now.epochMilliseconds))
                    """).run()
            }
            try await database.audit(db, origin, exists ? "site.update" : "site.create", entity: "site", id: site.id,
                                     changes: ["name": site.name, "address": site.address], at: now)
        }
    }

    static func decodeSite(_ row: any SQLRow) throws -> Site {
        Site(id: try row.string("id"), organisationId: try row.string("organisation_id"),
             name: try row.string("name"), address: try row.string("address"))
    }

    // MARK: Units

    public func units(organisationId: String) async throws -> [CareUnit] {
        try await database.read { db in
            try await db.raw("SELECT * FROM units WHERE organisation_id = \(bind: organisationId) ORDER BY code").all().map(Self.decodeUnit)
        }
    }

    public func unit(id: String, organisationId: String) async throws -> CareUnit? {
        try await database.read { db in
            try await db.raw("SELECT * FROM units WHERE id = \(bind: id) AND organisation_id = \(bind: organisationId)").first().map(Self.decodeUnit)
        }
    }

    public func unit(code: String, organisationId: String) async throws -> CareUnit? {
        try await database.read { db in
            try await db.raw("SELECT * FROM units WHERE code = \(bind: code) AND organisation_id = \(bind: organisationId)").first().map(Self.decodeUnit)
        }
    }

    /// Creates or updates a unit; its code must be unique in the organisation and its site must exist.
    public func save(_ unit: CareUnit, origin: Origin) async throws {
        let now = clock.now()
        try await database.write { [database] db in
            var errors = FieldErrors()
            let site = try await db.raw("SELECT id FROM sites WHERE id = \(bind: unit.siteId) AND organisation_id = \(bind: unit.organisationId)").first()
            if site == nil { errors.add("siteId", "Choose a site of this organisation") }
            let clash = try await db.raw("""
                SELECT id FROM units WHERE organisation_id = \(bind: unit.organisationId) AND code = \(bind: unit.code) AND id <> \(bind: unit.id)
                """).first()
            if clash != nil { errors.add("code", "A unit with code \(unit.code) already exists") }
            try errors.throwIfAny()
            let exists = try await db.raw("SELECT id FROM units WHERE id = \(bind: unit.id)").first() != nil
            if exists {
                try await db.raw("""
                    UPDATE units SET site_id = \(bind: unit.siteId), code = \(bind: unit.code), name = \(bind: unit.name),
                        kind = \(bind: unit.kind.rawValue), beds = \(bind: unit.beds), staff_wte = \(bind: unit.staffWTE)
                    WHERE id = \(bind: unit.id) AND organisation_id = \(bind: unit.organisationId)
                    """).run()
            } else {
                try await db.raw("""
                    INSERT INTO units (id, organisation_id, site_id, code, name, kind, beds, staff_wte, created_at)
                    VALUES (\(bind: unit.id), \(bind: unit.organisationId), \(bind: unit.siteId), \(bind: unit.code), \(bind: unit.name),
                            \(bind: unit.kind.rawValue), \(bind: unit.beds), \(bind: unit.staffWTE), \(bind: now.epochMilliseconds))
                    """).run()
            }
            try await database.audit(db, origin, exists ? "unit.update" : "unit.create", entity: "unit", id: unit.id, changes: [
                "code": unit.code, "name": unit.name, "kind": unit.kind.rawValue, "siteId": unit.siteId,
                "beds": unit.beds.map(String.init) ?? "", "staffWTE": unit.staffWTE.map { String($0) } ?? "",
            ], at: now)
        }
    }

    static func decodeUnit(_ row: any SQLRow) throws -> CareUnit {
        CareUnit(
            id: try row.string("id"), organisationId: try row.string("organisation_id"), siteId: try row.string("site_id"),
            code: try row.string("code"), name: try row.string("name"),
            kind: UnitKind(rawValue: try row.string("kind")) ?? .other,
            beds: try row.optionalInt("beds"), staffWTE: try row.double("staff_wte"))
    }

    // MARK: Monthly activity

    public func activity(unitId: String, organisationId: String) async throws -> [UnitActivity] {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM unit_activity WHERE unit_id = \(bind: unitId) AND organisation_id = \(bind: organisationId) ORDER BY month DESC
                """).all().map { row in
                UnitActivity(unitId: try row.string("unit_id"), month: try row.string("month"),
                             occupiedBedDays: try row.optionalInt("occupied_bed_days"), staffWTE: try row.double("staff_wte"))
            }
        }
    }

    /// Records (or corrects) one month's figures for a unit.
    public func record(_ activity: UnitActivity, origin: Origin) async throws {
        let now = clock.now()
        try await database.write { [database] db in
            try await db.raw("DELETE FROM unit_activity WHERE unit_id = \(bind: activity.unitId) AND month = \(bind: activity.month)").run()
            try await db.raw("""
                INSERT INTO unit_activity (organisation_id, unit_id, month, occupied_bed_days, staff_wte, updated_at)
                VALUES (\(bind: origin.organisationId), \(bind: activity.unitId), \(bind: activity.month),
                        \(bind: activity.occupiedBedDays), \(bind: activity.staffWTE), \(bind: now.epochMilliseconds))
                """).run()
            try await database.audit(db, origin, "unit-activity.record", entity: "unit", id: activity.unitId, changes: [
                "month": activity.month, "occupiedBedDays": activity.occupiedBedDays.map(String.init) ?? "",
                "staffWTE": activity.staffWTE.map { String($0) } ?? "",
            ], at: now)
        }
    }
}
