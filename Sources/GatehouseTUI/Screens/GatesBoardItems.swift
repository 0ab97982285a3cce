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

    public init(_ programme: Programme) {
        let board = GateBoard(programme)
        items = board.entries.map { Self.gateItem($0, programme: programme) }
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

    /// A gap: its status, what closes it, and the gates that wait for it.
    private static func gapItem(_ gap: Gap, board: GateBoard) -> Item {
        let closers = gap.closedBy.map { $0.isEmpty ? "nothing listed" : $0.joined(separator: ", ") } ?? "unknown"
        let waiting = board.entries.filter { $0.gate.requires.contains(.gap(gap.id)) }.map(\.gate.id)
        var detail = [
            StyledLine("Status     ", .dim).adding(gap.status.rawValue, role(gap.status)),
            StyledLine("Closed by  ", .dim).adding(closers, gap.closedBy == nil ? .dim : .normal),
            StyledLine("Needed by  ", .dim).adding(waiting.isEmpty ? "no gate" : waiting.joined(separator: ", ")),
            StyledLine(""),
        ]
        detail += StyledLine.wrapped(gap.title ?? "Title unknown: the source does not say what this gap is.", width: 60)
        return Item(
            section: .gaps, id: gap.id,
            cells: [(gap.status.rawValue, role(gap.status)), (gap.title ?? "(title unknown)", gap.title == nil ? .dim : .normal)],
            summary: "\(gap.id) \(gap.status.rawValue); closed by \(closers)",
            detailTitle: "\(gap.id) — gap", detail: detail)
    }

    private static func gateItem(_ entry: GateBoard.Entry, programme: Programme) -> Item {
        let gate = entry.gate
        let title = gate.title ?? "(title unknown)"
        var detail = [
            StyledLine("Status     ", .dim).adding(entry.status.rawValue, role(entry.status))
                .adding(entry.status != gate.status ? "  (recorded as \(gate.status.rawValue))" : "", .dim),
            StyledLine("Level      ", .dim).adding(gate.level?.rawValue ?? "unknown", gate.level.map(role) ?? .dim),
            StyledLine("Title      ", .dim).adding(title, gate.title == nil ? .dim : .normal),
        ]
        if gate.isSovereign { detail.append(StyledLine("Approval   ", .dim).adding("sovereign, signed")) }
        if !gate.covers.isEmpty { detail.append(StyledLine("Covers     ", .dim).adding(gate.covers.joined(separator: ", "))) }
        if let note = gate.note { detail.append(StyledLine("Note       ", .dim).adding(note)) }
        detail.append(StyledLine(""))
        if entry.status == .pass {
            detail.append(StyledLine("Passed.", .statusPass))
        } else if entry.blockers.isEmpty {
            detail.append(StyledLine(gate.requires.isEmpty ? "No requirement recorded: waiting for approval." : "Every requirement is met: waiting for approval.", .statusPending))
        } else {
            detail.append(StyledLine("Blocked because:", .heading))
            for blocker in entry.blockers {
                detail.append(StyledLine("  ✗ ", .statusFail).adding(blocker.reason))
            }
        }
        let met = gate.requires.count - entry.blockers.count
        if met > 0, entry.status != .pass {
            detail.append(StyledLine(""))
            detail.append(StyledLine("Already met:", .heading))
            let blocking = entry.blockers.map(\.requirement)
            for requirement in gate.requires where !blocking.contains(requirement) {
                detail.append(StyledLine("  ✓ ", .statusPass).adding(describe(requirement)))
            }
        }
        let summary: String
        if entry.blockers.isEmpty {
            summary = "\(gate.id) \(entry.status.rawValue)"
        } else {
            let more = entry.blockers.count > 1 ? " (+\(entry.blockers.count - 1) more)" : ""
            summary = "\(gate.id) blocked: \(entry.blockers[0].reason)\(more)"
        }
        return Item(
            section: .gates, id: gate.id,
            cells: [(gate.level?.rawValue ?? "?", gate.level.map(role) ?? .dim), (entry.status.rawValue, role(entry.status)),
                    ((gate.isSovereign ? "[sovereign] " : "") + title, gate.title == nil ? .dim : .normal)],
            summary: summary, detailTitle: "\(gate.id) — why \(entry.status.rawValue)", detail: detail)
    }

    private static func describe(_ requirement: Requirement) -> String {
        switch requirement {
        case .gate(let id): "gate \(id) passed"
        case .gap(let id): "gap \(id) closed"
        case .condition(let text, _): text
        case .runs(let plan, let mode): "a \(mode.label) run of \(plan) closed out"
        }
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
