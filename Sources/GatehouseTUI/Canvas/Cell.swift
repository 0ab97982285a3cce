/// One character cell of the canvas: what it shows and with which role.
public struct Cell: Sendable, Equatable {
    /// The grapheme shown; empty for the right half of a wide character.
    public var character: String
    /// How the cell is styled.
    public var role: Role

    public init(_ character: String = " ", role: Role = .normal) {
        self.character = character
        self.role = role
    }

    /// A blank cell.
    public static let blank = Cell()

    /// Whether this cell is the right half of a wide character drawn in the cell before it.
    public var isContinuation: Bool { character.isEmpty }
}
