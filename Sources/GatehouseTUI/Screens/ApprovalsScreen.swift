import GatehouseCore

/// The Approvals tab: the gates runs wait at and the LIVE runs waiting for the kill-switch.
enum ApprovalsScreen {
    static let keys: [KeyHint] = [KeyHint("↑↓", "move"), KeyHint("Enter", "review"), KeyHint("K", "kill-switch"),
                                  KeyHint("?", "help"), KeyHint("q", "quit")]

    static func draw(_ items: [PendingItem], state: DashboardState, context: DashboardContext,
                     on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) {
        canvas.put("Waiting for a sovereign", x: rect.x, y: rect.y, role: .heading, clip: rect)
        guard !items.isEmpty else {
            canvas.put("Nothing waits: no run is at a gate or waiting for the kill-switch.", x: rect.x, y: rect.y + 2, role: .dim, clip: rect)
            return
        }
        let list = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        CursorList.draw(count: items.count, cursor: state.approvalsCursor, on: &canvas, rect: list, glyphs: glyphs) { index, y, x, canvas in
            let item = items[index]
            let run = item.run
            var x = x
            switch item.kind {
            case .gate(let gate): x = canvas.put(DisplayWidth.pad(gate, to: 11), x: x, y: y, role: .statusPending, clip: list)
            case .killSwitch: x = canvas.put(DisplayWidth.pad("KILL-SWITCH", to: 11), x: x, y: y, role: .danger, clip: list)
            }
            x = canvas.put(" " + run.shortID, x: x, y: y, clip: list)
            x = canvas.put(" " + DisplayWidth.pad(run.mode.label, to: 6), x: x, y: y, role: run.mode == .live ? .danger : .mode, clip: list)
            x = canvas.put(" " + DisplayWidth.pad(run.start.document ?? run.start.plan.id, to: 20), x: x, y: y, clip: list)
            let since = run.runningPhase?.startedAt ?? run.lastTime
            x = canvas.put(" waiting " + RunClock.elapsed(context.now - since), x: x, y: y, role: .dim, clip: list)
            if context.runner(run)?.isGone == true {
                canvas.put("  runner gone", x: x, y: y, role: .danger, clip: list)
            } else if case .killSwitch = item.kind {
                let unmet = LiveChecklist.unmet(run, programme: context.ledger.programme).count
                canvas.put(unmet == 0 ? "  checklist met" : "  \(unmet) precondition\(unmet == 1 ? "" : "s") unmet", x: x, y: y,
                           role: unmet == 0 ? .statusPass : .statusFail, clip: list)
            }
        }
    }
}
