/// One character cell of the canvas: what it shows and with which role.
package struct Cell: Sendable, Equatable {
    /// The grapheme shown; empty for the right half of a wide character.
    package var character: String
    /// How the cell is styled.
    package var role: Role

    package init(_ character: String = " ", role: Role = .normal) {
        self.character = character
        self.role = role
    }

    /// A blank cell.
    package static let blank = Cell()

    /// Whether this cell is the right half of a wide character drawn in the cell before it.
    package var isContinuation: Bool { character.isEmpty }
}
