import GatehouseCore

/// The pages of a signed act: the review of what a decision or a restore covers, or the
/// kill-switch checklist; then the reason and phrase fields, the last question, and the result.
enum SignFlowScreen {
    /// The keys of each step.
    static func keys(_ flow: SignFlow) -> [KeyHint] {
        switch flow.step {
        case .review:
            switch flow.purpose {
            case .decide: [KeyHint("a", "approve"), KeyHint("r", "reject"), KeyHint("Esc", "cancel")]
            case .enableLive: [KeyHint("Enter", "enable LIVE"), KeyHint("Esc", "cancel")]
            case .restore: [KeyHint("Enter", "restore"), KeyHint("Esc", "cancel")]
            }
        case .reason: [KeyHint("Enter", "next"), KeyHint("Backspace", "delete"), KeyHint("Esc", "cancel")]
        case .phrase: [KeyHint("Enter", "sign"), KeyHint("Backspace", "delete"), KeyHint("Esc", "cancel")]
        case .confirm: [KeyHint("y", flow.purpose == .restore ? "restore" : "enable LIVE"), KeyHint("N", "cancel")]
        case .passphrase: [KeyHint("Enter", "sign"), KeyHint("Backspace", "delete"), KeyHint("Esc", "cancel")]
        case .working: []
        case .result: [KeyHint("any key", "close")]
        }
    }

    static func draw(_ flow: SignFlow, run: RunState, programme: Programme, context: DashboardContext, parity: ParityView? = nil,
                     on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) {
        var lines: [StyledLine]
        switch flow.purpose {
        case .decide(let gate):
            lines = review(gate: gate, run: run, programme: programme, context: context, glyphs: glyphs)
            // What an O7 approver signs SG_2 on: the run against its reference (`c` on the Runs tab).
            if let parity { lines.insert(StyledLine([StyledLine.Run(text: DisplayWidth.pad("Parity", to: 12), role: .dim)] + parity.line.runs),
                                          at: min(lines.count, 4)) }
        case .enableLive: lines = checklist(run: run, programme: context.ledger.programme, glyphs: glyphs)
        case .restore: lines = restoreReview(run: run, context: context, glyphs: glyphs)
        }
        lines.append(StyledLine())
        lines = lines.flatMap { $0.wrapped(to: rect.width, indent: 4) }
        let below = prompt(flow, run: run, programme: context.ledger.programme, keyFile: context.protectedKeyFile, glyphs: glyphs).flatMap { $0.wrapped(to: rect.width, indent: 4) }
        // The prompt is what the approver acts on: keep it in view, cutting the review above it
        // (its end shown, or as far up as the approver scrolled, its heading kept on top).
        let room = max(1, rect.height - below.count)
        var review = lines
        if lines.count > room {
            let scroll = min(flow.reviewScroll, lines.count - room)
            let end = lines.count - scroll
            review = [StyledLine(lines[0].runs.map(\.text).joined(), .heading)] + lines[(end - room + 1)..<end]
            if scroll > 0 {
                review[review.count - 1] = StyledLine("\(glyphs.isUnicode ? "↓" : "v") \(scroll) more line\(scroll == 1 ? "" : "s") below (↑↓ PgUp PgDn scroll)", .dim)
            }
        }
        for (offset, line) in Array((review + below).suffix(rect.height)).enumerated() {
            line.draw(on: &canvas, x: rect.x, y: rect.y + offset, clip: rect)
        }
    }

    /// What a decision at `gate` covers.
    static func review(gate: String, run: RunState, programme: Programme, context: DashboardContext, glyphs: GlyphSet) -> [StyledLine] {
        func row(_ label: String, _ value: String, _ role: Role = .normal) -> StyledLine {
            StyledLine(DisplayWidth.pad(label, to: 12), .dim).adding(value, role)
        }
        let ellipsis = glyphs.isUnicode ? "…" : "~"
        var lines = [StyledLine("Review \(gate) of run \(run.id)", .heading)]
        lines.append(row("Mode", run.mode == .live ? "LIVE: approving lets the run go on toward writing the target"
                                                   : "DRYRUN: nothing is written to the target",
                         run.mode == .live ? .danger : .mode))
        var document = run.start.document ?? "no document (\(run.start.plan.title))"
        if let critical = run.facts.signatureCritical { document += critical ? " · signature-critical" : " · not signature-critical" }
        lines.append(row("Plan", "\(run.start.plan.id) · \(document)"))
        if let count = run.facts.candidates {
            let headings = run.facts.candidateHeadings ?? []
            let shown = headings.prefix(3).joined(separator: ", ") + (headings.count > 3 ? ", " + ellipsis : "")
            lines.append(row("Candidates", "\(count)" + (shown.isEmpty ? "" : ": " + shown)))
        }
        if let sha = run.facts.preStateSHA {
            lines.append(row("Pre-state", "SHA-256 " + sha.prefix(16) + ellipsis + counts(run.facts.preCounts)))
        }
        if let result = dryRunResult(run) { lines.append(row("Result", result)) }
        if let backup = backupLine(run) { lines.append(row("Backup", backup.text, backup.role)) }
        if let runbook = run.facts.runbookPath {
            lines.append(row("Runbook", "\(runbook) · SHA-256 \(run.facts.runbookSHA256?.prefix(12) ?? "?")… · the steps back to the pre-state"))
        }
        if let option = programme.option(forPlan: run.start.plan.id, mode: run.mode) {
            let macro = programme.macro(containing: option.id)
            let macroText = macro.map { " · macro \($0.id) (\($0.order.rawValue), \($0.level.rawValue))" } ?? ""
            lines.append(row("Option", "\(option.id)\(macroText)"))
            if let matrixRow = ComparativeSummary(programme).rows.first(where: { $0.optionID == option.id }) {
                let cells = [glyphs.fit(matrixRow.name)] + matrixRow.cells.map { $0.text(glyphs) } + [glyphs.fit(matrixRow.nextMacro.text)]
                lines.append(row("Matrix row", cells.joined(separator: glyphs.isUnicode ? " │ " : " | ")))
            }
        }
        if let package = run.start.package {
            lines.append(row("Package", "digest " + package.digest.prefix(16) + ellipsis
                             + (package.source.map { " · from \($0)" } ?? " · built from \(run.start.directory ?? "the programme folder")")))
            lines += commandLines(run, package: package, ellipsis: ellipsis)
        }
        if CloseOutStatement.closesOut(gate, in: run.start.plan) {
            let post = run.facts.postStateSHA.map { "post-state SHA-256 " + $0.prefix(16) + ellipsis + ", " } ?? ""
            lines.append(row("Close-out", "approving also signs the run's close-out (\(post)the approvals, the backup's SHA-256)"))
        }
        lines.append(signingRow(gate: gate, run: run, context: context))
        if context.runner(run)?.isGone == true {
            lines.append(row("Runner", "GONE: the decision is recorded, but nothing happens until the run is resumed "
                             + "(`gatehouse resume \(run.shortID)`)", .danger))
        }
        return lines
    }

    /// What the package runs, phase by phase: each command line and the digest of each file it
    /// runs (what the decision binds, through the package digest).
    private static func commandLines(_ run: RunState, package: PackagePin, ellipsis: String) -> [StyledLine] {
        var lines = [StyledLine("Commands (\(package.files.count) files pinned; ↑↓ scroll)", .dim)]
        for (number, phase) in run.start.plan.phases.enumerated() {
            let changes = phase.mutates ? "  [changes the host]" : ""
            switch phase.action {
            case .command(let command):
                lines.append(StyledLine("\(number + 1). \(phase.id)\(changes)", phase.mutates ? .danger : .normal))
                lines.append(StyledLine("   $ " + TerminalText.inertLine(command.command)))
                for path in command.files {
                    lines.append(StyledLine("   " + TerminalText.inertLine(path) + " " + (package.file(path)?.sha256.prefix(12) ?? "?") + ellipsis, .dim))
                }
                if let revert = phase.revert { lines.append(StyledLine("   revert: $ " + TerminalText.inertLine(revert.command), .dim)) }
            case .gate(let gate):
                lines.append(StyledLine("\(number + 1). \(gate) (sovereign gate)\(gate == run.waitingGate ? " ← this decision" : "")", .dim))
            case .host(let step):
                let repository = run.start.plan.identity?.repository
                let what = switch step {
                case .identityGuards: "checks " + PackageReview.identityLines(run.start.plan.identity).map { "\($0.label) \($0.value)" }.joined(separator: "; ")
                case .preState: "digests " + (run.start.plan.preState.map(PackageReview.probeLine) ?? "nothing")
                case .tag(let tag): "git tag \(tag.name) at \(repository?.commit.map { String($0.prefix(12)) + ellipsis } ?? "?"), local"
                }
                lines.append(StyledLine("\(number + 1). \(phase.id): " + TerminalText.inertLine(what) + changes, phase.mutates ? .danger : .normal))
            case .builtin(let step):
                lines.append(StyledLine("\(number + 1). \(phase.id): \(step.rawValue)\(changes)"))
            }
        }
        return lines
    }

    /// The kill-switch checklist for `run`, each line green or red with why.
    static func checklist(run: RunState, programme: ProgrammeLedger, glyphs: GlyphSet) -> [StyledLine] {
        var lines = [StyledLine("Enable LIVE for run \(run.id)", .heading)]
        guard run.mode == .live else {
            return lines + [StyledLine("This is a dry run: the kill-switch only ever enables a LIVE run.", .dim)]
        }
        lines.append(StyledLine("Preconditions (\(LiveChecklist.source(for: run, programme: programme))):", .dim))
        for check in LiveChecklist.checks(for: run, programme: programme) {
            lines.append(StyledLine(check.met ? " \(glyphs.phaseDone) " : " \(glyphs.phaseFailed) ", check.met ? .statusPass : .statusFail)
                .adding(check.label, check.met ? .normal : .statusFail)
                .adding(" — " + check.why, .dim))
        }
        return lines
    }

    /// What a restore of `run`'s backup puts back, over what, and who signs it.
    static func restoreReview(run: RunState, context: DashboardContext, glyphs: GlyphSet) -> [StyledLine] {
        func row(_ label: String, _ value: String, _ role: Role = .normal) -> StyledLine {
            StyledLine(DisplayWidth.pad(label, to: 12), .dim).adding(value, role)
        }
        let ellipsis = glyphs.isUnicode ? "…" : "~"
        var lines = [StyledLine("Restore the target of run \(run.id) from its backup", .heading)]
        lines.append(row("Writes", "over \(run.start.target ?? "the run's target"): what it holds now is replaced", .danger))
        if let sha = run.facts.preStateSHA {
            lines.append(row("Puts back", "the pre-state of run \(run.shortID), SHA-256 " + sha.prefix(16) + ellipsis + counts(run.facts.preCounts)))
        }
        if let backup = backupLine(run) { lines.append(row("Backup", backup.text, backup.role)) }
        if let sha = run.facts.backupSHA256 { lines.append(row("Checked", "its SHA-256 " + sha.prefix(16) + ellipsis + ", then a drill of what it holds, before anything is written")) }
        lines.append(row("Run", "\(run.mode == .live ? "LIVE" : "DRYRUN") · \(run.situation)"))
        if let why = SignFlow.whyNotRestorable(run, switchHolder: context.ledger.killSwitchHolder) { lines.append(row("Blocked", why, .statusFail)) }
        lines.append(signingRow(gate: nil, run: run, context: context))
        return lines
    }

    /// The line that says what the step asks, with its field or error.
    private static func prompt(_ flow: SignFlow, run: RunState, programme: ProgrammeLedger, keyFile: String?, glyphs: GlyphSet) -> [StyledLine] {
        let cursor = "_"
        var lines: [StyledLine] = []
        switch flow.step {
        case .review:
            switch flow.purpose {
            case .decide: lines.append(StyledLine("a approve · r reject · Esc cancel; nothing is recorded before the phrase.", .dim))
            case .enableLive:
                let unmet = LiveChecklist.unmet(run, programme: programme).count
                lines.append(run.mode == .live && unmet == 0
                    ? StyledLine("Every precondition is met. Enter to type the phrase; Esc cancels.", .statusPass)
                    : StyledLine("LIVE cannot be enabled while a line is red (\(unmet) unmet). Esc goes back.", .statusFail))
            case .restore:
                lines.append(StyledLine("Enter to type the phrase; Esc cancels. Nothing is written before the last y.", .dim))
            }
        case .reason:
            lines.append(StyledLine("Why is \(gateName(flow)) rejected? ", .heading).adding(flow.reason + cursor))
        case .phrase:
            let verb: String
            switch flow.purpose {
            case .decide: verb = flow.approve ? "approve" : "reject"
            case .enableLive: verb = "enable LIVE"
            case .restore: verb = "restore"
            }
            lines.append(StyledLine("To \(verb), type ", .heading).adding(flow.phrase(for: run), .key).adding(": ", .heading)
                .adding(flow.typed + cursor))
        case .confirm where flow.purpose == .restore:
            lines.append(StyledLine("Put \(run.start.target ?? "the target") back to run \(run.shortID)'s backup, replacing what it holds now? y/N", .danger))
        case .confirm:
            lines.append(StyledLine("Enable LIVE for run \(run.shortID)? It may then write to the target. y/N", .danger))
        case .passphrase:
            lines.append(passphrasePrompt(keyFile: keyFile))
        case .working(let what):
            lines.append(StyledLine(what, .heading))
        case .result(let message, let recorded):
            lines.append(StyledLine(message, recorded ? .statusPass : .statusFail))
        }
        if let error = flow.error { lines.append(StyledLine(error, .statusFail)) }
        return lines
    }

    /// The passphrase field of either signing flow: the key file named, nothing of what is typed.
    static func passphrasePrompt(keyFile: String?) -> StyledLine {
        StyledLine("Passphrase of \(keyFile ?? "your key file"): ", .heading).adding("_").adding(" (not shown)", .dim)
    }

    private static func gateName(_ flow: SignFlow) -> String {
        if case .decide(let gate) = flow.purpose { return gate }
        return "the switch"
    }

    /// Who signs, with which provider; red when they may not (for a decision: may not sign
    /// `gate`; for an act any sovereign of the run signs, such as a restore, `gate` is nil).
    private static func signingRow(gate: String?, run: RunState, context: DashboardContext) -> StyledLine {
        let label = StyledLine(DisplayWidth.pad("Signing as", to: 12), .dim)
        guard !run.start.sovereigns.isEmpty else {
            return label.adding("\(context.signer) (stub, INSECURE: the programme names no sovereigns)", .statusPending)
        }
        guard let sovereign = run.start.sovereigns.first(where: { $0.name == context.signer }) else {
            let names = run.start.sovereigns.map(\.name).joined(separator: ", ")
            return label.adding("\(context.signer), who is not a sovereign of this run (sovereigns: \(names)); open with --as NAME", .statusFail)
        }
        if let gate, !sovereign.gates.contains(gate) {
            return label.adding("\(sovereign.name), who may not sign \(gate) (may sign \(sovereign.gates.joined(separator: ", ")))", .statusFail)
        }
        let insecure = sovereign.provider == StubSigning.providerName ? ", INSECURE" : ""
        return label.adding("\(sovereign.name) (\(sovereign.provider)\(insecure))", insecure.isEmpty ? .statusPass : .statusPending)
    }

    /// What the dry run established: what it would write, and the post-state against the pre-state.
    /// The run's backup as the approver of SG_2 weighs it: encrypted or not, and its last drill.
    static func backupLine(_ run: RunState) -> (text: String, role: Role)? {
        guard let path = run.facts.backupPath else { return nil }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let keys = run.facts.backupRecipients.map { "encrypted to \($0.count) key\($0.count == 1 ? "" : "s")" } ?? "not encrypted"
        // A programme that requires the drill holds SG_2 until one passed: then its absence is a block, not a note.
        let required = run.start.backupDrillRequired && run.drills.last(where: { $0.drill.backup == path })?.drill.passed != true
        guard let drill = run.drills.last else {
            return ("\(name) · \(keys) · not drilled\(required ? " (required before SG_2)" : ""): `gatehouse restore \(run.shortID) --drill`",
                    required ? .danger : .statusPending)
        }
        return ("\(name) · \(keys) · drill at #\(drill.sequence) \(drill.drill.summary)\(required ? " (a passing drill is required before SG_2)" : "")",
                drill.drill.passed ? .statusPass : .danger)
    }

    private static func dryRunResult(_ run: RunState) -> String? {
        var parts: [String] = []
        if let would = run.facts.wouldInsert { parts.append("would insert \(would)") }
        if let inserted = run.facts.inserted { parts.append("written \(inserted)") }
        if let pre = run.facts.preStateSHA, let post = run.facts.postStateSHA {
            parts.append(pre == post ? "post-state SHA equals pre-state" : "post-state SHA differs from pre-state")
        }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    private static func counts(_ counts: [String: Int64]?) -> String {
        guard let counts else { return "" }
        let text = ["document", "unit", "cut_marker"].compactMap { counts[$0].map { "\($0)" } }.joined(separator: "/")
        return "  doc/unit/marker " + text
    }
}
