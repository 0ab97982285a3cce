import GatehouseCore

/// Draws the whole dashboard for a state on a canvas of the terminal's size.
public enum DashboardView {
    /// The frame for `state` at `width` x `height`.
    public static func render(_ programme: Programme, state: DashboardState, context: DashboardContext = DashboardContext(),
                              width: Int, height: Int, glyphs: GlyphSet) -> Canvas {
        var canvas = Canvas(width: width, height: height, asciiOnly: !glyphs.isUnicode)
        guard Layout.fits(width: width, height: height) else {
            drawTooSmall(on: &canvas)
            return canvas
        }
        let layout = Layout(width: width, height: height)
        HeaderView.draw(programme, state: state, context: context, on: &canvas, layout: layout, glyphs: glyphs)

        let chrome = drawTab(programme, state: state, context: context, on: &canvas, rect: layout.content, glyphs: glyphs)
        var (keys, status, alarm) = (chrome.keys, chrome.status, chrome.alarm)
        if let flow = state.flow, let run = context.ledger[flow.runID] {
            canvas.fill(layout.content, role: .normal)
            SignFlowScreen.draw(flow, run: run, programme: programme, context: context, parity: ParityView(run, state: state, context: context),
                                on: &canvas, rect: layout.content, glyphs: glyphs)
            keys = SignFlowScreen.keys(flow)
            status = "signing as \(context.signer) · nothing is recorded until the last step"
            alarm = false
        } else if let flow = state.programmeFlow {
            canvas.fill(layout.content, role: .normal)
            ProgrammeFlowScreen.draw(flow, programme: programme, context: context, on: &canvas, rect: layout.content, glyphs: glyphs)
            keys = ProgrammeFlowScreen.keys(flow)
            status = "signing as \(context.signer) · nothing is recorded until the phrase"
            alarm = false
        }
        status = state.notice ?? journalWarning(context) ?? status
        let warns = !context.ledger.anomalies.isEmpty || context.brokenJournal != nil || !context.ignoredCheckpoints.isEmpty
        let statusRole: Role = state.pendingAbort != nil || (state.notice == nil && (warns || alarm)) ? .danger : .dim
        canvas.put(DisplayWidth.truncate(status, to: layout.status.width), x: layout.status.x, y: layout.status.y, role: statusRole, clip: layout.status)
        if state.helpOpen {
            HelpOverlay.draw(on: &canvas, rect: layout.content, glyphs: glyphs)
            keys = [KeyHint("any key", "close help"), KeyHint("q", "quit")]
        }
        KeyBar.draw(keys, on: &canvas, y: layout.keys.y, glyphs: glyphs)
        return canvas
    }

    /// What a tab shows besides its content: the keys it offers and its status line.
    private struct TabChrome {
        var keys: [KeyHint]
        var status: String
        /// The status says something is wrong (shown in the danger colour).
        var alarm = false

        init(_ keys: [KeyHint], _ status: String, alarm: Bool = false) {
            self.keys = keys
            self.status = status
            self.alarm = alarm
        }
    }

    /// Draws the tab in view into `rect`.
    private static func drawTab(_ programme: Programme, state: DashboardState, context: DashboardContext,
                                on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) -> TabChrome {
        switch state.tab {
        case .matrix: drawMatrix(programme, state: state, context: context, on: &canvas, rect: rect, glyphs: glyphs)
        case .gates: drawGates(programme, state: state, context: context, on: &canvas, rect: rect, glyphs: glyphs)
        case .approvals: drawApprovals(programme, state: state, context: context, on: &canvas, rect: rect, glyphs: glyphs)
        case .audit: drawAudit(programme, state: state, context: context, on: &canvas, rect: rect, glyphs: glyphs)
        case .runs: drawRuns(programme, state: state, context: context, on: &canvas, rect: rect, glyphs: glyphs)
        }
    }

    private static func drawMatrix(_ programme: Programme, state: DashboardState, context: DashboardContext,
                                  on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) -> TabChrome {
        var keys: [KeyHint]
        var status = ""
        let options = state.matrixOrder.sorted(programme.options, in: programme)
        if let id = state.detailOptionID, let option = programme.option(id) {
            OptionDetailScreen.draw(option, programme: programme, state: state, on: &canvas, rect: rect, glyphs: glyphs)
            keys = OptionDetailScreen.keys.map { KeyHint($0.key, $0.label) }
            if let index = options.firstIndex(where: { $0.id == id }) {
                status = "option \(index + 1) of \(options.count)"
            }
        } else {
            MatrixScreen.draw(programme, state: state, on: &canvas, rect: rect, glyphs: glyphs)
            keys = MatrixScreen.keys.map { KeyHint($0.key, $0.label) }
            if options.indices.contains(state.matrixCursor) {
                let option = options[state.matrixCursor]
                status = "\(option.id) — \(option.title)"
            }
        }
        return TabChrome(keys, status)
    }

    private static func drawGates(_ programme: Programme, state: DashboardState, context: DashboardContext,
                                  on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) -> TabChrome {
        var keys: [KeyHint]
        var status = ""
        let board = context.board(programme)
        let items = GatesBoardItems(programme, board: board)
        GatesScreen.draw(items, state: state, on: &canvas, rect: rect, glyphs: glyphs)
        keys = GatesScreen.keys.map { KeyHint($0.key, $0.label) }
        if items.items.indices.contains(state.gatesCursor) {
            let item = items.items[state.gatesCursor]
            status = item.summary + (item.section == .gates ? " — Enter: why" : " — Enter: detail")
            if state.gatesDetailOpen {
                GatesScreen.drawDetail(item, state: state, on: &canvas, rect: rect, glyphs: glyphs)
                keys = GatesScreen.detailKeys.map { KeyHint($0.key, $0.label) }
            }
            // The keys that sign, for the row's kind; disabled, with why, in a read-only dashboard.
            let acts: [KeyHint] = switch item.section {
            case .gates where !(programme.gate(item.id)?.isSovereign ?? true): [KeyHint("a", "pass"), KeyHint("r", "fail")]
            case .gaps: board.gap(item.id).closed ? [KeyHint("o", "reopen")] : [KeyHint("c", "close")]
            default: []
            }
            keys.insert(contentsOf: acts.map { context.readOnly ? KeyHint($0.key, $0.label, disabledBecause: DashboardState.readOnlyReason) : $0 },
                        at: min(keys.count, 2))
        }
        return TabChrome(keys, status)
    }

    private static func drawApprovals(_ programme: Programme, state: DashboardState, context: DashboardContext,
                                  on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) -> TabChrome {
        let items = PendingItem.all(context.ledger)
        ApprovalsScreen.draw(items, state: state, context: context, on: &canvas, rect: rect, glyphs: glyphs)
        let keys = ApprovalsScreen.keys.map { hint in
            guard context.readOnly, ["Enter", "K"].contains(hint.key) else { return hint }
            return KeyHint(hint.key, hint.label, disabledBecause: DashboardState.readOnlyReason)
        }
        if items.indices.contains(state.approvalsCursor), case let run = items[state.approvalsCursor].run,
           context.runner(run)?.isGone == true {
            return TabChrome(keys, "runner of \(run.shortID) gone: a decision waits for `gatehouse resume \(run.shortID)`", alarm: true)
        }
        let signing = context.readOnly ? "read-only: sign with `gatehouse approve` or an open dashboard"
            : "signing as \(context.signer.isEmpty ? "nobody" : context.signer)"
        return TabChrome(keys, items.isEmpty ? "nothing waits for a sovereign" : "\(items.count) waiting · \(signing)")
    }

    private static func drawAudit(_ programme: Programme, state: DashboardState, context: DashboardContext,
                                  on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) -> TabChrome {
        AuditScreen.draw(AuditTrail.entries(context.ledger), state: state, on: &canvas, rect: rect, glyphs: glyphs)
        return TabChrome(AuditScreen.keys,
                "signatures checked again against the sovereigns each run pinned · `gatehouse verify` checks the chain")
    }

    private static func drawRuns(_ programme: Programme, state: DashboardState, context: DashboardContext,
                                  on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) -> TabChrome {
        var keys: [KeyHint]
        var status = ""
        if state.runListOpen {
            RunListScreen.draw(context, state: state, on: &canvas, rect: rect, glyphs: glyphs)
            keys = RunListScreen.keys
            status = "\(context.ledger.order.count) run\(context.ledger.order.count == 1 ? "" : "s") in the journal"
            let gone = context.ledger.newestFirst.filter { context.runner($0)?.isGone == true }.count
            if gone > 0 {
                return TabChrome(keys, status + " · \(gone) runner\(gone == 1 ? "" : "s") gone: `gatehouse resume RUN`", alarm: true)
            }
        } else if state.referencePickerOpen {
            ReferencePickerScreen.draw(context.selectedRun(state), context: context, state: state, on: &canvas, rect: rect, glyphs: glyphs)
            keys = ReferencePickerScreen.keys
            status = "the journal's other runs, and \(context.references.count) record\(context.references.count == 1 ? "" : "s") given with --reference FILE"
        } else {
            let run = context.selectedRun(state)
            RunScreen.draw(run, context: context, state: state, on: &canvas, rect: rect, glyphs: glyphs)
            keys = RunScreen.keys(for: run).map { hint in
                guard context.readOnly, ["d", "x", "K", "R"].contains(hint.key) else { return hint }
                return KeyHint(hint.key, hint.label, disabledBecause: DashboardState.readOnlyReason)
            }
            if let run {
                status = state.selectedRunID == nil ? "following the newest run · \(run.id)" : "run \(run.id) · f follows the newest"
            }
        }
        return TabChrome(keys, status)
    }

    /// What the status line says instead of a tab's own words when the journal is not to be
    /// trusted: events it did not accept, a broken chain, or a checkpoint passed over (what,
    /// what it means, what to do first; the reason may be cut at the edge).
    private static func journalWarning(_ context: DashboardContext) -> String? {
        if let broken = context.brokenJournal {
            return "JOURNAL TAMPERED at event \(broken.sequence): state not trusted; run `gatehouse verify`. \(broken.reason)"
        }
        if !context.ledger.anomalies.isEmpty {
            return "WARNING: \(context.ledger.anomalies.count) journal event(s) not accepted; run `gatehouse verify`"
        }
        if let newest = context.ignoredCheckpoints.first {
            return "WARNING: \(context.ignoredCheckpoints.count) checkpoint(s) of the journal not used; run `gatehouse verify`. \(newest)"
        }
        return nil
    }

    /// The largest scroll offset the open detail page or panel can use at this size, so that
    /// scrolling past the end does not pile up key presses to undo.
    public static func scrollLimit(_ programme: Programme, state: DashboardState, width: Int, height: Int, glyphs: GlyphSet) -> Int {
        let content = Layout(width: width, height: height).content
        switch state.tab {
        case .matrix:
            guard let id = state.detailOptionID, let option = programme.option(id) else { return 0 }
            let lines = OptionDetailScreen.lines(option, programme: programme, width: content.width - 1, glyphs: glyphs)
            return ScrollView.maxOffset(count: lines.count, height: content.height)
        case .gates:
            let items = GatesBoardItems(programme).items
            guard state.gatesDetailOpen, items.indices.contains(state.gatesCursor) else { return 0 }
            // The panel is at most the content height, with a border and a closing line.
            return ScrollView.maxOffset(count: items[state.gatesCursor].detail.count, height: content.height - 3)
        case .runs, .approvals, .audit:
            return 0
        }
    }

    /// Asks for a bigger terminal, the message wrapped to the width so that even a 20x6 window
    /// shows its size, the size needed and how to quit; when the height is short, the way to
    /// quit is kept.
    private static func drawTooSmall(on canvas: inout Canvas) {
        let sentences = [
            ("Terminal too small: \(canvas.width)x\(canvas.height).", Role.heading),
            ("Enlarge to \(Layout.minimumWidth)x\(Layout.minimumHeight) or more.", .normal),
            ("q quits.", .normal),
        ]
        var lines = sentences.flatMap { text, role in DisplayWidth.wrap(text, to: canvas.width).map { ($0, role) } }
        if lines.count > canvas.height, let last = lines.last {
            lines = Array(lines.prefix(max(0, canvas.height - 1))) + [last]
        }
        let top = max(0, (canvas.height - lines.count) / 2)
        for (index, (line, role)) in lines.enumerated() {
            canvas.put(line, x: max(0, (canvas.width - DisplayWidth.of(line)) / 2), y: top + index, role: role)
        }
    }
}
