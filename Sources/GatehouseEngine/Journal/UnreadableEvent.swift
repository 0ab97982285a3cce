/// A stored row of the journal that cannot be read as an event: one of its fields is not of
/// the field's type, which only an edit of the journal's file or tables can do.
public struct UnreadableEvent: Error, Equatable, CustomStringConvertible {
    /// The row's sequence number.
    public var sequence: Int64
    /// Which field, and what it holds.
    public var problem: String

    public init(sequence: Int64, problem: String) {
        self.sequence = sequence
        self.problem = problem
    }

    public var description: String {
        "journal event \(sequence) cannot be read: \(problem); the journal was edited (run `gatehouse verify`)"
    }
}
