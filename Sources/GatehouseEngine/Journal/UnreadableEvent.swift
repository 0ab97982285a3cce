/// A stored row of the journal that cannot be read as an event: one of its fields is not of
/// the field's type, which only an edit of the journal's file or tables can do.
package struct UnreadableEvent: Error, Equatable, CustomStringConvertible {
    /// The row's sequence number.
    package var sequence: Int64
    /// Which field, and what it holds.
    package var problem: String

    package init(sequence: Int64, problem: String) {
        self.sequence = sequence
        self.problem = problem
    }

    package var description: String {
        "journal event \(sequence) cannot be read: \(problem); the journal was edited (run `gatehouse verify`)"
    }
}
