/// A macro: a step of the programme that carries one or more options (O6, O7, O8).
public struct Macro: Sendable, Equatable, Identifiable, Codable {
    /// When the recommendation schedules it.
    public enum Order: String, Sendable, Equatable, CaseIterable, Codable {
        case next
        case then
        case later
    }

    /// Identifier, such as `O6`.
    public var id: String
    /// Its place in the recommended combination.
    public var order: Order
    /// The options it carries, in order.
    public var options: [String]
    /// The options folded into it rather than run on their own.
    public var folded: [String]
    /// The level of its gate.
    public var level: GateLevel
    /// A remark the recommendation adds in parentheses, such as `xhigh, separate sovereign ruling`.
    public var remark: String?
    /// The gates it needs to pass.
    public var needs: [String]

    public init(
        id: String, order: Order, options: [String], folded: [String] = [], level: GateLevel,
        remark: String? = nil, needs: [String] = []
    ) {
        self.id = id
        self.order = order
        self.options = options
        self.folded = folded
        self.level = level
        self.remark = remark
        self.needs = needs
    }
}
