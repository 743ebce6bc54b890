import Foundation
import HavenCore

/// The checks on organisation, site, unit and activity details, shared by the pages and the API so both
/// refuse the same things with the same words.
enum OrganisationInput {
    static func organisation(_ current: Organisation, name: String?, timeZone: String?, rulePack: String?,
                             allowsUnsignedReports: Bool?, requiresTwoFactor: Bool?,
                             reviewTargetDays: String? = nil, welfareCheckHours: String? = nil) throws -> Organisation {
        var errors = FieldErrors()
        var updated = current
        if let name { updated.name = Validate.text(name, field: "name", label: "Name", required: true, max: 200, into: &errors) }
        if let timeZone {
            if Validate.timeZone(timeZone) { updated.timeZone = timeZone }
            else { errors.add("timeZone", "Enter a time zone such as Europe/London or America/Los_Angeles") }
        }
        if let rulePack {
            if let pack = RulePack(rawValue: rulePack) { updated.rulePack = pack }
            else { errors.add("rulePack", "Choose a rule pack: \(RulePack.allCases.map(\.rawValue).joined(separator: ", "))") }
        }
        if let allowsUnsignedReports { updated.allowsUnsignedReports = allowsUnsignedReports }
        if let requiresTwoFactor { updated.requiresTwoFactorForPrivileged = requiresTwoFactor }
        if let days = number(reviewTargetDays, field: "reviewTargetDays", label: "Review target", range: 1...60, whole: true, into: &errors) {
            updated.reviewTargetDays = Int(days)
        }
        if let hours = number(welfareCheckHours, field: "welfareCheckHours", label: "Welfare check", range: 1...336, whole: true, into: &errors) {
            updated.welfareCheckHours = Int(hours)
        }
        try errors.throwIfAny()
        return updated
    }

    static func site(id: String, organisationId: String, name: String?, address: String?) throws -> Site {
        var errors = FieldErrors()
        let name = Validate.text(name, field: "name", label: "Site name", required: true, max: 200, into: &errors)
        let address = Validate.text(address, field: "address", label: "Address", required: false, max: 500, into: &errors)
        try errors.throwIfAny()
        return Site(id: id, organisationId: organisationId, name: name, address: address)
    }

    /// Text fields as typed in a form; numbers may be blank.
    struct UnitText {
        var siteId: String?
        var code: String?
        var name: String?
        var kind: String?
        var beds: String?
        var staffWTE: String?
    }

    static func unit(id: String, organisationId: String, _ text: UnitText) throws -> CareUnit {
        var errors = FieldErrors()
        let siteId = (text.siteId ?? "").trimmingCharacters(in: .whitespaces)
        if siteId.isEmpty { errors.add("siteId", "Choose the site") }
        let code = Validate.text(text.code, field: "code", label: "Code", required: true, max: 20, into: &errors).uppercased()
        if errors["code"] == nil && !code.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            errors.add("code", "Code may contain only letters, numbers, hyphens and underscores")
        }
        let name = Validate.text(text.name, field: "name", label: "Unit name", required: true, max: 200, into: &errors)
        let kind = UnitKind(rawValue: text.kind ?? "")
        if kind == nil { errors.add("kind", "Choose the kind of unit: \(UnitKind.allCases.map(\.rawValue).joined(separator: ", "))") }
        let beds = number(text.beds, field: "beds", label: "Beds", range: 0...5000, whole: true, into: &errors).map { Int($0) }
        let wte = number(text.staffWTE, field: "staffWTE", label: "Staff WTE", range: 0...100_000, whole: false, into: &errors)
        try errors.throwIfAny()
        return CareUnit(id: id, organisationId: organisationId, siteId: siteId, code: code, name: name, kind: kind!, beds: beds, staffWTE: wte)
    }

    static func activity(unitId: String, month: String?, occupiedBedDays: String?, staffWTE: String?) throws -> UnitActivity {
        var errors = FieldErrors()
        let month = (month ?? "").trimmingCharacters(in: .whitespaces)
        if !Validate.month(month) { errors.add("month", "Enter the month as YYYY-MM, for example 2026-10") }
        let days = number(occupiedBedDays, field: "occupiedBedDays", label: "Occupied bed days", range: 0...1_000_000, whole: true, into: &errors)
        let wte = number(staffWTE, field: "staffWTE", label: "Staff WTE", range: 0...100_000, whole: false, into: &errors)
        if errors.isEmpty && days == nil && wte == nil { errors.add("occupiedBedDays", "Enter occupied bed days, staff WTE, or both") }
        try errors.throwIfAny()
        return UnitActivity(unitId: unitId, month: month, occupiedBedDays: days.map { Int($0) }, staffWTE: wte)
    }

    /// A number typed in a box: blank is nil; anything else must be a number in range.
    static func number(_ text: String?, field: String, label: String, range: ClosedRange<Double>, whole: Bool,
                       into errors: inout FieldErrors) -> Double? {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        guard let value = Double(trimmed), value.isFinite, !whole || value == value.rounded() else {
            errors.add(field, "\(label) must be \(whole ? "a whole number" : "a number"), like \(whole ? "24" : "32.5")")
            return nil
        }
        guard range.contains(value) else {
            errors.add(field, "\(label) must be between \(Int(range.lowerBound)) and \(Int(range.upperBound))")
            return nil
        }
        return value
    }
}
