/// A parity comparison written out: as text for a terminal, Markdown for a review, JSON for a
/// script (`gatehouse compare A B --format text|markdown|json`).
public enum ParityReport {
    /// The verdict in one line: `parity: HOLDS (…)` or `parity: DIFFERS (2 differences…)`.
    public static func verdict(_ parity: RunParity) -> String {
        let expected = "\(parity.expected.count) expected between hosts"
        if parity.holds { return "parity: HOLDS (\(expected))" }
        let count = parity.differences.count
        return "parity: DIFFERS (\(count) difference\(count == 1 ? "" : "s") break\(count == 1 ? "s" : "") it; \(expected))"
    }

    /// One side in a line: `A  run 1a2b3c4d (this journal) on alpha: dry run of production-cut, closed`.
    static func side(_ label: String, _ side: ParitySide) -> String {
        let run = side.run
        let host = run.start.fingerprint.map { " on \($0.host)" } ?? ""
        let outcome = run.outcome.map(RunParity.outcome) ?? "not ended"
        return "\(label)  run \(run.id) (\(side.source))\(host): \(run.mode.label) of \(run.start.plan.id), \(outcome)"
    }

    /// Where a difference is: its phase, or `run`.
    static func place(_ difference: RunParity.Difference) -> String {
        difference.phase ?? "run"
    }

    public static func text(_ parity: RunParity) -> String {
        var lines = [verdict(parity), side("A", parity.a), side("B", parity.b), ""]
        lines += TextTable.lines(headings: ["PHASE", "A", "B", ""],
                                 rows: parity.phases.map { [$0.phase, $0.a, $0.b, $0.differs ? "DIFFERS" : ""] }, rule: "-")
        lines.append("")
        if parity.differences.isEmpty {
            lines.append("No difference breaks parity.")
        } else {
            lines.append("Differences that break parity:")
            for difference in parity.differences {
                lines.append("  \(place(difference)) · \(difference.field)")
                lines.append("    A  \(TerminalText.inertLine(difference.a))")
                lines.append("    B  \(TerminalText.inertLine(difference.b))")
            }
        }
        if !parity.expected.isEmpty {
            lines.append("")
            lines.append("Expected between hosts (do not break parity; --format json gives every value in full):")
            lines += TextTable.lines(headings: ["WHERE", "FIELD", "A", "B"],
                                     rows: parity.expected.map { [place($0), $0.field, short($0.a), short($0.b)] }, rule: "-")
                .map { "  " + $0 }
        }
        return lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n") + "\n"
    }

    /// The widest an expected value is shown in text, so that a close-out statement does not
    /// push the table off the screen.
    static let expectedValueWidth = 36

    private static func short(_ value: String) -> String {
        DisplayWidth.truncate(TerminalText.inertLine(value), to: expectedValueWidth)
    }

    public static func markdown(_ parity: RunParity) -> String {
        var lines = ["# Parity of two runs", "", "**\(MarkdownTable.escape(verdict(parity)))**", ""]
        lines += MarkdownTable.lines(headings: ["", "run", "read from", "host", "mode", "plan", "outcome"], rows: [
            row("A", parity.a), row("B", parity.b),
        ])
        lines += ["", "## Phases", ""]
        lines += MarkdownTable.lines(headings: ["phase", "A", "B", ""],
                                     rows: parity.phases.map { [$0.phase, $0.a, $0.b, $0.differs ? "**differs**" : ""] })
        lines += ["", "## Differences that break parity", ""]
        if parity.differences.isEmpty {
            lines.append("None.")
        } else {
            lines += MarkdownTable.lines(headings: ["where", "field", "A", "B"],
                                         rows: parity.differences.map { [place($0), $0.field, $0.a, $0.b] })
        }
        lines += ["", "## Expected between hosts (do not break parity)", ""]
        if parity.expected.isEmpty {
            lines.append("None.")
        } else {
            lines += MarkdownTable.lines(headings: ["where", "field", "A", "B"],
                                         rows: parity.expected.map { [place($0), $0.field, $0.a, $0.b] })
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func row(_ label: String, _ side: ParitySide) -> [String] {
        let run = side.run
        return [label, run.id, side.source, run.start.fingerprint?.host ?? RunParity.notRecorded, run.mode.label,
                run.start.plan.id, run.outcome.map(RunParity.outcome) ?? "not ended"]
    }

    public static func json(_ parity: RunParity) -> JSONValue {
        func difference(_ difference: RunParity.Difference) -> JSONValue {
            .object(["phase": difference.phase.map(JSONValue.string) ?? .null, "field": .string(difference.field),
                     "a": .string(difference.a), "b": .string(difference.b)])
        }
        func side(_ side: ParitySide) -> JSONValue {
            var members: [String: JSONValue] = [
                "run": .string(side.run.id), "source": .string(side.source), "mode": .string(side.run.mode.rawValue),
                "plan": .string(side.run.start.plan.id),
                "outcome": side.run.outcome.map { .string(RunParity.outcome($0)) } ?? .null,
            ]
            if let fingerprint = side.run.start.fingerprint { members["fingerprint"] = fingerprint.json }
            return .object(members)
        }
        return .object([
            "parity": .bool(parity.holds),
            "a": side(parity.a), "b": side(parity.b),
            "phases": .array(parity.phases.map {
                .object(["phase": .string($0.phase), "gate": .bool($0.isGate), "a": .string($0.a), "b": .string($0.b),
                         "differs": .bool($0.differs)])
            }),
            "differences": .array(parity.differences.map(difference)),
            "expected": .array(parity.expected.map(difference)),
        ])
    }
}
