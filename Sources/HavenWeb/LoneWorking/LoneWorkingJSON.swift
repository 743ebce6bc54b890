import Foundation
import HavenCore
import HavenServices
import Hummingbird

/// A session as the API shows it. Fields that are nil are left out (the OpenAPI schema marks them nullable).
struct SessionJSON: Encodable {
    var id: String
    var workerId: String
    var unitId: String
    var location: String
    var latitude: Double?
    var longitude: Double?
    var visitKind: String
    var risks: String
    var checklist: [String]
    var vehicle: String
    var buddyId: String?
    var backupBuddyId: String?
    var escalationPolicyId: String?
    var graceSeconds: Int
    var startedAt: Date
    var expectedEndAt: Date
    var dueAt: Date
    var state: String
    var status: String
    var statusLabel: String
    var escalationStep: Int
    var duress: Bool
    var alarmAt: Date?
    var lastCheckInAt: Date?
    var acknowledgedBy: String?
    var acknowledgedAt: Date?
    var endedAt: Date?
    var resolvedBy: String?
    var resolvedAt: Date?
    var outcome: String?

    /// `viewer` decides what is shown: the worker sees a duress end as a normal end.
    init(_ stored: LoneWorkSession, viewer: Actor, now: Date) {
        let session = LoneWorkingAccess.isWorker(stored, viewer) ? stored.asSeenByWorker : stored
        id = session.id
        workerId = session.workerId
        unitId = session.unitId
        location = session.location
        latitude = session.latitude
        longitude = session.longitude
        visitKind = session.visitKind.rawValue
        risks = session.risks
        checklist = session.checklist
        vehicle = session.vehicle
        buddyId = session.buddyId
        backupBuddyId = session.backupBuddyId
        escalationPolicyId = session.policyId
        graceSeconds = session.policy.graceSeconds
        startedAt = session.startedAt
        expectedEndAt = session.expectedEndAt
        dueAt = session.dueAt
        state = session.state.rawValue
        let board = session.boardStatus(at: now)
        status = board.key
        statusLabel = board.label
        escalationStep = session.escalationStep
        duress = session.duress
        alarmAt = session.alarmAt
        lastCheckInAt = session.lastCheckInAt
        acknowledgedBy = session.acknowledgedBy
        acknowledgedAt = session.acknowledgedAt
        endedAt = session.endedAt
        resolvedBy = session.resolvedBy
        resolvedAt = session.resolvedAt
        outcome = session.outcome?.rawValue
    }

    /// The same text as `JSONEncoder.api` makes of this, written by hand: a check-in's answer is the busiest JSON
    /// Haven writes, and the encoder was 5% of a check-in's work. Members in the encoder's order (sorted keys).
    func write(to json: inout JSONObjectWriter) {
        json.member("acknowledgedAt", acknowledgedAt)
        json.member("acknowledgedBy", acknowledgedBy)
        json.member("alarmAt", alarmAt)
        json.member("backupBuddyId", backupBuddyId)
        json.member("buddyId", buddyId)
        json.member("checklist", checklist)
        json.member("dueAt", dueAt)
        json.member("duress", duress)
        json.member("endedAt", endedAt)
        json.member("escalationPolicyId", escalationPolicyId)
        json.member("escalationStep", escalationStep)
        json.member("expectedEndAt", expectedEndAt)
        json.member("graceSeconds", graceSeconds)
        json.member("id", id)
        json.member("lastCheckInAt", lastCheckInAt)
        json.member("latitude", latitude)
        json.member("location", location)
        json.member("longitude", longitude)
        json.member("outcome", outcome)
        json.member("resolvedAt", resolvedAt)
        json.member("resolvedBy", resolvedBy)
        json.member("risks", risks)
        json.member("startedAt", startedAt)
        json.member("state", state)
        json.member("status", status)
        json.member("statusLabel", statusLabel)
        json.member("unitId", unitId)
        json.member("vehicle", vehicle)
        json.member("visitKind", visitKind)
        json.member("workerId", workerId)
    }

    func response(status: HTTPResponse.Status = .ok) -> Response {
        var json = JSONObjectWriter()
        write(to: &json)
        return json.response(status: status)
    }
}

struct StepJSON: Encodable {
    var who: String
    var role: String?
    var userId: String?
    var integrationId: String?
    var channels: [String]
    var waitSeconds: Int

    init(_ step: EscalationStep) {
        who = step.who.rawValue
        role = step.role?.rawValue
        userId = step.userId
        integrationId = step.integrationId
        channels = step.channels.map(\.rawValue)
        waitSeconds = step.waitSeconds
    }
}

struct PolicyJSON: Encodable {
    var id: String
    var name: String
    var graceSeconds: Int
    var steps: [StepJSON]
    var unitIds: [String]

    init(_ policy: EscalationPolicy, unitIds: [String]) {
        id = policy.id
        name = policy.name
        graceSeconds = policy.graceSeconds
        steps = policy.steps.map(StepJSON.init)
        self.unitIds = unitIds
    }
}

extension LoneWorkingError {
    /// The API's answer: 404, 403 or 409 with the reason.
    var api: APIError {
        switch self {
        case .notFound: APIError.notFound("lone-working session")
        case .forbidden: APIError.forbidden
        case .conflict(let message): APIError(.conflict, code: "conflict", message: message)
        }
    }

    var page: any Error {
        switch self {
        case .notFound: PageError.notFound
        case .forbidden: PageError.forbidden
        case .conflict(let message): CaseConflict(message)
        }
    }
}

/// Runs engine work and turns its refusals into API errors.
func apiErrors<T>(_ work: () async throws -> T) async throws -> T {
    do { return try await work() } catch let error as LoneWorkingError { throw error.api }
}

/// Runs engine work and turns its refusals into error pages.
func pageErrors<T>(_ work: () async throws -> T) async throws -> T {
    do { return try await work() } catch let error as LoneWorkingError { throw error.page }
}
