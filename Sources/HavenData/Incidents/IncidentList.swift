import HavenCore

/// One page of the incident list and how many reports match in all. When counting stopped early, `total` is a
/// lower bound and `totalIsCapped` says so: "more than 10,000".
public struct IncidentList: Sendable {
    public var items: [IncidentReport] = []
    public var total = 0
    public var totalIsCapped = false

    public init(items: [IncidentReport] = [], total: Int = 0, totalIsCapped: Bool = false) {
        self.items = items
        self.total = total
        self.totalIsCapped = totalIsCapped
    }
}
