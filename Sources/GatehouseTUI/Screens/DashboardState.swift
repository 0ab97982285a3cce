import GatehouseCore

/// Everything the dashboard shows besides the programme: the tab, cursors, open panels.
///
/// A pure value: `handle(_:)` takes a key and changes the state, and `DashboardView` draws
/// the state; neither touches the terminal, so every behaviour is testable on a canvas.
public struct DashboardState: Sendable, Equatable {
    /// The tabs, in the order of the tab bar.
    public enum Tab: String, Sendable, CaseIterable {
        case matrix = "Matrix"
        case gates = "Gates"
        case runs = "Runs"
        case approvals = "Approvals"
        case audit = "Audit"
    }

    /// What `handle(_:)` asks its caller to do.
    public enum Outcome: Sendable, Equatable {
        /// Redraw (or nothing changed).
        case continueRunning
        /// Leave the dashboard.
        case quit
        /// Start a dry run on the embedded target (in a runner process of its own).
        case startDryRun
        /// Abort this run (the user answered y to the question).
        case abort(runID: String)
        /// Sign and journal a decision at the gate this run waits at (the phrase was typed).
        case decide(runID: String, gate: String, approve: Bool, reason: String)
        /// Sign and journal the kill-switch enable for this LIVE run (phrase typed, y answered).
        case enableLive(runID: String)
        /// Sign a restore of this ended run's backup with the phrase typed (y answered), and perform it.
        case restore(runID: String, typed: String)
        /// Sign and journal a programme act from the Gates tab (phrase typed), with its text.
        case programmeAct(ProgrammeFlow.Purpose, text: String)
    }

    public var tab: Tab = .matrix
    /// The matrix row under the cursor (an index into the sorted rows).
    public var matrixCursor = 0
    /// The order of the matrix rows.
    public var matrixOrder: MatrixOrder = .document
    /// The option whose detail page is open, if any.
    public var detailOptionID: String?
    /// How far the detail page (or the gate's "why" panel) is scrolled.
    public var detailScroll = 0
    /// The gates-board item under the cursor.
    public var gatesCursor = 0
    /// Whether the panel explaining the selected gates-board item is open.
    public var gatesDetailOpen = false
    /// Whether the help overlay is open.
    public var helpOpen = false
    /// The run the Runs tab shows; nil follows the newest run.
    public var selectedRunID: String?
    /// Whether the list of runs is open on the Runs tab.
    public var runListOpen = false
    /// The row of the run list under the cursor.
    public var runListCursor = 0
    /// How many lines the log pane is scrolled up from its end.
    public var logScroll = 0
    /// The run the Runs tab compares the run in view with (`c`): `run:ID` of the journal, or
    /// `record:PATH` of a record given at start; nil compares with nothing.
    public var parityReference: String?
    /// Whether the list to pick that reference from is open.
    public var referencePickerOpen = false
    /// The row of that list under the cursor (0 is "no reference").
    public var referenceCursor = 0
    /// The run the "abort? y/N" question is about, while it is asked.
    public var pendingAbort: String?
    /// A one-line message for the status line (a refused key, a question, a result).
    public var notice: String?
    /// The row of the Approvals tab under the cursor.
    public var approvalsCursor = 0
    /// How far the Audit tab is scrolled from its end (0 shows the newest entries).
    public var auditScroll = 0
    /// The review, reason, phrase and confirm steps of a signed act, while one is under way.
    public var flow: SignFlow?
    /// The text and phrase steps of a signed programme act, while one is under way.
    public var programmeFlow: ProgrammeFlow?

    public init(tab: Tab = .matrix) {
        self.tab = tab
    }

    /// Applies one key; `programme` gives the sizes of lists and the sort cycle, `context` the
    /// runs and whether keys that change anything are allowed.
    public mutating func handle(_ key: Key, programme: Programme, context: DashboardContext = DashboardContext()) -> Outcome {
        if helpOpen {
            if key == .character("q") { return .quit }
            if key != .resize { helpOpen = false }
            return .continueRunning
        }
        if flow != nil { return handleFlow(key, context: context) }
        if programmeFlow != nil { return handleProgrammeFlow(key, context: context) }
        if let run = pendingAbort {
            guard key != .resize else { return .continueRunning }
            pendingAbort = nil
            if key == .character("y") || key == .character("Y") {
                notice = "aborting run \(run.prefix(8))…"
                return .abort(runID: run)
            }
            notice = "abort cancelled"
            return .continueRunning
        }
        if key != .resize { notice = nil }
        switch key {
        case .character("q"): return .quit
        case .character("?"): helpOpen = true
        case .tab, .character("\t"): switchTab(by: 1)
        case .backTab: switchTab(by: -1)
        case .character("1"): select(.matrix)
        case .character("2"): select(.gates)
        case .character("3"): select(.runs)
        case .character("4"): select(.approvals)
        case .character("5"): select(.audit)
        default:
            switch tab {
            case .matrix: handleMatrix(key, programme: programme)
            case .gates: handleGates(key, programme: programme, context: context)
            case .runs: return handleRuns(key, context: context)
            case .approvals: handleApprovals(key, context: context)
            case .audit: handleAudit(key, context: context)
            }
        }
        return .continueRunning
    }

    /// Starts a signed act, unless the dashboard is read-only.
    private mutating func open(_ flow: SignFlow, context: DashboardContext) {
        if context.readOnly {
            notice = "read-only: sign elsewhere with `gatehouse approve`, `gatehouse killswitch enable` or `gatehouse restore`"
            return
        }
        self.flow = flow
    }

    private mutating func handleFlow(_ key: Key, context: DashboardContext) -> Outcome {
        guard var current = flow else { return .continueRunning }
        guard let run = context.ledger[current.runID] else {
            flow = nil
            notice = "the run is no longer in the journal; nothing was recorded"
            return .continueRunning
        }
        let effect = current.handle(key, run: run, programme: context.ledger.programme, switchHolder: context.ledger.killSwitchHolder,
                                    asksPassphrase: context.protectedKeyFile != nil)
        flow = current
        switch effect {
        case .none:
            return .continueRunning
        case .cancelled:
            flow = nil
            notice = "cancelled; nothing was recorded"
            return .continueRunning
        case .closed:
            flow = nil
            return .continueRunning
        case .decide(let approve, let reason):
            guard case .decide(let gate) = current.purpose else { return .continueRunning }
            if let touch = Self.touchPrompt(run: run, signer: context.signer) { flow?.step = .working(touch) }
            return .decide(runID: run.id, gate: gate, approve: approve, reason: reason)
        case .enableLive:
            if let touch = Self.touchPrompt(run: run, signer: context.signer) { flow?.step = .working(touch) }
            return .enableLive(runID: run.id)
        case .restore(let typed):
            // Shown while the backup is drilled and the target written, which takes a while.
            flow?.step = .working("drilling the backup, then putting the target back…")
            return .restore(runID: run.id, typed: typed)
        }
    }

    /// What the screen says while `signer`'s security key waits for a touch, when the run
    /// pinned them by one; nil for every other key (signing does not wait for a person).
    static func touchPrompt(run: RunState, signer: String) -> String? {
        run.signsWithSecurityKey(signer) ? Sovereign.touchPrompt : nil
    }

    private mutating func handleApprovals(_ key: Key, context: DashboardContext) {
        let items = PendingItem.all(context.ledger)
        let last = max(0, items.count - 1)
        approvalsCursor = min(approvalsCursor, last)
        switch key {
        case .down, .character("j"): approvalsCursor = min(last, approvalsCursor + 1)
        case .up, .character("k"): approvalsCursor = max(0, approvalsCursor - 1)
        case .home, .character("g"): approvalsCursor = 0
        case .end, .character("G"): approvalsCursor = last
        case .enter, .right, .character("l"):
            if items.indices.contains(approvalsCursor) { open(items[approvalsCursor].flow, context: context) }
            else { notice = "nothing waits for a sovereign" }
        case .character("K"):
            if items.indices.contains(approvalsCursor) {
                open(SignFlow(runID: items[approvalsCursor].run.id, purpose: .enableLive), context: context)
            }
        default: break
        }
    }

    private mutating func handleAudit(_ key: Key, context: DashboardContext) {
        switch key {
        case .up, .character("k"): auditScroll += 1
        case .down, .character("j"): auditScroll = max(0, auditScroll - 1)
        case .pageUp: auditScroll += 10
        case .pageDown: auditScroll = max(0, auditScroll - 10)
        case .home, .character("g"): auditScroll = Int.max / 2
        case .end, .character("G"): auditScroll = 0
        default: break
        }
    }

    /// What the key bar says of the keys that change something, in a read-only dashboard.
    public static let readOnlyReason = "read-only"

    private mutating func handleRuns(_ key: Key, context: DashboardContext) -> Outcome {
        let runs = context.ledger.newestFirst
        if runListOpen {
            handleRunList(key, runs: runs)
            return .continueRunning
        }
        let selected = context.selectedRun(self)
        if referencePickerOpen {
            handleReferencePicker(key, candidates: context.parityCandidates(excluding: selected?.id))
            return .continueRunning
        }
        switch key {
        case .character("c"):
            let candidates = context.parityCandidates(excluding: selected?.id)
            guard selected != nil, !candidates.isEmpty else {
                notice = selected == nil ? "no run to compare" : "nothing to compare with: no other run, and no --reference FILE"
                return .continueRunning
            }
            referencePickerOpen = true
            referenceCursor = parityReference.flatMap { key in candidates.firstIndex { $0.key == key }.map { $0 + 1 } } ?? 0
        case .character("l"), .enter:
            runListOpen = true
            runListCursor = selected.flatMap { run in runs.firstIndex { $0.id == run.id } } ?? 0
        case .character("f"):
            selectedRunID = nil
            logScroll = 0
            notice = "following the newest run"
        case .pageUp, .up, .character("k"): logScroll += key == .pageUp ? 10 : 1
        case .pageDown, .down, .character("j"): logScroll = max(0, logScroll - (key == .pageDown ? 10 : 1))
        case .end, .character("G"): logScroll = 0
        case .character("d"):
            if context.readOnly {
                notice = "read-only: start a dry run elsewhere with `gatehouse run --dry-run`"
                return .continueRunning
            }
            notice = "starting a dry run…"
            selectedRunID = nil
            return .startDryRun
        case .character("K"):
            if let run = selected { open(SignFlow(runID: run.id, purpose: .enableLive), context: context) }
            else { notice = "no run to enable LIVE for" }
        case .character("R"):
            if let run = selected { open(SignFlow(runID: run.id, purpose: .restore), context: context) }
            else { notice = "no run to restore" }
        case .character("x"): askToAbort(selected, context: context)
        default: break
        }
        return .continueRunning
    }

    /// Keys while the list of runs is open: move, pick one to show, or close it.
    private mutating func handleRunList(_ key: Key, runs: [RunState]) {
        let last = max(0, runs.count - 1)
        switch key {
        case .down, .character("j"): runListCursor = min(last, runListCursor + 1)
        case .up, .character("k"): runListCursor = max(0, runListCursor - 1)
        case .home, .character("g"): runListCursor = 0
        case .end, .character("G"): runListCursor = last
        case .enter, .right, .character("l"):
            if runs.indices.contains(runListCursor) {
                // The newest run is followed: picking it keeps following new runs.
                selectedRunID = runListCursor == 0 ? nil : runs[runListCursor].id
                logScroll = 0
            }
            runListOpen = false
        case .escape, .backspace, .left, .character("h"): runListOpen = false
        default: break
        }
    }

    /// Keys while the list of references is open: move, pick one (or none), or close it.
    private mutating func handleReferencePicker(_ key: Key, candidates: [(key: String, side: ParitySide)]) {
        let last = candidates.count
        switch key {
        case .down, .character("j"): referenceCursor = min(last, referenceCursor + 1)
        case .up, .character("k"): referenceCursor = max(0, referenceCursor - 1)
        case .home, .character("g"): referenceCursor = 0
        case .end, .character("G"): referenceCursor = last
        case .enter, .right, .character("l"):
            if referenceCursor == 0 {
                parityReference = nil
                notice = "compared with nothing"
            } else if candidates.indices.contains(referenceCursor - 1) {
                let picked = candidates[referenceCursor - 1]
                parityReference = picked.key
                notice = "comparing with run \(picked.side.run.shortID) (\(picked.side.source))"
            }
            referencePickerOpen = false
        case .escape, .backspace, .left, .character("h"): referencePickerOpen = false
        default: break
        }
    }

    /// `x`: asks y/N before aborting the run in view, unless it cannot be aborted from here.
    private mutating func askToAbort(_ run: RunState?, context: DashboardContext) {
        if context.readOnly {
            notice = "read-only: abort elsewhere with `gatehouse abort RUN --reason TEXT`"
        } else if let run {
            if let outcome = run.outcome {
                notice = "run \(run.shortID) has already ended (\(outcome.word))"
            } else {
                pendingAbort = run.id
                notice = "Abort run \(run.shortID)? y/N"
            }
        } else {
            notice = "no run to abort"
        }
    }

    private mutating func select(_ tab: Tab) {
        guard self.tab != tab else { return }
        self.tab = tab
        detailOptionID = nil
        gatesDetailOpen = false
        detailScroll = 0
        runListOpen = false
        referencePickerOpen = false
    }

    private mutating func switchTab(by step: Int) {
        let all = Tab.allCases
        let index = all.firstIndex(of: tab)!
        select(all[(index + step + all.count) % all.count])
    }

    private mutating func handleMatrix(_ key: Key, programme: Programme) {
        let options = matrixOrder.sorted(programme.options, in: programme)
        if let open = detailOptionID {
            switch key {
            case .escape, .backspace, .character("h"), .left: detailOptionID = nil
            case .down, .character("j"): detailScroll += 1
            case .up, .character("k"): detailScroll = max(0, detailScroll - 1)
            case .pageDown, .character(" "): detailScroll += 10
            case .pageUp: detailScroll = max(0, detailScroll - 10)
            case .home, .character("g"): detailScroll = 0
            case .character("n"), .character("]"):
                moveDetail(from: open, by: 1, options: options)
            case .character("p"), .character("["):
                moveDetail(from: open, by: -1, options: options)
            default: break
            }
            return
        }
        let last = max(0, options.count - 1)
        switch key {
        case .down, .character("j"): matrixCursor = min(last, matrixCursor + 1)
        case .up, .character("k"): matrixCursor = max(0, matrixCursor - 1)
        case .home, .character("g"): matrixCursor = 0
        case .end, .character("G"): matrixCursor = last
        case .pageDown: matrixCursor = min(last, matrixCursor + 10)
        case .pageUp: matrixCursor = max(0, matrixCursor - 10)
        case .enter, .right, .character("l"):
            if options.indices.contains(matrixCursor) {
                detailOptionID = options[matrixCursor].id
                detailScroll = 0
            }
        case .character("s"):
            // Keep the cursor on the same option while the rows move.
            let selected = options.indices.contains(matrixCursor) ? options[matrixCursor].id : nil
            matrixOrder = matrixOrder.next(in: programme)
            let sorted = matrixOrder.sorted(programme.options, in: programme)
            matrixCursor = sorted.firstIndex { $0.id == selected } ?? 0
        default: break
        }
    }

    private mutating func moveDetail(from id: String, by step: Int, options: [ProgrammeOption]) {
        guard let index = options.firstIndex(where: { $0.id == id }) else { return }
        let next = min(max(0, index + step), options.count - 1)
        detailOptionID = options[next].id
        matrixCursor = next
        detailScroll = 0
    }

    private mutating func handleGates(_ key: Key, programme: Programme, context: DashboardContext) {
        if [.character("a"), .character("r"), .character("u"), .character("m"), .character("c"), .character("o")].contains(key) {
            startProgrammeAct(key, programme: programme, context: context)
            return
        }
        if gatesDetailOpen {
            switch key {
            case .escape, .backspace, .enter, .character("h"), .left, .character("w"): gatesDetailOpen = false
            case .down, .character("j"): detailScroll += 1
            case .up, .character("k"): detailScroll = max(0, detailScroll - 1)
            default: break
            }
            return
        }
        let last = max(0, GatesBoardItems(programme).items.count - 1)
        switch key {
        case .down, .character("j"): gatesCursor = min(last, gatesCursor + 1)
        case .up, .character("k"): gatesCursor = max(0, gatesCursor - 1)
        case .home, .character("g"): gatesCursor = 0
        case .end, .character("G"): gatesCursor = last
        case .pageDown: gatesCursor = min(last, gatesCursor + 10)
        case .pageUp: gatesCursor = max(0, gatesCursor - 10)
        case .enter, .right, .character("l"), .character("w"):
            gatesDetailOpen = true
            detailScroll = 0
        default: break
        }
    }

    /// The reason a programme act cannot be started from the Gates tab in a read-only dashboard.
    static let readOnlyProgrammeReason = "read-only: sign with `gatehouse gate sign`, `gatehouse gap close` or an open dashboard"

    /// Opens the flow of the programme act `key` asks for on the selected row, or says why not.
    private mutating func startProgrammeAct(_ key: Key, programme: Programme, context: DashboardContext) {
        let board = context.board(programme)
        let items = GatesBoardItems(programme, board: board)
        guard items.items.indices.contains(gatesCursor) else { return }
        let item = items.items[gatesCursor]
        var purpose: ProgrammeFlow.Purpose?
        switch (item.section, key) {
        case (.gates, .character("a")), (.gates, .character("r")):
            guard let entry = board.entry(item.id) else { return }
            if entry.gate.isSovereign {
                notice = "\(item.id) is decided inside each run: the Approvals tab, or `gatehouse approve RUN \(item.id)`"
            } else if key == .character("a") && !entry.isReadyToSign {
                notice = entry.status == .pass ? "\(item.id) is pass already" : "\(item.id) cannot be signed pass yet: \(entry.blockers.first?.reason ?? entry.status.rawValue)"
            } else {
                purpose = .signOff(entry, pass: key == .character("a"))
            }
        case (.gates, .character("u")):
            guard let entry = board.entry(item.id) else { return }
            if !entry.gate.needsRuling {
                notice = "rulings are recorded for xhigh gates; \(item.id) is \(entry.gate.level?.rawValue ?? "of no known level")"
            } else if entry.ruling != nil {
                notice = "\(item.id) has its ruling already"
            } else {
                purpose = .ruling(gate: item.id)
            }
        case (.gates, .character("m")):
            guard let entry = board.entry(item.id) else { return }
            let open = entry.blockers.compactMap { blocker -> String? in
                if case .condition(let text, _)? = blocker.requirement { return text }
                return nil
            }
            if let condition = open.first { purpose = .conditionMet(gate: item.id, condition: condition) }
            else { notice = "\(item.id) has no condition left to record as met" }
        case (.gaps, .character("c")):
            if board.gap(item.id).closed { notice = "\(item.id) is closed already (\(board.gap(item.id).why))" }
            else { purpose = .closeGap(item.id, run: nil) }
        case (.gaps, .character("o")):
            if board.gap(item.id).closed { purpose = .reopenGap(item.id) }
            else { notice = "\(item.id) is not closed" }
        default:
            notice = item.section == .gaps ? "on a gap: c closes it, o reopens it" : "on a gate: a signs pass, r signs fail, u records a ruling, m a condition met"
        }
        guard let purpose else { return }
        if context.readOnly {
            notice = Self.readOnlyProgrammeReason
            return
        }
        let newestClosed = context.ledger.order.reversed().first { context.ledger[$0]?.outcome == .closed }
        programmeFlow = ProgrammeFlow(purpose, offeredRun: newestClosed)
    }

    private mutating func handleProgrammeFlow(_ key: Key, context: DashboardContext) -> Outcome {
        guard var current = programmeFlow else { return .continueRunning }
        let effect = current.handle(key, asksPassphrase: context.protectedKeyFile != nil)
        programmeFlow = current
        switch effect {
        case .none:
            return .continueRunning
        case .cancelled:
            programmeFlow = nil
            notice = "cancelled; nothing was recorded"
            return .continueRunning
        case .closed:
            programmeFlow = nil
            return .continueRunning
        case .perform:
            return .programmeAct(current.purpose, text: current.signedText)
        }
    }
}
