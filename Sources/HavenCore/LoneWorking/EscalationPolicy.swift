import Foundation

/// Who an escalation step tells.
public enum EscalationRecipient: String, CaseIterable, Codable, Sendable {
    case buddy
    case backupBuddy = "backup-buddy"
    /// The managers of the session's unit.
    case lineManager = "line-manager"
    /// Everyone holding a role (the on-call safety lead, say).
    case role
    /// One named person.
    case user
    /// The organisation's webhooks only (an on-call system subscribed to `lone-working.escalation`).
    case webhook
    /// One alarm receiving centre, called at its own address and signed with its own secret (`integrationId`).
    case alarmReceivingCentre = "alarm-receiving-centre"
}

/// One step of an escalation: who, how, and how long to wait for an acknowledgement before the next step.
public struct EscalationStep: Codable, Sendable, Equatable {
    public var who: EscalationRecipient
    /// For `role` steps.
    public var role: Role?
    /// For `user` steps.
    public var userId: String?
    /// For `alarm-receiving-centre` steps: the integration to call.
    public var integrationId: String?
    public var channels: [NotificationChannel]
    public var waitSeconds: Int

    public init(who: EscalationRecipient, role: Role? = nil, userId: String? = nil, integrationId: String? = nil, channels: [NotificationChannel],
                waitSeconds: Int) {
        self.who = who
        self.role = role
        self.userId = userId
        self.integrationId = integrationId
        self.channels = channels
        self.waitSeconds = waitSeconds
    }
}

/// A team's or unit's escalation: a grace period after the expected end, then ordered steps until someone acknowledges.
public struct EscalationPolicy: Codable, Sendable, Equatable {
    public var id: String
    public var organisationId: String
    public var name: String
    public var graceSeconds: Int
    public var steps: [EscalationStep]

    public init(id: String, organisationId: String, name: String, graceSeconds: Int, steps: [EscalationStep]) {
        self.id = id
        self.organisationId = organisationId
        self.name = name
        self.graceSeconds = graceSeconds
        self.steps = steps
    }

    public static let maximumSteps = 10
    /// A day: longer waits or grace would leave a worker without help for too long to be a policy.
    public static let maximumSeconds = 24 * 60 * 60

    /// The policy a session uses when neither it nor its unit names one, following the buddy-system guidance
    /// (REFERENCE §8): 15 minutes' grace, then buddy, backup buddy, line manager, and the safety lead, who is told
    /// to call the police.
    public static func builtIn(organisationId: String) -> EscalationPolicy {
        EscalationPolicy(id: "built-in", organisationId: organisationId, name: "Default (buddy, backup buddy, line manager, safety lead)",
                         graceSeconds: 15 * 60, steps: [
                            EscalationStep(who: .buddy, channels: [.inApp, .email, .webhook], waitSeconds: 5 * 60),
                            EscalationStep(who: .backupBuddy, channels: [.inApp, .email, .webhook], waitSeconds: 5 * 60),
                            EscalationStep(who: .lineManager, channels: [.inApp, .email, .webhook], waitSeconds: 5 * 60),
                            EscalationStep(who: .role, role: .safetyLead, channels: [.inApp, .email, .webhook], waitSeconds: 10 * 60),
                         ])
    }

    /// Checks a policy as submitted; the field names are those of the API (`steps[0].waitSeconds`).
    public static func validate(name: String, graceSeconds: Int?, steps: [EscalationStep]?, into errors: inout FieldErrors) {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("name", "Enter a name for the policy") }
        if name.count > 200 { errors.add("name", "Name must be 200 characters or fewer") }
        if let graceSeconds, !(0...maximumSeconds).contains(graceSeconds) {
            errors.add("graceSeconds", "Grace period must be between 0 and \(maximumSeconds) seconds")
        } else if graceSeconds == nil {
            errors.add("graceSeconds", "Enter the grace period in seconds")
        }
        guard let steps, !steps.isEmpty else {
            errors.add("steps", "Add at least one escalation step")
            return
        }
        if steps.count > maximumSteps { errors.add("steps", "A policy has at most \(maximumSteps) steps") }
        for (index, step) in steps.enumerated() {
            let field = "steps[\(index)]"
            if step.waitSeconds < 0 { errors.add(field + ".waitSeconds", "Wait must not be negative") }
            else if step.waitSeconds > maximumSeconds { errors.add(field + ".waitSeconds", "Wait must be at most \(maximumSeconds) seconds") }
            if step.channels.isEmpty { errors.add(field + ".channels", "Choose at least one channel") }
            if step.who == .role && step.role == nil { errors.add(field + ".role", "Name the role this step tells") }
            if step.who == .user && (step.userId ?? "").isEmpty { errors.add(field + ".userId", "Name the person this step tells") }
            if step.who == .alarmReceivingCentre && (step.integrationId ?? "").isEmpty {
                errors.add(field + ".integrationId", "Name the alarm receiving centre this step calls")
            }
            if (step.who == .webhook || step.who == .alarmReceivingCentre) && step.channels != [.webhook] {
                errors.add(field + ".channels", "A \(step.who.rawValue) step sends by webhook only")
            }
        }
    }
}

/// The rules for starting and extending a visit.
public enum LoneWorkingRules {
    /// Sessions end at most a day ahead (issue 4): anything longer is not a visit, and an unwatched timer.
    public static let longestSession: TimeInterval = 24 * 60 * 60

    /// An expected end must be in the future and within 24 hours.
    public static func checkExpectedEnd(_ end: Date, now: Date, field: String, into errors: inout FieldErrors) {
        if end <= now { errors.add(field, "The expected end must be in the future") }
        else if end.timeIntervalSince(now) > longestSession { errors.add(field, "The expected end must be within 24 hours") }
    }

    /// A PIN is 4 to 12 digits; the duress PIN must differ from the normal one (it would otherwise never raise an alarm).
    public static func checkPins(pin: String, duressPin: String, into errors: inout FieldErrors) {
        func check(_ value: String, _ field: String, _ label: String) {
            if value.count < 4 || value.count > 12 || !value.allSatisfy({ $0.isASCII && $0.isNumber }) {
                errors.add(field, "\(label) must be 4 to 12 digits")
            }
        }
        check(pin, "pin", "PIN")
        check(duressPin, "duressPin", "Duress PIN")
        if errors["pin"] == nil && errors["duressPin"] == nil && pin == duressPin {
            errors.add("duressPin", "Duress PIN must be different from your PIN")
        }
    }
}
