import Foundation

/// The comparative summary and recommended combination as text, Markdown or JSON, for
/// `gatehouse matrix`.
public enum MatrixExport {
    /// The output formats.
    public enum Format: String, Sendable, CaseIterable {
        case text
        case markdown
        case json
    }

    /// The matrix of `programme` in `format`, ending in a newline.
    public static func render(_ programme: Programme, format: Format, glyphs: GlyphSet, order: MatrixOrder = .document) -> String {
        switch format {
        case .text: text(programme, glyphs: glyphs, order: order)
        case .markdown: markdown(programme, glyphs: glyphs, order: order)
        case .json: ProgrammeJSON.matrix(programme, order: order)
        }
    }

    /// An aligned plain-text table, then the gate result and recommended combination.
    public static func text(_ programme: Programme, glyphs: GlyphSet, order: MatrixOrder = .document) -> String {
        let summary = ComparativeSummary(programme, order: order)
        var lines = [glyphs.fit(title(programme)), ""]
        lines += TextTable.lines(headings: summary.headings, rows: summary.table(glyphs), rule: glyphs.horizontal)
        lines += ["", glyphs.fit("\(programme.analysis.gate) result")]
        let combination = RecommendedCombination(programme)
        lines.append(combination.resultLine)
        lines += combination.lines(glyphs)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The seed's §4 table as Markdown, then §5 as a code block.
    public static func markdown(_ programme: Programme, glyphs: GlyphSet, order: MatrixOrder = .document) -> String {
        let summary = ComparativeSummary(programme, order: order)
        func row(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        var lines = ["## \(glyphs.fit(title(programme)))", "", "### Comparative summary", ""]
        lines.append(row(summary.headings))
        lines.append("|" + String(repeating: "---|", count: summary.headings.count))
        lines += summary.table(glyphs).map(row)
        let combination = RecommendedCombination(programme)
        lines += ["", "### \(programme.analysis.gate) result", "", "```", combination.resultLine]
        lines += combination.lines(glyphs)
        lines.append("```")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `O5 Release / Live-Production Planning — 03 - Options Analysis (G3)`.
    static func title(_ programme: Programme) -> String {
        var title = programme.info.title
        if let document = programme.info.document { title += " — \(document)" }
        return title + " (\(programme.analysis.gate))"
    }
}
