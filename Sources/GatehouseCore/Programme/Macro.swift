/// A macro: a step of the programme that carries one or more options (O6, O7, O8).
package struct Macro: Sendable, Equatable, Identifiable {
    /// When the recommendation schedules it.
    package enum Order: String, Sendable, Equatable, CaseIterable {
        case next
        case then
        case later
    }

    /// Identifier, such as `O6`.
    package var id: String
    /// Its place in the recommended combination.
    package var order: Order
    /// The options it carries, in order.
    package var options: [String]
    /// The options folded into it rather than run on their own.
    package var folded: [String]
    /// The level of its gate.
    package var level: GateLevel
    /// A remark the recommendation adds in parentheses, such as `xhigh, separate sovereign ruling`.
    package var remark: String?
    /// The gates it needs to pass.
    package var needs: [String]

    package init(
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
