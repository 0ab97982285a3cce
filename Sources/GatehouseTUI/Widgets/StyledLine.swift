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
}
