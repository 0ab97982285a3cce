import GatehouseCore

/// The page of a programme act under way: what is signed (for a sign-off, the evidence it
/// binds), who signs it, the text it needs, the phrase, and the result.
enum ProgrammeFlowScreen {
    static func draw(_ flow: ProgrammeFlow, programme: Programme, context: DashboardContext, on canvas: inout Canvas,
                     rect: Rect, glyphs: GlyphSet) {
        var lines = [StyledLine(title(flow), .heading), StyledLine("")]
        switch flow.purpose {
        case .signOff(let entry, _):
            lines.append(StyledLine("Level      ", .dim).adding(entry.gate.level?.rawValue ?? "unknown")
                .adding("  ·  \(entry.signatureCount) so far", .dim))
            lines.append(StyledLine("Binds      ", .dim).adding("the gate's definition and this evidence (\(entry.evidenceDigest.prefix(8))):", .dim))
            if entry.evidence.isEmpty { lines.append(StyledLine("  (no requirement: nothing but the gate itself)", .dim)) }
            for line in entry.evidence { lines.append(StyledLine("  \(glyphs.phaseDone) ", .statusPass).adding(line)) }
        case .closeGap(let gap, _), .reopenGap(let gap):
            let board = context.board(programme)
            let state = board.gap(gap)
            lines.append(StyledLine("Now        ", .dim).adding(state.closed ? "closed" : "open").adding("  (\(state.why))", .dim))
            lines.append(StyledLine("Needed by  ", .dim).adding(board.charter.gatesRelying(onGap: gap).joined(separator: ", ")))
            if case .closeGap(_, let run) = flow.purpose {
                if let run {
                    lines.append(StyledLine("Run        ", .dim).adding("\(run.prefix(12)) (closed out) is named as evidence", .statusPass)
                        .adding(flow.step == .text ? "; Tab drops it" : "", .dim))
                } else if let offered = flow.offeredRun, flow.step == .text {
                    lines.append(StyledLine("Run        ", .dim).adding("Tab names the newest closed-out run, \(offered.prefix(12)), as evidence", .dim))
                }
            }
        case .conditionMet(_, let condition):
            lines.append(StyledLine("Condition  ", .dim).adding(condition))
        case .ruling(let gate):
            lines.append(StyledLine("Gate       ", .dim).adding("\(gate), xhigh: its sign-offs wait for this ruling"))
        }
        lines.append(StyledLine(""))
        lines.append(signer(context: context, programme: programme, subject: flow.subject))
        lines.append(StyledLine(""))
        let cursor = "_"
        switch flow.step {
        case .text:
            lines.append(StyledLine(flow.textPrompt ?? "", .heading))
            lines += StyledLine.wrapped(flow.text + cursor, width: max(10, rect.width - 2), role: .normal)
        case .phrase:
            if let prompt = flow.textPrompt { lines.append(StyledLine(prompt, .dim).adding(" " + flow.signedText)) }
            lines.append(StyledLine("To sign, type ", .heading).adding(flow.phrase, .key).adding(": ", .heading).adding(flow.typed + cursor))
        case .passphrase:
            lines.append(SignFlowScreen.passphrasePrompt(keyFile: context.protectedKeyFile))
        case .result(let message, let recorded):
            lines += StyledLine.wrapped(message, width: max(10, rect.width - 2), role: recorded ? .statusPass : .statusFail)
        }
        if let error = flow.error { lines.append(StyledLine(error, .statusFail)) }
        ScrollView.draw(lines.flatMap { $0.width <= rect.width - 1 ? [$0] : StyledLine.wrapped($0.runs.map(\.text).joined(), width: rect.width - 1, role: $0.runs.last?.role ?? .normal) },
                        on: &canvas, rect: Rect(x: rect.x + 1, y: rect.y, width: rect.width - 1, height: rect.height),
                        offset: 0, glyphs: glyphs)
    }

    private static func title(_ flow: ProgrammeFlow) -> String {
        switch flow.purpose {
        case .signOff(let entry, let pass): "Sign \(entry.gate.id) off: \(pass ? "PASS" : "FAIL")"
        case .closeGap(let gap, _): "Close \(gap)"
        case .reopenGap(let gap): "Reopen \(gap)"
        case .conditionMet(let gate, _): "A condition of \(gate) met"
        case .ruling(let gate): "The ruling on \(gate)"
        }
    }

    /// Who signs, with which provider; red when the rules will refuse them.
    private static func signer(context: DashboardContext, programme: Programme, subject: String) -> StyledLine {
        let label = StyledLine(DisplayWidth.pad("Signing as", to: 11), .dim)
        guard let sovereign = programme.sovereigns.first(where: { $0.name == context.signer }) else {
            let names = programme.sovereigns.map(\.name).joined(separator: ", ")
            return label.adding("\(context.signer), who is not a sovereign of the programme (sovereigns: \(names)); open with --as NAME", .statusFail)
        }
        let insecure = sovereign.provider == StubSigning.providerName ? ", INSECURE" : ""
        return label.adding("\(sovereign.name) (\(sovereign.provider)\(insecure))", insecure.isEmpty ? .statusPass : .statusPending)
    }

    static func keys(_ flow: ProgrammeFlow) -> [KeyHint] {
        switch flow.step {
        case .text: [KeyHint("Enter", "next")] + (flow.offeredRun == nil ? [] : [KeyHint("Tab", "run as evidence")]) + [KeyHint("Esc", "cancel")]
        case .phrase, .passphrase: [KeyHint("Enter", "sign"), KeyHint("Esc", "cancel")]
        case .result: [KeyHint("any key", "close")]
        }
    }
}
