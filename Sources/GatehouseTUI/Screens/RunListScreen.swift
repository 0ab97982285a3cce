import GatehouseCore

/// The list of runs, newest first, to pick the one the Runs tab shows.
enum RunListScreen {
    static let keys: [KeyHint] = [KeyHint("↑↓", "move"), KeyHint("Enter", "show"), KeyHint("Esc", "back"), KeyHint("q", "quit")]

    static func draw(_ ledger: RunLedger, state: DashboardState, on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) {
        let runs = ledger.newestFirst
        canvas.put("Runs, newest first", x: rect.x, y: rect.y, role: .heading, clip: rect)
        let list = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        CursorList.draw(count: runs.count, cursor: state.runListCursor, on: &canvas, rect: list, glyphs: glyphs) { index, y, x, canvas in
            let run = runs[index]
            var x = canvas.put(run.shortID, x: x, y: y, clip: list)
            x = canvas.put(" " + DisplayWidth.pad(run.mode.label, to: 6), x: x, y: y, role: run.mode == .live ? .danger : .mode, clip: list)
            x = canvas.put(" " + RunClock.time(run.startedAt), x: x, y: y, role: .dim, clip: list)
            x = canvas.put(" " + DisplayWidth.pad(run.start.document ?? run.start.plan.id, to: 20), x: x, y: y, clip: list)
            let role: Role = run.outcome == .closed ? .statusPass : run.isEnded ? .statusFail : .statusPending
            canvas.put(" " + run.situation, x: x, y: y, role: role, clip: list)
        }
    }
}
