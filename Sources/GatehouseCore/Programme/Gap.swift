/// A known gap between the programme and its goal, such as `GAP-1`.
public struct Gap: Sendable, Equatable, Identifiable, Codable {
    /// Whether the gap is still open.
    public enum Status: String, Sendable, Equatable, CaseIterable, Codable {
        case open
        case closed
        /// The source does not say.
        case unknown
    }

    /// Identifier, such as `GAP-1`.
    public var id: String
    /// What the gap is, or `nil` when the source does not say.
    public var title: String?
    /// Open, closed or unknown.
    public var status: Status
    /// The options that close it, or `nil` when the source does not say.
    public var closedBy: [String]?

    public init(id: String, title: String?, status: Status, closedBy: [String]?) {
        self.id = id
        self.title = title
        self.status = status
        self.closedBy = closedBy
    }
}
