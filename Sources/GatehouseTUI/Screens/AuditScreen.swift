import GatehouseCore

/// The Audit tab: the journal as an auditor reads it — starts, every signed decision and
/// kill-switch enable with its signer, provider and verification, refusals, endings.
enum AuditScreen {
    static let keys: [KeyHint] = [KeyHint("↑↓", "scroll"), KeyHint("g/G", "oldest/newest"), KeyHint("?", "help"), KeyHint("q", "quit")]

    static func draw(_ entries: [AuditTrail.Entry], state: DashboardState, on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) {
        let failed = entries.filter { $0.verdict?.isFailure == true }.count
        let signed = entries.filter { $0.verdict != nil }.count
        var heading = StyledLine("Audit trail", .heading).adding("  \(entries.count) entries, \(signed) signed", .dim)
        if failed > 0 { heading = heading.adding("  \(failed) signature\(failed == 1 ? "" : "s") FAILED", .danger) }
        heading.draw(on: &canvas, x: rect.x, y: rect.y, clip: rect)
        guard !entries.isEmpty else {
            canvas.put("The journal holds no runs yet.", x: rect.x, y: rect.y + 2, role: .dim, clip: rect)
            return
        }
        let lines = entries.map { line($0, glyphs: glyphs) }
        let pane = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        let offset = max(0, ScrollView.maxOffset(count: lines.count, height: pane.height) - state.auditScroll)
        ScrollView.draw(lines, on: &canvas, rect: pane, offset: offset, glyphs: glyphs)
    }

    static func line(_ entry: AuditTrail.Entry, glyphs: GlyphSet) -> StyledLine {
        var line = StyledLine(DisplayWidth.pad("#\(entry.sequence)", to: 6), .dim)
            .adding(RunClock.time(entry.time) + " ", .dim)
            .adding(DisplayWidth.pad(String(entry.run.prefix(8)), to: 8) + " ")
            // A programme's acts say so by their run column (its id); the kind's prefix would only repeat it.
            .adding(DisplayWidth.pad(String(entry.kind.trimmingPrefix(ProgrammeEvent.kindPrefix)), to: 18), role(entry))
            .adding(DisplayWidth.pad(entry.actor, to: 9) + " ")
        if let provider = entry.provider, let verdict = entry.verdict {
            if provider != StubSigning.providerName { line = line.adding("\(provider) ", .dim) }
            line = line.adding(verdict.label + " ", verdictRole(verdict))
        }
        return line.adding(entry.detail, .dim)
    }

    private static func role(_ entry: AuditTrail.Entry) -> Role {
        switch entry.kind {
        case "gate.approved", "run.closed", "programme.gap_closed", "programme.condition_met", "programme.ruling_recorded": .statusPass
        case "programme.gate_signed_off": entry.passes == true ? .statusPass : .statusFail
        case "gate.rejected", "run.refused", "run.failed", "run.aborted", "run.rejected", "programme.refused",
             "programme.gap_reopened": .statusFail
        case "killswitch.enabled": .danger
        default: .normal
        }
    }

    private static func verdictRole(_ verdict: SignatureVerdict) -> Role {
        switch verdict {
        case .verified: .statusPass
        case .insecure, .unsigned: .statusPending
        case .failed: .danger
        }
    }
}
