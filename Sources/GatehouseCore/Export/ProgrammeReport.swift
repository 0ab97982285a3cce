/// The programme's state as a document (`gatehouse report`), in the shape of the seed's
/// "G3 result" section, for every gate, with each signature, and the evidence behind it.
public enum ProgrammeReport {
    /// The output formats.
    public enum Format: String, Sendable, CaseIterable {
        case markdown
        case json
    }

    /// Where the state was read from: the journal's address, its last event and whether its
    /// chain held.
    public struct JournalHead: Sendable, Equatable {
        public var address: String
        public var sequence: Int64
        public var hash: String
        public var intact: Bool

        public init(address: String, sequence: Int64, hash: String, intact: Bool) {
            self.address = address
            self.sequence = sequence
            self.hash = hash
            self.intact = intact
        }
    }

    /// The report of `board` (the live board of `programme`) in `format`, with the journal's
    /// `runs` (newest first), ending in a newline.
    public static func render(_ programme: Programme, board: GateBoard, runs: [RunState] = [], journal: JournalHead?,
                              format: Format) -> String {
        switch format {
        case .markdown: markdown(programme, board: board, runs: runs, journal: journal)
        case .json: ProgrammeJSON.report(programme, board: board, journal: journal)
        }
    }

    /// The report as Markdown.
    public static func markdown(_ programme: Programme, board: GateBoard, runs: [RunState] = [], journal: JournalHead?) -> String {
        var lines = ["# \(MarkdownTable.escape(programme.info.title)): programme report", ""]
        lines.append("Programme digest `\(board.charter.digest.prefix(16))…`; " + (journal.map {
            "journal \(MarkdownTable.escape($0.address)), \($0.sequence) events, head `\($0.hash.prefix(12))`" + ($0.intact ? "" : " — **CHAIN BROKEN: do not trust this report**")
        } ?? "no journal yet: the file's own state"))
        lines += ["", "## Result", "", "```"]
        lines += resultLines(programme, board: board)
        lines += ["```"]
        lines += section("Gates", board.entries.filter { !$0.gate.isSovereign }.flatMap { gateLines($0) })
        lines += section("Gaps", gapLines(programme, board: board))
        lines += section("Kill-switch", killSwitchLines(board))
        lines += section("Runs", runLines(runs))
        lines += section("Refusals", refusalLines(board))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The seed's "G3 result" block, for every gate: `GATE-O6: PASS (demo, stub, #5)`.
    static func resultLines(_ programme: Programme, board: GateBoard) -> [String] {
        var lines: [String] = []
        for entry in board.entries {
            let id = entry.gate.id == programme.analysis.gate ? (programme.analysis.resultLabel ?? entry.gate.id) : entry.gate.id
            var line = "\(id): \(entry.status.rawValue.uppercased())"
            if entry.gate.isSovereign {
                line += " (decided inside each run)"
            } else if !entry.signOffs.isEmpty {
                line += " (" + entry.signOffs.map { "\($0.act.passes ? "" : "fail by ")\($0.act.by), \($0.act.provider), #\($0.sequence)" }
                    .joined(separator: "; ") + ")"
                if entry.status != .pass && entry.status != .fail { line += ", \(entry.signatureCount)" }
            } else if entry.status == .pass {
                line += " (as the programme records)"
            } else if entry.status == .pending {
                line += " (ready to sign, \(entry.signatureCount))"
            } else if let blocker = entry.blockers.first {
                line += " (\(blocker.reason)\(entry.blockers.count > 1 ? ", +\(entry.blockers.count - 1) more" : ""))"
            }
            if !entry.stale.isEmpty { line += "; \(entry.stale.count) stale sign-off\(entry.stale.count == 1 ? "" : "s")" }
            lines.append(line)
        }
        let combination = RecommendedCombination(programme)
        lines += combination.lines(.unicode)
        return lines
    }

    private static func gateLines(_ entry: GateBoard.Entry) -> [String] {
        let gate = entry.gate
        var lines = ["### \(gate.id) — \(MarkdownTable.escape(gate.title ?? "title unknown")): \(entry.status.rawValue)", ""]
        if gate.status == .pass && entry.signOffs.isEmpty && entry.stale.isEmpty {
            return lines + ["Level \(gate.level?.rawValue ?? "unknown"); recorded as pass in the programme.", ""]
        }
        lines.append("Level \(gate.level?.rawValue ?? "unknown"); \(entry.signatureCount) from distinct sovereigns"
            + (gate.needsRuling ? "; a ruling first" : "") + "; evidence digest `\(entry.evidenceDigest.prefix(16))`.")
        if let ruling = entry.ruling { lines += ["", "Ruling: \(MarkdownTable.escape(ruling))"] }
        let signed = entry.signOffs.map { ($0, "counts") } + entry.stale.map { ($0.signOff, "stale: \($0.why)") }
        if !signed.isEmpty {
            lines += [""] + MarkdownTable.lines(
                headings: ["Signer", "Provider", "Verdict", "Event", "Signed at (UTC)", "Counts"],
                rows: signed.sorted { $0.0.sequence < $1.0.sequence }.map { signOff, counts in
                    [signOff.act.by, signOff.act.provider + (signOff.act.provider == StubSigning.providerName ? " (INSECURE)" : ""),
                     signOff.act.passes ? "pass" : "fail: \(signOff.act.reason)", "#\(signOff.sequence)", JournalTime.utc(signOff.time), counts]
                })
        }
        if !entry.evidence.isEmpty || !entry.blockers.isEmpty { lines.append("") }
        lines += entry.evidence.map { "- met: \(MarkdownTable.escape($0))" }
        lines += entry.blockers.map { "- **not met**: \(MarkdownTable.escape($0.reason))" }
        return lines + [""]
    }

    private static func gapLines(_ programme: Programme, board: GateBoard) -> [String] {
        MarkdownTable.lines(headings: ["Gap", "Closed", "How", "Title"], rows: programme.gaps.map { gap in
            let state = board.gap(gap.id)
            var how = state.why
            if let act = board.book.gaps[gap.id]?.act, act.kind == .closeGap {
                how += [act.evidenceText.isEmpty ? nil : act.evidenceText, act.reference].compactMap { $0 }.map { "; \($0)" }.joined()
            }
            return [gap.id, state.closed ? "yes" : "no", how, gap.title ?? "unknown"]
        })
    }

    private static func killSwitchLines(_ board: GateBoard) -> [String] {
        let checks = LiveChecklist.programmeChecks(board)
        guard !checks.isEmpty else { return ["The programme states no preconditions for LIVE."] }
        return ["The programme's lines of a LIVE run's checklist, as the journal has them now:", ""]
            + MarkdownTable.lines(headings: ["Line", "Met", "Why"], rows: checks.map { [$0.label, $0.met ? "yes" : "NO", $0.why] })
    }

    private static func runLines(_ runs: [RunState]) -> [String] {
        guard !runs.isEmpty else { return ["No run in the journal yet."] }
        return MarkdownTable.lines(headings: ["Run", "Mode", "Plan", "Outcome", "Kill-switch", "Started (UTC)"], rows: runs.map { run in
            let enables = run.switchEnables.map { "enabled by \($0.enable.by) at #\($0.sequence)" }.joined(separator: "; ")
            return [run.id, run.mode.label, run.start.plan.id + (run.start.document.map { " of \($0)" } ?? ""),
                    run.outcome.map(\.word) ?? run.situation, run.mode == .live ? (enables.isEmpty ? "never on" : enables + (run.switchOn ? "; ON" : "; off")) : "",
                    JournalTime.utc(run.startedAt)]
        })
    }

    private static func refusalLines(_ board: GateBoard) -> [String] {
        let refusals = board.book.refusals
        guard !refusals.isEmpty else { return ["No programme act was refused."] }
        return MarkdownTable.lines(headings: ["Event", "At (UTC)", "Act", "Of", "By", "Why"], rows: refusals.map {
            ["#\($0.sequence)", JournalTime.utc($0.time), $0.refusal.attempted, $0.refusal.subject, $0.refusal.by, $0.refusal.reason]
        })
    }

    private static func section(_ title: String, _ body: [String]) -> [String] {
        ["", "## \(title)", ""] + body
    }
}
