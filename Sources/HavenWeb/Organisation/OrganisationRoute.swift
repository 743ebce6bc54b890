enum OrganisationRoute {
    case organisation
    case sites
    case site(id: String)
    case units
    case newUnit
    case unit(id: String)
    case unitActivity(id: String)
    case users
    case newUser
    case user(id: String)
    case passwordReset(userId: String)

    var path: String {
        switch self {
        case .organisation: "/admin/organisation"
        case .sites: "/admin/sites"
        case .site(let id): "/admin/sites/\(id)"
        case .units: "/units"
        case .newUnit: "/units/new"
        case .unit(let id): "/units/\(id)"
        case .unitActivity(let id): "/units/\(id)/activity"
        case .users: "/people"
        case .newUser: "/people/new"
        case .user(let id): "/people/\(id)"
        case .passwordReset(let userId): "/people/\(userId)/password-reset"
        }
    }
}
