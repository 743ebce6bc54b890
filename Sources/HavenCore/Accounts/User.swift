public struct User: Codable, Sendable, Equatable {
    public var id: String
    public var organisationId: String
    public var email: String
    public var name: String
    public var jobTitle: String
    public var roles: Set<Role>
    /// Units the user belongs to; for a manager, the units they manage.
    public var unitIds: Set<String>
    public var active: Bool
    public var twoFactorEnabled: Bool

    public init(id: String, organisationId: String, email: String, name: String, jobTitle: String,
                roles: Set<Role>, unitIds: Set<String>, active: Bool = true, twoFactorEnabled: Bool = false) {
        self.id = id
        self.organisationId = organisationId
        self.email = email
        self.name = name
        self.jobTitle = jobTitle
        self.roles = roles
        self.unitIds = unitIds
        self.active = active
        self.twoFactorEnabled = twoFactorEnabled
    }

    public var isPrivileged: Bool { roles.contains { $0.isPrivileged } }

    public var actor: Actor { Actor(userId: id, organisationId: organisationId, roles: roles, unitIds: unitIds) }
}
