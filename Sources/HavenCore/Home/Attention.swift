/// One item of a user's "needs your attention" list on the home page.
public struct AttentionItem: Sendable, Equatable, Codable {
    public var title: String
    public var detail: String
    public var link: String
    /// Items due soonest or most serious first.
    public var priority: Int

    public init(title: String, detail: String, link: String, priority: Int) {
        self.title = title
        self.detail = detail
        self.link = link
        self.priority = priority
    }
}
