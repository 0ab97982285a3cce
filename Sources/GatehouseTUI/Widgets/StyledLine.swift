import GatehouseCore

/// A line of text made of runs in different roles.
public struct StyledLine: Sendable, Equatable {
    /// One run of text in one role.
    public struct Run: Sendable, Equatable {
        public var text: String
        public var role: Role
    }

    public var runs: [Run]

    public init(_ runs: [Run] = []) { self.runs = runs }

    /// A line of one run.
    public init(_ text: String, _ role: Role = .normal) { runs = [Run(text: text, role: role)] }

    /// The line with a run appended.
    public func adding(_ text: String, _ role: Role = .normal) -> StyledLine {
        StyledLine(runs + [Run(text: text, role: role)])
    }

    /// The columns the line takes.
    public var width: Int { runs.reduce(0) { $0 + DisplayWidth.of($1.text) } }

    /// Draws the line at (`x`, `y`), clipped to `clip`; returns the column after it.
    @discardableResult
    public func draw(on canvas: inout Canvas, x: Int, y: Int, clip: Rect) -> Int {
        var column = x
        for run in runs {
            column = canvas.put(run.text, x: column, y: y, role: run.role, clip: clip)
        }
        return column
    }

    /// Lines for `text` wrapped to `width` columns, each starting with `indent`.
    public static func wrapped(_ text: String, width: Int, indent: String = "", role: Role = .normal) -> [StyledLine] {
        DisplayWidth.wrap(text, to: max(1, width - DisplayWidth.of(indent))).map { StyledLine(indent + $0, role) }
    }

    /// The line broken into lines of at most `width` columns at spaces, keeping each run's
    /// role; continuation lines start with `indent` spaces. A word wider than a line is cut.
    public func wrapped(to width: Int, indent: Int) -> [StyledLine] {
        guard self.width > width, width > indent + 8 else { return [self] }
        var lines: [StyledLine] = []
        var current = StyledLine()
        var column = 0
        func newLine() {
            lines.append(current)
            current = StyledLine(String(repeating: " ", count: indent))
            column = indent
        }
        for run in runs {
            // Words with the spaces after them, so that spacing survives the breaks.
            var words: [String] = []
            var word = ""
            for character in run.text {
                if character != " " && word.last == " " { words.append(word); word = "" }
                word.append(character)
            }
            if !word.isEmpty { words.append(word) }
            for var piece in words {
                if column + DisplayWidth.of(piece.trimmingCharacters(in: .whitespaces)) > width && column > indent { newLine() }
                // A word wider than the room left is cut across lines.
                while DisplayWidth.of(piece.trimmingCharacters(in: .whitespaces)) > width - column {
                    let head = DisplayWidth.truncate(piece, to: width - column, ellipsis: "")
                    current = current.adding(head, run.role)
                    piece = String(piece.dropFirst(head.count))
                    newLine()
                }
                current = current.adding(piece, run.role)
                column += DisplayWidth.of(piece)
            }
        }
        lines.append(current)
        return lines
    }
}
