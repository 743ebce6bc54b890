/// Every use-of-force page address, for the router and for links.
enum UseOfForceRoute {
    case list
    case new
    case episode(String)
    case edit(String)
    case review(String)
    case analytics
    case population
    case export

    var path: String {
        switch self {
        case .list: "/use-of-force"
        case .new: "/use-of-force/new"
        case .episode(let id): "/use-of-force/\(id)"
        case .edit(let id): "/use-of-force/\(id)/edit"
        case .review(let id): "/use-of-force/\(id)/review"
        case .analytics: "/use-of-force/analytics"
        case .population: "/use-of-force/population"
        case .export: "/use-of-force/export"
        }
    }
}
