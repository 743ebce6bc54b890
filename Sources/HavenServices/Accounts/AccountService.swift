import Foundation
import HavenCore
import HavenData
import HummingbirdBcrypt
import HummingbirdOTP
import NIOPosix

/// Accounts as the web pages, the API and the CLI use them: validation, password hashing and sign-in rules.
public struct AccountService: Sendable {
    public let users: UserStore
    let organisations: OrganisationStore
    let throttle: LoginThrottle
    let clock: any HavenClock
    /// bcrypt's work factor; tests lower it so suites stay quick.
    let bcryptCost: UInt8

    public init(users: UserStore, organisations: OrganisationStore, throttle: LoginThrottle, clock: any HavenClock, bcryptCost: UInt8) {
        self.users = users
        self.organisations = organisations
        self.throttle = throttle
        self.clock = clock
        self.bcryptCost = bcryptCost
    }

    /// bcrypt takes tens of milliseconds by design: keep it off the event loops.
    public func hash(password: String) async throws -> String {
        let cost = bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// What someone typed to create or edit a user.
    public struct UserInput: Sendable {
        public var email: String
        public var name: String
        public var jobTitle: String
        public var roles: [String]
        /// Unit codes.
        public var units: [String]
        public var active: Bool

        public init(email: String, name: String, jobTitle: String = "", roles: [String], units: [String], active: Bool = true) {
            self.email = email
            self.name = name
            self.jobTitle = jobTitle
            self.roles = roles
            self.units = units
            self.active = active
        }
    }

    /// Checks a user's details against the organisation: a valid e-mail, known roles, known units.
    public func validate(_ input: UserInput, organisationId: String, id: String) async throws -> User {
        var errors = FieldErrors()
        let email = Validate.text(input.email, field: "email", label: "E-mail address", required: true, max: 254, into: &errors).lowercased()
        if errors["email"] == nil && !Validate.email(email) { errors.add("email", "Enter an e-mail address in the right format, like name@example.org") }
        let name = Validate.text(input.name, field: "name", label: "Name", required: true, max: 200, into: &errors)
        let jobTitle = Validate.text(input.jobTitle, field: "jobTitle", label: "Job title", required: false, max: 200, into: &errors)
        var roles: Set<Role> = []
        for text in input.roles {
            do { roles.insert(try Role.parse(text)) } catch { errors.add("roles", error.message) }
        }
        if roles.isEmpty && errors["roles"] == nil { errors.add("roles", "Choose at least one role") }
        let known = try await organisations.units(organisationId: organisationId)
        var unitIds: Set<String> = []
        for code in input.units where !code.isEmpty {
            if let unit = known.first(where: { $0.code.caseInsensitiveCompare(code) == .orderedSame || $0.id == code }) {
                unitIds.insert(unit.id)
            } else {
                errors.add("units", "Unknown unit '\(code)'. Valid units: \(known.map(\.code).joined(separator: ", ")).")
            }
        }
        try errors.throwIfAny()
        return User(id: id, organisationId: organisationId, email: email, name: name, jobTitle: jobTitle, roles: roles,
                    unitIds: unitIds, active: input.active)
    }

    /// Creates a user. With no password, one is generated and returned so it can be handed over once.
    public func createUser(_ input: UserInput, password: String?, origin: Origin) async throws -> (user: User, generatedPassword: String?) {
        let user = try await validate(input, organisationId: origin.organisationId, id: Identifier.make())
        var generated: String?
        if let password {
            if let problem = Validate.password(password) { throw FieldErrors("password", problem) }
        } else {
            generated = Identifier.secret(length: 16)
        }
        try await users.create(user, passwordHash: try await hash(password: password ?? generated!), origin: origin)
        return (user, generated)
    }

    public enum SignInResult: Sendable {
        case signedIn(User)
        /// The password was right; a TOTP code is needed next.
        case needsSecondFactor(User)
        case invalid
        case throttled(retryAfter: Int)
    }

    /// Checks an e-mail and password. The answer for an unknown account and a wrong password is the same,
    /// and takes as long, so that nobody learns who has an account.
    public func signIn(email: String, password: String, otp: String?, address: String, origin: (String?) -> Origin) async throws -> SignInResult {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        if let wait = throttle.retryAfter(account: email, address: address) { return .throttled(retryAfter: wait) }
        let stored = try await users.find(email: email)
        // A fixed hash of the same cost keeps the timing of an unknown account like that of a known one.
        let matches = try await verify(password: password, hash: stored?.passwordHash ?? DecoyHashes.shared.hash(cost: bcryptCost))
        guard let stored, matches, stored.user.active else {
            throttle.recordFailure(account: email, address: address)
            // An unknown address is still recorded, against the installation's organisation.
            var organisationId = stored?.user.organisationId
            if organisationId == nil { organisationId = try await organisations.primaryOrganisation()?.id }
            try await users.recordFailedSignIn(email: email, origin: origin(organisationId))
            return .invalid
        }
        if stored.user.twoFactorEnabled, let secret = stored.totpSecret {
            guard let otp, !otp.isEmpty else { return .needsSecondFactor(stored.user) }
            guard Self.checkTOTP(otp, secret: secret, at: clock.now()) else {
                throttle.recordFailure(account: email, address: address)
                try await users.recordFailedSignIn(email: email, origin: origin(stored.user.organisationId))
                return .invalid
            }
        }
        throttle.recordSuccess(account: email)
        return .signedIn(stored.user)
    }

    /// Checks a second-factor code for a user whose password was already accepted.
    public func verifySecondFactor(userId: String, organisationId: String, code: String, address: String) async throws -> Bool {
        guard let stored = try await users.find(id: userId, organisationId: organisationId), let secret = stored.totpSecret else { return false }
        if let _ = throttle.retryAfter(account: stored.user.email, address: address) { return false }
        if Self.checkTOTP(code, secret: secret, at: clock.now()) { return true }
        throttle.recordFailure(account: stored.user.email, address: address)
        return false
    }

    /// A code is accepted for the current 30-second step and one step either side, for clock drift.
    public static func checkTOTP(_ code: String, secret: String, at date: Date) -> Bool {
        let digits = code.filter(\.isNumber)
        guard digits.count == 6, let value = Int(digits) else { return false }
        let totp = TOTP(secret: secret)
        return [-30.0, 0, 30].contains { totp.compute(date: date + $0) == value }
    }

    public static func makeTOTPSecret() -> String { Identifier.secret(length: 20) }

    public static func authenticatorURL(secret: String, email: String) -> String {
        TOTP(secret: secret).createAuthenticatorURL(label: email, issuer: "Haven")
    }

    public func changePassword(userId: String, organisationId: String, current: String, new: String, confirm: String,
                               keepSession: String?, origin: Origin) async throws {
        guard let stored = try await users.find(id: userId, organisationId: organisationId) else { throw NotFound("user") }
        var errors = FieldErrors()
        if !(try await verify(password: current, hash: stored.passwordHash)) { errors.add("currentPassword", "Your current password is not right") }
        if let problem = Validate.password(new) { errors.add("newPassword", problem) }
        else if new != confirm { errors.add("confirmPassword", "The two new passwords do not match") }
        try errors.throwIfAny()
        try await users.setPassword(userId: userId, passwordHash: try await hash(password: new), keepSession: keepSession, origin: origin)
    }

}

extension UserStore {
    /// Records a failed sign-in in the audit trail (without the password, and with the address tried).
    func recordFailedSignIn(email: String, origin: Origin) async throws {
        try await AuditLog.record(database, at: clock.now(), origin: origin, action: "sign-in.failure", entity: "account",
                                  entityId: nil, changes: ["email": email])
    }
}

/// A bcrypt hash of a random string at the service's own cost, made once on first use (not at start-up,
/// which must stay fast), so that checking an unknown account costs as long as checking a known one.
private final class DecoyHashes: @unchecked Sendable {
    static let shared = DecoyHashes()
    private let lock = NSLock()
    private var byCost: [UInt8: String] = [:]
    func hash(cost: UInt8) -> String {
        lock.withLock {
            if let hash = byCost[cost] { return hash }
            let hash = Bcrypt.hash(Identifier.secret(length: 24), cost: cost)
            byCost[cost] = hash
            return hash
        }
    }
}
