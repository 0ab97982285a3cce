/// Markdown (GitHub-flavoured) tables whose cells hold any text without breaking the table.
public enum MarkdownTable {
    /// The heading row, the delimiter row, then one row per entry of `rows`.
    public static func lines(headings: [String], rows: [[String]]) -> [String] {
        [row(headings), "|" + String(repeating: " --- |", count: headings.count)] + rows.map(row)
    }

    /// One row: each cell escaped, between pipes.
    public static func row(_ cells: [String]) -> String {
        "| " + cells.map(escape).joined(separator: " | ") + " |"
    }

    /// `text` as it must appear in a cell (or anywhere inline) to read as itself: backslashes
    /// and pipes escaped, line breaks as `<br>`, so a value never ends or splits its row.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "|": out += "\\|"
            case "\r\n", "\n", "\r": out += "<br>"
            default: out.append(character)
            }
        }
        return out
    }
}
