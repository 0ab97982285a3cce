/// The gate board as text or JSON, for `gatehouse gates`: gates with their effective status
/// and blockers, gaps, macros with the gates they need, and policy rules.
public enum GatesExport {
    /// The output formats.
    public enum Format: String, Sendable, CaseIterable {
        case text
        case json
    }

    /// The gate board of `programme` in `format`, ending in a newline.
    public static func render(_ programme: Programme, format: Format, glyphs: GlyphSet) -> String {
        switch format {
        case .text: text(programme, glyphs: glyphs)
        case .json: ProgrammeJSON.gates(programme)
        }
    }

    /// Sections Gates, Gaps, Macros and Policy rules as aligned text.
    public static func text(_ programme: Programme, glyphs: GlyphSet) -> String {
        let board = GateBoard(programme)
        var lines: [String] = [glyphs.fit(MatrixExport.title(programme)), "", "Gates"]
        let gateRows = board.entries.map { entry in
            [entry.gate.id, entry.gate.level?.rawValue ?? "unknown", entry.status.rawValue,
             (entry.gate.isSovereign ? "[sovereign] " : "") + (entry.gate.title ?? "(title unknown)")]
        }
        let gateTable = TextTable.lines(headings: ["Gate", "Level", "Status", "Title"], rows: gateRows, rule: glyphs.horizontal)
        lines += gateTable.prefix(2).map { "  " + $0 }
        for (entry, line) in zip(board.entries, gateTable.dropFirst(2)) {
            lines.append("  " + glyphs.fit(line))
            if !entry.gate.covers.isEmpty {
                lines.append("      covers: \(entry.gate.covers.joined(separator: ", "))")
            }
            for blocker in entry.blockers {
                lines.append(glyphs.fit("      blocked by: \(blocker.reason)"))
            }
            if let note = entry.gate.note { lines.append(glyphs.fit("      note: \(note)")) }
        }

        lines += ["", "Gaps"]
        let gapRows = programme.gaps.map { gap in
            [gap.id, gap.status.rawValue, gap.closedBy.map { $0.joined(separator: ", ") } ?? "unknown",
             gap.title ?? "(title unknown)"]
        }
        lines += TextTable.lines(headings: ["Gap", "Status", "Closed by", "Title"], rows: gapRows, rule: glyphs.horizontal)
            .map { "  " + glyphs.fit($0) }

        lines += ["", "Macros"]
        let macroRows = board.macros.map { entry in
            [entry.macro.id, entry.macro.order.rawValue, entry.macro.level.rawValue,
             entry.macro.options.map { entry.macro.folded.contains($0) ? "\($0) (folded)" : $0 }.joined(separator: " + "),
             entry.needs.map { "\($0.id) (\($0.status?.rawValue ?? "unknown"))" }.joined(separator: ", ")]
        }
        lines += TextTable.lines(headings: ["Macro", "Order", "Level", "Options", "Needs"], rows: macroRows, rule: glyphs.horizontal)
            .map { "  " + glyphs.fit($0) }

        lines += ["", "Policy rules"]
        for policy in programme.policies {
            lines.append(glyphs.fit("  \(policy.id): \(policy.option) scoped to \(policy.scope)"))
            lines.append(glyphs.fit("      \(policy.rule)"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
