import Foundation
import HavenCore
import HavenData
import HavenServices

/// The escalation policy form: the page speaks in minutes where the API speaks in seconds, shows a fixed number of
/// step rows (a row left on "No step" is not a step) and the units that use the policy. Field ids are the error
/// keys (`steps[2].role`), so the error summary links to the field.
struct PolicyForm: Sendable {
    struct Step: Sendable {
        var number: Int
        var prefix: String
        var who: [Choice]
        var whoError: String?
        var roles: [Choice]
        var roleError: String?
        var people: [Choice]
        var userError: String?
        var centres: [Choice]
        var hasCentres: Bool
        var centreError: String?
        var channels: [Choice]
        var channelsError: String?
        var wait: String
        var waitError: String?
    }
    var errors: ErrorSummary
    var action: String
    var isNew: Bool
    var name: FormField
    var grace: FormField
    var steps: [Step]
    var stepsError: String?
    var units: [Choice]
    var unitsError: String?

    /// Rows shown: the policy's steps and at least two empty ones, up to the most a policy may have.
    static func rowCount(_ steps: Int) -> Int { min(EscalationPolicy.maximumSteps, max(steps + 2, 6)) }

    static func minutes(_ seconds: Int) -> String {
        seconds % 60 == 0 ? String(seconds / 60) : String(format: "%.2f", Double(seconds) / 60)
    }

    init(form: FormInput?, policy: EscalationPolicy?, template: EscalationPolicy, unitIds: Set<String>, errors: FieldErrors, action: String,
         environment: HavenEnvironment, organisationId: String) async throws {
        let shown = policy ?? template
        let people = try await environment.users.list(organisationId: organisationId, scope: .all).filter(\.active)
        let centres = try await environment.loneWorking.store.integrations(organisationId: organisationId)
            .filter { centre in centre.callable || shown.steps.contains { $0.integrationId == centre.id } }
        let units = try await environment.organisations.units(organisationId: organisationId)
        let policies = try await environment.loneWorking.store.policies(organisationId: organisationId)
        let current = try await environment.loneWorking.store.policyIdsByUnit(organisationId: organisationId)
        let policyNames = Dictionary(policies.map { ($0.id, $0.name) }) { a, _ in a }
        self.errors = ErrorSummary(errors)
        self.action = action
        isNew = policy == nil
        name = FormField("name", "Name", value: form?["name"] ?? policy?.name ?? "", hint: "For example: Community visits, or Out of hours", errors: errors)
        grace = FormField("graceMinutes", "Grace period (minutes)", value: form?["graceMinutes"] ?? Self.minutes(shown.graceSeconds),
                          hint: "How long after the expected end before the first step goes out", type: "text", errors: errors)
        steps = (0..<Self.rowCount(shown.steps.count)).map { index in
            let step = index < shown.steps.count ? shown.steps[index] : nil
            let prefix = "steps[\(index)]"
            func value(_ field: String, _ stored: String?) -> String { form?[prefix + "." + field] ?? stored ?? "" }
            let who = value("who", step?.who.rawValue)
            let role = value("role", step?.role?.rawValue)
            let userId = value("userId", step?.userId)
            let centreId = value("integrationId", step?.integrationId)
            let channels = form.map { Set($0.all(prefix + ".channels")) } ?? Set(step?.channels.map(\.rawValue) ?? [NotificationChannel.inApp.rawValue])
            return Step(
                number: index + 1, prefix: prefix,
                who: [Choice(value: "", label: "No step", selected: who.isEmpty)]
                    + EscalationRecipient.allCases.map { Choice(value: $0.rawValue, label: Self.label($0), selected: $0.rawValue == who) },
                whoError: errors[prefix + ".who"],
                roles: [Choice(value: "", label: "Choose a role", selected: role.isEmpty)]
                    + Role.allCases.map { Choice(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == role) },
                roleError: errors[prefix + ".role"],
                people: [Choice(value: "", label: "Choose a person", selected: userId.isEmpty)]
                    + people.map { Choice(value: $0.id, label: $0.name, selected: $0.id == userId) },
                userError: errors[prefix + ".userId"],
                centres: [Choice(value: "", label: "Choose a centre", selected: centreId.isEmpty)]
                    + centres.map { Choice(value: $0.id, label: $0.name, selected: $0.id == centreId) },
                hasCentres: !centres.isEmpty,
                centreError: errors[prefix + ".integrationId"],
                channels: NotificationChannel.allCases.map {
                    Choice(value: $0.rawValue, label: Self.label($0), selected: channels.contains($0.rawValue))
                },
                channelsError: errors[prefix + ".channels"],
                wait: value("waitMinutes", step.map { Self.minutes($0.waitSeconds) }),
                waitError: errors[prefix + ".waitMinutes"])
        }
        stepsError = errors["steps"]
        let ticked = form.map { Set($0.all("unitIds")) } ?? unitIds
        self.units = units.map { unit in
            let other = current[unit.id].flatMap { $0 == policy?.id ? nil : policyNames[$0] }
            return Choice(value: unit.id, label: unit.name + (other.map { " (now uses \($0))" } ?? ""), selected: ticked.contains(unit.id))
        }
        unitsError = errors["unitIds"]
    }

    static func label(_ who: EscalationRecipient) -> String {
        switch who {
        case .buddy: "The buddy"
        case .backupBuddy: "The backup buddy"
        case .lineManager: "The unit's managers"
        case .role: "Everyone with a role (on call)"
        case .user: "A named person"
        case .webhook: "The organisation's webhooks"
        case .alarmReceivingCentre: "An alarm receiving centre"
        }
    }

    static func label(_ channel: NotificationChannel) -> String {
        switch channel {
        case .inApp: "In Haven"
        case .email: "E-mail"
        case .webhook: "Webhook"
        }
    }

    /// Reads the submitted form into a policy for `organisationId`; errors carry the form's own field names (minutes,
    /// rows as shown), so a step left out between two others does not shift the names of the rows after it.
    static func read(_ form: FormInput, into policy: EscalationPolicy, errors: inout FieldErrors) -> (EscalationPolicy, [String]) {
        var policy = policy
        policy.name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        var graceSeconds: Int?
        if let grace = seconds(form["graceMinutes"]) { graceSeconds = grace } else {
            errors.add("graceMinutes", "Enter the grace period in minutes, from 0 to \(EscalationPolicy.maximumSeconds / 60)")
        }
        var steps: [EscalationStep] = []
        var rows: [Int] = []
        for index in 0..<EscalationPolicy.maximumSteps {
            let prefix = "steps[\(index)]"
            guard let whoText = form[prefix + ".who"], !whoText.isEmpty else { continue }
            guard let who = EscalationRecipient(rawValue: whoText) else { errors.add(prefix + ".who", "Choose who this step tells"); continue }
            guard let wait = seconds(form[prefix + ".waitMinutes"]) else {
                errors.add(prefix + ".waitMinutes", "Enter the wait in minutes, from 0 to \(EscalationPolicy.maximumSeconds / 60)")
                continue
            }
            func text(_ field: String) -> String? { form[prefix + "." + field].flatMap { $0.isEmpty ? nil : $0 } }
            // Webhook and alarm-receiving-centre steps can only send by webhook, so the page does not ask.
            let channels = who == .webhook || who == .alarmReceivingCentre ? [.webhook]
                : NotificationChannel.allCases.filter { form.all(prefix + ".channels").contains($0.rawValue) }
            // A role, person or centre chosen on a row whose "who" does not use it is ignored, not kept unseen.
            steps.append(EscalationStep(who: who, role: who == .role ? text("role").flatMap(Role.init(rawValue:)) : nil,
                                        userId: who == .user ? text("userId") : nil,
                                        integrationId: who == .alarmReceivingCentre ? text("integrationId") : nil,
                                        channels: channels, waitSeconds: wait))
            rows.append(index)
        }
        var checked = FieldErrors()
        EscalationPolicy.validate(name: policy.name, graceSeconds: graceSeconds ?? 0, steps: steps, into: &checked)
        errors.merge(rename(checked, rows: rows))
        policy.graceSeconds = graceSeconds ?? 0
        policy.steps = steps
        return (policy, form.all("unitIds"))
    }

    /// Minutes as typed (whole or decimal, 0 to a day) in seconds; nil when not a number in range.
    static func seconds(_ text: String?) -> Int? {
        guard let minutes = Double((text ?? "").trimmingCharacters(in: .whitespaces)), minutes.isFinite, minutes >= 0,
              minutes * 60 <= Double(EscalationPolicy.maximumSeconds) else { return nil }
        return Int((minutes * 60).rounded())
    }

    /// `steps[k].x` of the k-th step read becomes `steps[row].x` of the row it came from.
    static func rename(_ errors: FieldErrors, rows: [Int]) -> FieldErrors {
        var renamed = FieldErrors()
        for item in errors.items {
            var field = item.field
            if field.hasPrefix("steps["), let close = field.firstIndex(of: "]"),
               let k = Int(field[field.index(field.startIndex, offsetBy: 6)..<close]), k < rows.count {
                field = "steps[\(rows[k])]" + field[close...].dropFirst()
            }
            renamed.add(field, item.message)
        }
        return renamed
    }
}
