import GatehouseCore

/// An in-memory grid of cells that screens draw on.
///
/// A canvas knows nothing of terminals: the backend puts it on the screen, sending only the
/// cells that differ from the previous frame, and tests read it as text. Drawing outside the
/// grid is clipped, never an error.
public struct Canvas: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Whether every text put on the canvas is folded to ASCII (terminals without UTF-8).
    public let asciiOnly: Bool
    private var cells: [Cell]

    /// A blank canvas of `width` x `height` cells; `asciiOnly` folds all text to ASCII.
    public init(width: Int, height: Int, asciiOnly: Bool = false) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.asciiOnly = asciiOnly
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The whole canvas as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` from column `x` of row `y` in `role`, clipped to `clip` (the whole
    /// canvas by default). Returns the column after the last one written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: Role = .normal, clip: Rect? = nil) -> Int {
        let clip = clip ?? bounds
        guard y >= max(0, clip.y), y < min(height, clip.bottom) else { return x }
        let left = max(0, clip.x)
        let right = min(width, clip.right)
        var column = x
        let text = asciiOnly ? ASCIIFolding.fold(text) : text
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return putASCII(text, x: x, y: y, role: role, left: left, right: right) }
        for character in text {
            if let ascii = character.asciiValue {
                // An ASCII character (CR LF counts as one) in mixed text: a cell from the table,
                // as in `putASCII`, with no string made for it.
                if column + 1 > right { break }
                if column >= left { self[column, y] = Self.asciiCell(ascii, role: role) }
                column += 1
                continue
            }
            let cellWidth = DisplayWidth.of(character)
            if cellWidth == 0 { continue }
            if column + cellWidth > right { break }
            if column >= left {
                self[column, y] = Cell(String(character), role: role)
                if cellWidth == 2 { self[column + 1, y] = Cell("", role: role) }
            }
            column += cellWidth
        }
        return column
    }

    /// `put` for text that is all ASCII (nearly all a screen shows): a cell per byte, with no
    /// grapheme breaking and no string made per character, the same cells as the general loop
    /// (a control character shows as a space, CR LF is one cell).
    private mutating func putASCII(_ text: String, x: Int, y: Int, role: Role, left: Int, right: Int) -> Int {
        var column = x
        var previous: UInt8 = 0
        for byte in text.utf8 {
            defer { previous = byte }
            if byte == 0x0A && previous == 0x0D { continue }
            if column + 1 > right { break }
            if column >= left { self[column, y] = Self.asciiCell(byte, role: role) }
            column += 1
        }
        return column
    }

    /// The cell of one ASCII character: a control character shows as a space.
    private static func asciiCell(_ byte: UInt8, role: Role) -> Cell {
        Cell(byte < 0x20 ? " " : asciiStrings[Int(byte)], role: role)
    }

    /// The one-character string of each ASCII byte.
    private static let asciiStrings: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) }

    /// Paints every cell of `rect` with `character` in `role`.
    public mutating func fill(_ rect: Rect, character: String = " ", role: Role = .normal) {
        for y in max(0, rect.y)..<min(height, rect.bottom) {
            for x in max(0, rect.x)..<min(width, rect.right) {
                self[x, y] = Cell(character, role: role)
            }
        }
    }

    /// Gives every cell of `rect` the role `role`, keeping its character.
    public mutating func paint(_ rect: Rect, role: Role) {
        for y in max(0, rect.y)..<min(height, rect.bottom) {
            for x in max(0, rect.x)..<min(width, rect.right) {
                self[x, y].role = role
            }
        }
    }

    /// The canvas as lines of text, trailing spaces kept, one per row.
    public var lines: [String] {
        (0..<height).map { y in
            (0..<width).reduce(into: "") { line, x in line += self[x, y].character }
        }
    }

    /// The canvas as one string, rows joined by newlines, trailing spaces trimmed.
    public var text: String {
        lines.map { line in
            var line = line
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
