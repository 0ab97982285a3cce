/// The gate board as text or JSON, for `gatehouse gates`: gates with their effective status
/// and blockers, gaps, macros with the gates they need, and policy rules.
public enum GatesExport {
    /// The output formats.
    public enum Format: String, Sendable, CaseIterable {
        case text
        case json
    }

    /// The gate board of `programme` in `format` (live: `board`, the file's own without one),
    /// ending in a newline.
    public static func render(_ programme: Programme, board: GateBoard? = nil, format: Format, glyphs: GlyphSet) -> String {
        switch format {
        case .text: text(programme, board: board ?? GateBoard(programme), glyphs: glyphs)
        case .json: ProgrammeJSON.gates(programme, board: board)
        }
    }

    /// Sections Gates, Gaps, Macros and Policy rules as aligned text.
    public static func text(_ programme: Programme, board: GateBoard, glyphs: GlyphSet) -> String {
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
            for signOff in entry.signOffs {
                lines.append(glyphs.fit("      signed \(signOff.act.passes ? "pass" : "fail") by \(signOff.act.by) (\(signOff.act.provider)) at #\(signOff.sequence), \(JournalTime.utc(signOff.time)) UTC"
                    + (signOff.act.passes ? "" : ": \(signOff.act.reason)")))
            }
            for stale in entry.stale {
                lines.append(glyphs.fit("      stale: \(stale.why)"))
            }
            if !entry.gate.isSovereign && entry.status != .pass && (!entry.signOffs.isEmpty || entry.signaturesNeeded > 1) {
                lines.append("      \(entry.signatureCount)")
            }
            if entry.isReadyToSign {
                lines.append("      ready to sign: gatehouse gate sign \(entry.gate.id) --as NAME")
            }
            for blocker in entry.blockers {
                lines.append(glyphs.fit("      blocked by: \(blocker.reason)"))
            }
            if let note = entry.gate.note { lines.append(glyphs.fit("      note: \(note)")) }
        }

        lines += ["", "Gaps"]
        let gapRows = programme.gaps.map { gap in
            let state = board.gap(gap.id)
            let status = board.book.gaps[gap.id] == nil ? gap.status.rawValue : (state.closed ? "closed" : "open")
            return [gap.id, status, gap.closedBy.map { $0.joined(separator: ", ") } ?? "unknown", gap.title ?? "(title unknown)"]
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
