import GatehouseCore

/// The selectable rows of the Gates tab — gates, macros, policy rules, gaps — each with the
/// explanation its "why" panel shows.
public struct GatesBoardItems: Sendable {
    /// Which section an item belongs to.
    public enum Section: String, Sendable, CaseIterable {
        case gates = "Gates"
        case macros = "Macros"
        case policies = "Policy rules"
        case gaps = "Gaps"
    }

    /// One selectable row.
    public struct Item: Sendable {
        public var section: Section
        public var id: String
        /// The row's cells after the id: level, status, title and so on.
        public var cells: [(text: String, role: Role)]
        /// One line for the status line when the row is selected.
        public var summary: String
        /// The panel title and lines shown on Enter.
        public var detailTitle: String
        public var detail: [StyledLine]
    }

    public var items: [Item]

    /// The items of `programme`'s board as its file records it.
    public init(_ programme: Programme) {
        self.init(programme, board: GateBoard(programme))
    }

    /// The items of `board`, the live board of `programme`.
    public init(_ programme: Programme, board: GateBoard) {
        items = board.entries.map { Self.gateItem($0, programme: programme, board: board) }
            + board.macros.map { Self.macroItem($0, board: board) }
            + programme.policies.map(Self.policyItem)
            + programme.gaps.map { Self.gapItem($0, board: board) }
    }

    /// A macro: its order, level and options, and the gates it needs with what blocks them.
    private static func macroItem(_ entry: GateBoard.MacroEntry, board: GateBoard) -> Item {
        let macro = entry.macro
        let carried = macro.options.map { macro.folded.contains($0) ? "\($0) (folded)" : $0 }.joined(separator: " + ")
        var detail = [
            StyledLine("Order      ", .dim).adding(macro.order.rawValue),
            StyledLine("Level      ", .dim).adding(macro.level.rawValue, role(macro.level)),
            StyledLine("Options    ", .dim).adding(carried),
        ]
        if let remark = macro.remark { detail.append(StyledLine("Remark     ", .dim).adding(remark)) }
        detail.append(StyledLine(""))
        detail.append(StyledLine(entry.needs.isEmpty ? "Needs no gate." : "Needs these gates to pass:", .heading))
        for need in entry.needs {
            let status = need.status
            detail.append(StyledLine("  \(need.id)  ").adding(status?.rawValue ?? "unknown", status.map(role) ?? .dim))
            if let gate = board.entry(need.id) {
                for blocker in gate.blockers {
                    detail.append(StyledLine("      blocked: \(blocker.reason)", .dim))
                }
            }
        }
        let needs = entry.needs.map { "\($0.id) (\($0.status?.rawValue ?? "unknown"))" }.joined(separator: ", ")
        return Item(
            section: .macros, id: macro.id,
            cells: [(macro.order.rawValue, .normal), (macro.level.rawValue, role(macro.level)), (carried, .normal),
                    ("→ " + (entry.needs.isEmpty ? "no gate" : entry.needs.map(\.id).joined(separator: ", ")),
                     entry.isClear ? .statusPass : .statusBlocked)],
            summary: "\(macro.id) \(macro.order.rawValue): \(carried); " + (entry.isClear ? "all gates passed" : "waiting on \(needs)"),
            detailTitle: "\(macro.id) — macro", detail: detail)
    }

    /// A policy rule: the option it comes from and its scope.
    private static func policyItem(_ policy: PolicyRule) -> Item {
        var detail = [StyledLine("From option  ", .dim).adding(policy.option),
                      StyledLine("Scope        ", .dim).adding(policy.scope), StyledLine("")]
        detail += StyledLine.wrapped(policy.rule, width: 60)
        return Item(
            section: .policies, id: policy.id,
            cells: [("\(policy.option) scoped to \(policy.scope)", .normal)],
            summary: "\(policy.option) scoped to \(policy.scope)",
            detailTitle: "\(policy.id) — policy rule", detail: detail)
    }

    /// A gap: its status (the journal's last word, else the file's), what closes it, and the
    /// gates that wait for it.
    private static func gapItem(_ gap: Gap, board: GateBoard) -> Item {
        let closers = gap.closedBy.map { $0.isEmpty ? "nothing listed" : $0.joined(separator: ", ") } ?? "unknown"
        let waiting = board.charter.gatesRelying(onGap: gap.id)
        let state = board.gap(gap.id)
        let journaled = board.book.gaps[gap.id]
        let status: Gap.Status = journaled == nil ? gap.status : (state.closed ? .closed : .open)
        var detail = [
            StyledLine("Status     ", .dim).adding(status.rawValue, role(status)).adding("  (\(state.why))", .dim),
            StyledLine("Closed by  ", .dim).adding(closers, gap.closedBy == nil ? .dim : .normal),
            StyledLine("Needed by  ", .dim).adding(waiting.isEmpty ? "no gate" : waiting.joined(separator: ", ")),
        ]
        if let act = journaled?.act {
            let evidence = [act.run.map { "run \($0.prefix(12))" }, act.evidenceText.isEmpty ? nil : act.evidenceText, act.reference]
                .compactMap { $0 }.joined(separator: "; ")
            detail.append(StyledLine(act.kind == .closeGap ? "Evidence   " : "Reopened   ", .dim)
                .adding(act.kind == .closeGap ? evidence : act.reason))
        }
        detail.append(StyledLine(""))
        detail += StyledLine.wrapped(gap.title ?? "Title unknown: the source does not say what this gap is.", width: 60)
        detail.append(StyledLine(""))
        detail.append(StyledLine(state.closed ? "o reopens it (say why); the sign-offs that relied on it go stale." : "c closes it, with evidence; then type the phrase.", .dim))
        return Item(
            section: .gaps, id: gap.id,
            cells: [(status.rawValue, role(status)), (gap.title ?? "(title unknown)", gap.title == nil ? .dim : .normal)],
            summary: "\(gap.id) \(status.rawValue); closed by \(closers)" + (state.closed ? " — o: reopen" : " — c: close"),
            detailTitle: "\(gap.id) — gap", detail: detail)
    }

    /// A gate: its live status, who signed it off, each requirement with its evidence or why
    /// not, what it covers and unlocks, and the keys that sign it.
    private static func gateItem(_ entry: GateBoard.Entry, programme: Programme, board: GateBoard) -> Item {
        let gate = entry.gate
        let title = gate.title ?? "(title unknown)"
        let word = statusWord(entry)
        var detail = [
            StyledLine("Status     ", .dim).adding(word, role(entry.status))
                .adding(entry.status != gate.status || !entry.signOffs.isEmpty ? "  (recorded as \(gate.status.rawValue))" : "", .dim),
            StyledLine("Level      ", .dim).adding(gate.level?.rawValue ?? "unknown", gate.level.map(role) ?? .dim),
            StyledLine("Title      ", .dim).adding(title, gate.title == nil ? .dim : .normal),
        ]
        if gate.isSovereign {
            detail.append(StyledLine("Approval   ", .dim).adding("sovereign, signed inside each run (the Approvals tab)"))
        } else {
            detail.append(StyledLine("Signatures ", .dim).adding("\(entry.signatureCount), from distinct sovereigns" + (gate.needsRuling ? ", after a ruling" : "")))
        }
        for signOff in entry.signOffs {
            let insecure = signOff.act.provider == StubSigning.providerName ? ", INSECURE" : ""
            detail.append(StyledLine("  signed   ", .dim)
                .adding(signOff.act.passes ? "pass" : "fail", signOff.act.passes ? .statusPass : .statusFail)
                .adding(" by \(signOff.act.by) (\(signOff.act.provider)\(insecure)) at #\(signOff.sequence)" + (signOff.act.passes ? "" : ": \(signOff.act.reason)")))
        }
        for stale in entry.stale {
            detail.append(StyledLine("  stale    ", .statusBlocked).adding(stale.why, .dim))
        }
        if let ruling = entry.ruling { detail.append(StyledLine("Ruling     ", .dim).adding(ruling)) }
        if !gate.covers.isEmpty {
            // Each option it covers as its matrix row shows it (folded to ASCII where the locale needs).
            let rows = ComparativeSummary(programme).rows
            for (index, id) in gate.covers.enumerated() {
                let label = index == 0 ? "Covers     " : "           "
                if let row = rows.first(where: { $0.optionID == id }) {
                    let cells = [row.name] + row.cells.map { $0.text(.unicode) }
                    detail.append(StyledLine(label, .dim).adding(cells.joined(separator: " │ ")))
                } else {
                    detail.append(StyledLine(label, .dim).adding(programme.option(id).map { "\(id) \($0.title)" } ?? id))
                }
            }
        }
        let unlocks = board.macros.filter { $0.needs.contains { $0.id == gate.id } }.map { "macro \($0.macro.id)" }
            + (board.charter.livePreconditions?.gate == gate.id || (board.charter.livePreconditions?.macrosDone ?? []).contains { macro in
                board.macros.first { $0.macro.id == macro }?.needs.contains { $0.id == gate.id } == true
            } ? ["the kill-switch checklist"] : [])
        if !unlocks.isEmpty { detail.append(StyledLine("Unlocks    ", .dim).adding(unlocks.joined(separator: ", "))) }
        if let note = gate.note { detail.append(StyledLine("Note       ", .dim).adding(note)) }
        detail.append(StyledLine(""))
        if entry.status == .pass {
            detail.append(StyledLine("Passed.", .statusPass))
        } else if entry.blockers.isEmpty {
            detail.append(StyledLine(gate.isSovereign ? "Every requirement is met: waiting for approval." : "Every requirement is met: ready to sign (a pass, r fail).", .statusPending))
        } else {
            detail.append(StyledLine("Blocked because:", .heading))
            for blocker in entry.blockers {
                detail.append(StyledLine("  ✗ ", .statusFail).adding(blocker.reason))
            }
        }
        if !entry.evidence.isEmpty {
            detail.append(StyledLine(""))
            detail.append(StyledLine("Evidence (what a sign-off binds, \(entry.evidenceDigest.prefix(8))):", .heading))
            for line in entry.evidence { detail.append(StyledLine("  ✓ ", .statusPass).adding(line)) }
        }
        if !gate.isSovereign {
            detail.append(StyledLine(""))
            var keys = entry.isReadyToSign ? "a sign pass · r sign fail" : "r sign fail"
            if gate.needsRuling && entry.ruling == nil { keys += " · u record the ruling" }
            if entry.blockers.contains(where: { if case .condition? = $0.requirement { true } else { false } }) { keys += " · m a condition met" }
            detail.append(StyledLine(keys + "; then type the phrase", .dim))
        }
        let summary: String
        if entry.status == .pass, let last = entry.passes.last {
            summary = "\(gate.id) pass, signed off by \(entry.passes.map(\.act.by).joined(separator: ", ")) at #\(last.sequence)"
        } else if entry.blockers.isEmpty {
            summary = "\(gate.id) \(word)" + (entry.isReadyToSign ? " — a: sign pass" : "")
        } else {
            let more = entry.blockers.count > 1 ? " (+\(entry.blockers.count - 1) more)" : ""
            summary = "\(gate.id) blocked: \(entry.blockers[0].reason)\(more)"
        }
        var shown = (gate.isSovereign ? "[sovereign] " : "") + title
        if !entry.stale.isEmpty && entry.status != .pass { shown += " · stale sign-off" }
        return Item(
            section: .gates, id: gate.id,
            cells: [(gate.level?.rawValue ?? "?", gate.level.map(role) ?? .dim), (word, role(entry.status)),
                    (shown, gate.title == nil ? .dim : .normal)],
            summary: summary, detailTitle: "\(gate.id) — why \(entry.status.rawValue)", detail: detail)
    }

    /// The status in a word or two: `pass`, `blocked`, `ready` (to sign), `1 of 2`, `fail`.
    static func statusWord(_ entry: GateBoard.Entry) -> String {
        guard entry.status == .pending, !entry.gate.isSovereign else { return entry.status.rawValue }
        return entry.passes.isEmpty ? "ready" : "\(entry.passes.count) of \(entry.signaturesNeeded)"
    }

    static func role(_ status: GateStatus) -> Role {
        switch status {
        case .pass: .statusPass
        case .pending: .statusPending
        case .fail: .statusFail
        case .blocked: .statusBlocked
        }
    }

    static func role(_ status: Gap.Status) -> Role {
        switch status {
        case .open: .statusBlocked
        case .closed: .statusPass
        case .unknown: .dim
        }
    }

    static func role(_ level: GateLevel) -> Role {
        switch level {
        case .medium: .levelMedium
        case .high: .levelHigh
        case .xhigh: .levelXHigh
        }
    }
}
