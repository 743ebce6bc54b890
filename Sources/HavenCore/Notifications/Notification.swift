import Foundation

/// How a notification reaches a person or a system.
public enum NotificationChannel: String, CaseIterable, Codable, Sendable {
    case inApp = "in-app"
    case email
    case webhook
}

/// An in-app notification shown under the bell.
public struct InAppNotification: Codable, Sendable, Equatable {
    public var id: String
    public var organisationId: String
    public var userId: String
    public var title: String
    public var body: String
    public var link: String?
    public var createdAt: Date
    public var readAt: Date?

    public init(id: String, organisationId: String, userId: String, title: String, body: String,
                link: String?, createdAt: Date, readAt: Date?) {
        self.id = id
        self.organisationId = organisationId
        self.userId = userId
        self.title = title
        self.body = body
        self.link = link
        self.createdAt = createdAt
        self.readAt = readAt
    }
}

/// Event names a webhook endpoint can subscribe to. Feature issues add theirs.
public enum WebhookEvent: String, CaseIterable, Codable, Sendable {
    case test = "webhook.test"
    case userCreated = "user.created"
    case notificationCreated = "notification.created"
    /// A reporter is told their report moved on (reviewed, actions agreed, closed, reopened).
    case incidentFeedback = "incident.feedback"
    case incidentAssigned = "incident.assigned"
    case incidentMessage = "incident.message"
    case incidentReviewOverdue = "incident.review-overdue"
    /// A lone worker missed their due time (expected end plus grace).
    case loneWorkingOverdue = "lone-working.overdue"
    /// An escalation step was sent (the payload names the step).
    case loneWorkingEscalation = "lone-working.escalation"
    /// A panic or duress alarm.
    case loneWorkingAlarm = "lone-working.alarm"
    case loneWorkingAcknowledged = "lone-working.acknowledged"
    case loneWorkingResolved = "lone-working.resolved"
    /// A use of force raised an alert (prone, pain-based technique, seclusion of a patient not detained,
    /// mechanical restraint); the payload names the kinds, never the patient.
    case useOfForceAlert = "use-of-force.alert"
}

/// When to try a failed delivery again: exponential backoff from 30 seconds, capped at an hour,
/// giving up once 24 hours have passed since the first attempt.
public enum DeliveryBackoff {
    public static let giveUpAfter: TimeInterval = 24 * 60 * 60

    public static func delay(afterAttempt attempt: Int) -> TimeInterval {
        let exponent = min(max(attempt - 1, 0), 12)
        return min(30 * pow(2, Double(exponent)), 3600)
    }

    /// The time of the next attempt, or nil when the delivery should be given up.
    public static func nextAttempt(after attempt: Int, firstAttemptAt: Date, now: Date) -> Date? {
        let next = now + delay(afterAttempt: attempt)
        return next.timeIntervalSince(firstAttemptAt) > giveUpAfter ? nil : next
    }
}
