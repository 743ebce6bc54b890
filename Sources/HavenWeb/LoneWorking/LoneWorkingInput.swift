import Foundation
import HavenCore
import HavenServices

/// Reading lone-working input from the API, with errors named after the fields.
enum LoneWorkingInput {
    static let day = 24 * 60 * 60

    /// A new session: `expectedDurationSeconds` or `expectedEndAt` (one of them), where, and who the buddies are.
    /// The unit defaults to the worker's own when they belong to exactly one.
    static func start(_ input: inout JSONInput, worker: User, now: Date) throws -> LoneWorking.Start {
        var errors = FieldErrors()
        let unitId = input.string("unitId") ?? (worker.unitIds.count == 1 ? worker.unitIds.first : nil)
        if unitId == nil && !input.has("unitId") { errors.add("unitId", "unitId is required (you belong to more or fewer than one unit)") }
        let location = Validate.text(input.string("location", required: true), field: "location", label: "Location", required: input.has("location"),
                                     max: 500, into: &errors)
        let latitude = input.double("latitude", range: -90...90), longitude = input.double("longitude", range: -180...180)
        if (latitude == nil) != (longitude == nil) && input.errors["latitude"] == nil && input.errors["longitude"] == nil {
            errors.add(latitude == nil ? "latitude" : "longitude", "Send latitude and longitude together")
        }
        var visitKind = VisitKind.homeVisit
        if let kind = input.string("visitKind") {
            if let parsed = VisitKind(rawValue: kind) { visitKind = parsed } else {
                errors.add("visitKind", "visitKind must be one of \(VisitKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let risks = Validate.text(input.string("risks"), field: "risks", label: "Risks", required: false, max: 2000, into: &errors)
        let checklist = input.strings("checklist") ?? []
        if checklist.count > 20 || checklist.contains(where: { $0.count > 200 }) {
            errors.add("checklist", "checklist has at most 20 items of 200 characters")
        }
        let vehicle = Validate.text(input.string("vehicle"), field: "vehicle", label: "Vehicle", required: false, max: 100, into: &errors)
        let buddyId = input.string("buddyId"), backupBuddyId = input.string("backupBuddyId"), policyId = input.string("escalationPolicyId")
        let duration = input.int("expectedDurationSeconds", range: Int.min / 2...Int.max / 2)
        let endText = input.string("expectedEndAt")
        var end: Date?
        switch (duration, endText) {
        case (let seconds?, nil): end = now + TimeInterval(seconds)
        case (nil, let text?):
            if let date = Self.date(text) {
                end = date
            } else {
                errors.add("expectedEndAt", "expectedEndAt must be an ISO 8601 date and time, like 2026-11-27T21:30:00Z")
            }
        case (.some, .some): errors.add("expectedEndAt", "Send expectedDurationSeconds or expectedEndAt, not both")
        case (nil, nil):
            if input.errors["expectedDurationSeconds"] == nil { errors.add("expectedDurationSeconds", "Send expectedDurationSeconds or expectedEndAt") }
        }
        if let end { LoneWorkingRules.checkExpectedEnd(end, now: now, field: duration != nil ? "expectedDurationSeconds" : "expectedEndAt", into: &errors) }
        errors.merge(input.errors)
        try errors.throwIfAny()
        return LoneWorking.Start(unitId: unitId ?? "", location: location, latitude: latitude, longitude: longitude, visitKind: visitKind,
                                 risks: risks, checklist: checklist, vehicle: vehicle, buddyId: buddyId, backupBuddyId: backupBuddyId,
                                 expectedEndAt: end ?? now, policyId: policyId)
    }

    /// An ISO 8601 date and time, with or without fractional seconds.
    static func date(_ text: String) -> Date? {
        (try? Date(text, strategy: .iso8601)) ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }

    /// An escalation policy's fields, each step read strictly (`steps[0].waitSeconds` names a field in an error).
    static func policy(_ input: inout JSONInput) throws -> (name: String, graceSeconds: Int?, steps: [EscalationStep]?) {
        var errors = FieldErrors()
        let name = input.string("name", required: true) ?? ""
        let grace = input.int("graceSeconds", range: Int.min / 2...Int.max / 2)
        if grace == nil && !input.has("graceSeconds") { input.require("graceSeconds") }
        let rawSteps = input.objects("steps", required: true)
        var steps: [EscalationStep]?
        if let rawSteps {
            steps = []
            for (index, fields) in rawSteps.enumerated() {
                if let step = Self.step(fields, field: "steps[\(index)]", into: &errors) { steps?.append(step) }
            }
        }
        errors.merge(input.errors)
        if errors.isEmpty {
            EscalationPolicy.validate(name: name, graceSeconds: grace, steps: steps, into: &errors)
        }
        try errors.throwIfAny()
        return (name.trimmingCharacters(in: .whitespaces), grace, steps)
    }

    static func step(_ fields: [String: JSONValue], field: String, into errors: inout FieldErrors) -> EscalationStep? {
        for key in fields.keys.sorted() where !["who", "role", "userId", "integrationId", "channels", "waitSeconds"].contains(key) {
            errors.add("\(field).\(key)", "Unknown field \(key)")
        }
        func text(_ key: String) -> String? {
            if case .string(let value)? = fields[key] { return value }
            if let value = fields[key], value != .null { errors.add("\(field).\(key)", "\(key) must be a string") }
            return nil
        }
        guard let whoText = text("who"), let who = EscalationRecipient(rawValue: whoText) else {
            errors.add("\(field).who", "who must be one of \(EscalationRecipient.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        var role: Role?
        if let roleText = text("role") {
            role = Role(rawValue: roleText)
            if role == nil { errors.add("\(field).role", "role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))") }
        }
        var channels: [NotificationChannel] = []
        if case .array(let items)? = fields["channels"] {
            for item in items {
                guard case .string(let name) = item, let channel = NotificationChannel(rawValue: name) else {
                    errors.add("\(field).channels", "channels must be an array of \(NotificationChannel.allCases.map(\.rawValue).joined(separator: ", "))")
                    return nil
                }
                if !channels.contains(channel) { channels.append(channel) }
            }
        } else {
            errors.add("\(field).channels", "channels must be an array of \(NotificationChannel.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        guard case .number(let wait)? = fields["waitSeconds"], wait == wait.rounded(), abs(wait) < 1e9 else {
            errors.add("\(field).waitSeconds", "waitSeconds must be a whole number of seconds")
            return nil
        }
        return EscalationStep(who: who, role: role, userId: text("userId"), integrationId: text("integrationId"), channels: channels,
                              waitSeconds: Int(wait))
    }
}
