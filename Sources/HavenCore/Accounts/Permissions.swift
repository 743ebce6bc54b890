/// Who is acting: the identity every permission decision is made for.
public struct Actor: Sendable, Equatable {
    public var userId: String
    public var organisationId: String
    public var roles: Set<Role>
    public var unitIds: Set<String>

    public init(userId: String, organisationId: String, roles: Set<Role>, unitIds: Set<String>) {
        self.userId = userId
        self.organisationId = organisationId
        self.roles = roles
        self.unitIds = unitIds
    }
}

/// What someone wants to do. Feature issues add their own actions here.
public enum Action: String, CaseIterable, Sendable {
    case viewHome
    case manageOwnAccount
    case viewNotifications
    /// See the organisation's sites and units (everyone needs them to report).
    case viewOrganisation
    case manageOrganisation
    case viewUsers
    case manageUsers
    case issuePasswordReset
    /// Record monthly occupied bed days and WTE for a unit.
    case recordActivity
    case viewAuditTrail
    case manageWebhooks
    /// Report an incident (everyone signed in).
    case reportIncident
    /// See other people's incident reports: the units a manager manages, everything for safety and
    /// restrictive-practice leads and administrators. Everyone always sees their own reports.
    case viewIncidents
    /// Handle incident cases: review, investigate, agree actions, close, message the reporter. Managers for
    /// their own units, safety leads everywhere. Harassment and staff-on-staff cases are HR's alone.
    case handleIncidents
    /// Handle harassment and staff-on-staff cases (European agreement, REFERENCE §7): HR case handlers only.
    case handleHarassmentCases
    /// Download the violent incident log with no personal identifiers (SB 553, §3342(d)) and the redacted
    /// export staff-side representatives are entitled to.
    case exportIncidentLog
    /// Set retention periods and see what the purge job did.
    case manageRetention
    /// Use the RIDDOR decision helper (a pure calculation; anyone who may report may use it).
    case assessRiddor
    /// Start, check in on and end one's own lone-working visits, raise an alarm (everyone signed in).
    case workAlone
    /// See the live lone-worker board, acknowledge and resolve alerts: managers for their units, safety leads
    /// and administrators everywhere.
    case monitorLoneWorkers
    /// Write escalation policies and assign them to units: administrators and safety leads.
    case manageEscalationPolicies
    /// Keep the register of lone-worker devices (who has which, supplier, BS 8484 certification): administrators and safety leads.
    case manageLoneWorkingDevices
    /// Add and revoke the systems that post alarm events (device platforms, alarm receiving centres): administrators.
    case manageIntegrations
    /// Lone-working history and reports: managers for their units, safety leads and administrators everywhere.
    case viewLoneWorkingReports
    /// Record a use-of-force episode (Use of Force Act s6): staff and managers for their units,
    /// restrictive-practice leads everywhere.
    case recordUseOfForce
    /// See other people's use-of-force records, patient names and NHS numbers included: managers for their units,
    /// restrictive-practice and safety leads everywhere. Staff see only the episodes they recorded.
    case viewUseOfForce
    /// The senior review an alert asks for (prone, pain-based technique, mechanical restraint, seclusion of a
    /// patient not detained): restrictive-practice leads, who are the Act's responsible person's delegates.
    case reviewUseOfForce
    /// Open the use-of-force list and records at all: whoever records or views them (each record is then checked).
    case accessUseOfForce
    /// Set the debrief targets and other use-of-force settings: administrators and restrictive-practice leads.
    case manageUseOfForceSettings
    /// Write behaviour support plans: managers for their units, restrictive-practice leads everywhere. Those who may
    /// view use of force on a unit may read its plans.
    case manageBehaviourSupportPlans
    /// Reduction analytics and the anonymised export (aggregates, no personal data): restrictive-practice and safety
    /// leads, executives and partnership representatives everywhere, managers for their units.
    case viewUseOfForceStatistics
    /// Enter a unit's patient population by characteristic, which disproportionality ratios divide by:
    /// restrictive-practice leads and administrators everywhere, managers for their units.
    case manageUseOfForcePopulation
    /// Set the links to the use-of-force policy and patient information the annual report shows: restrictive-practice
    /// leads (the responsible person's delegates) and administrators.
    case publishUseOfForceReport
    /// Read s9 investigations of deaths and serious injuries: restrictive-practice and safety leads, administrators and
    /// executives everywhere, managers for their units.
    case viewUseOfForceInvestigations
    /// Lead, progress and conclude them: restrictive-practice and safety leads and administrators.
    case manageUseOfForceInvestigations
}

/// Which units an action may touch for an actor.
public enum UnitScope: Sendable, Equatable {
    case none
    case all
    case units(Set<String>)

    public func contains(_ unitId: String) -> Bool {
        switch self {
        case .none: false
        case .all: true
        case .units(let ids): ids.contains(unitId)
        }
    }

    public var isNone: Bool { self == .none }

    public func union(_ other: UnitScope) -> UnitScope {
        switch (self, other) {
        case (.all, _), (_, .all): .all
        case (.none, let scope), (let scope, .none): scope
        case (.units(let a), .units(let b)): .units(a.union(b))
        }
    }
}

/// The permission rules, as one pure function used by the web pages, the API and the CLI alike.
public enum Access {
    public static func scope(of actor: Actor, for action: Action) -> UnitScope {
        let roles = actor.roles
        let isAdmin = roles.contains(.admin)
        switch action {
        case .viewHome, .manageOwnAccount, .viewNotifications, .viewOrganisation, .assessRiddor, .reportIncident, .workAlone:
            return roles.isEmpty ? .none : .all
        case .manageOrganisation, .manageUsers, .issuePasswordReset, .viewAuditTrail, .manageWebhooks, .manageRetention, .manageIntegrations:
            return isAdmin ? .all : .none
        case .viewUsers:
            // Safety leads and HR need the whole staff list; a manager sees the people of their units.
            if isAdmin || roles.contains(.safetyLead) || roles.contains(.hrCaseHandler) { return .all }
            return roles.contains(.manager) ? .units(actor.unitIds) : .none
        case .recordActivity:
            if isAdmin { return .all }
            return roles.contains(.manager) ? .units(actor.unitIds) : .none
        case .viewIncidents:
            if isAdmin || roles.contains(.safetyLead) || roles.contains(.restrictivePracticeLead) { return .all }
            return roles.contains(.manager) ? .units(actor.unitIds) : .none
        case .handleIncidents:
            if roles.contains(.safetyLead) { return .all }
            return roles.contains(.manager) ? .units(actor.unitIds) : .none
        case .handleHarassmentCases:
            return roles.contains(.hrCaseHandler) ? .all : .none
        case .exportIncidentLog:
            if isAdmin || roles.contains(.safetyLead) || roles.contains(.partnershipRep) || roles.contains(.executive) { return .all }
            return roles.contains(.manager) ? .units(actor.unitIds) : .none
        case .monitorLoneWorkers, .viewLoneWorkingReports:
            if isAdmin || roles.contains(.safetyLead) { return .all }
            return roles.contains(.manager) ? .units(actor.unitIds) : .none
        case .manageEscalationPolicies, .manageLoneWorkingDevices:
            return isAdmin || roles.contains(.safetyLead) ? .all : .none
        case .recordUseOfForce:
            if roles.contains(.restrictivePracticeLead) { return .all }
            return roles.contains(.staff) || roles.contains(.manager) ? .units(actor.unitIds) : .none
        case .viewUseOfForce:
            if roles.contains(.restrictivePracticeLead) || roles.contains(.safetyLead) { return .all }
            return roles.contains(.manager) ? .units(actor.unitIds) : .none
        case .reviewUseOfForce:
            return roles.contains(.restrictivePracticeLead) ? .all : .none
        case .accessUseOfForce:
            return scope(of: actor, for: .recordUseOfForce).union(scope(of: actor, for: .viewUseOfForce))
        case .manageUseOfForceSettings:
            return isAdmin || roles.contains(.restrictivePracticeLead) ? .all : .none
        case .manageBehaviourSupportPlans:
            if roles.contains(.restrictivePracticeLead) { return .all }
            return roles.contains(.manager) ? .units(actor.unitIds) : .none
        case .viewUseOfForceStatistics:
            if roles.contains(.restrictivePracticeLead) || roles.contains(.safetyLead) || roles.contains(.executive)
                || roles.contains(.partnershipRep) { return .all }
            return roles.contains(.manager) ? .units(actor.unitIds) : .none
        case .manageUseOfForcePopulation:
            if isAdmin || roles.contains(.restrictivePracticeLead) { return .all }
            return roles.contains(.manager) ? .units(actor.unitIds) : .none
        case .publishUseOfForceReport:
            return isAdmin || roles.contains(.restrictivePracticeLead) ? .all : .none
        case .viewUseOfForceInvestigations:
            if isAdmin || roles.contains(.restrictivePracticeLead) || roles.contains(.safetyLead) || roles.contains(.executive) { return .all }
            return roles.contains(.manager) ? .units(actor.unitIds) : .none
        case .manageUseOfForceInvestigations:
            return isAdmin || roles.contains(.restrictivePracticeLead) || roles.contains(.safetyLead) ? .all : .none
        }
    }

    /// Whether the actor may do the action at all (for some unit), or for the given unit.
    public static func allows(_ actor: Actor, _ action: Action, unitId: String? = nil) -> Bool {
        let scope = scope(of: actor, for: action)
        if let unitId { return scope.contains(unitId) }
        switch scope {
        case .none: return false
        case .all: return true
        case .units(let ids): return !ids.isEmpty
        }
    }
}
