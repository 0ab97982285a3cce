/// Plain-text tables with columns aligned by display width.
public enum TextTable {
    /// The heading, a rule under it, then the rows; columns two spaces apart. Each cell is one
    /// line with its controls shown inert (``TerminalText/inertLine(_:)``), so that no value
    /// breaks a row or moves a column.
    public static func lines(headings: [String], rows: [[String]], rule: String) -> [String] {
        let rows = rows.map { $0.map(TerminalText.inertLine) }
        var widths = headings.map(DisplayWidth.of)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], DisplayWidth.of(cell))
            }
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : DisplayWidth.pad(cell, to: widths[index])
            }
            return padded.joined(separator: "  ")
        }
        let ruleLine = widths.map { String(repeating: rule, count: $0) }.joined(separator: "  ")
        return [line(headings), ruleLine] + rows.map(line)
    }
}
