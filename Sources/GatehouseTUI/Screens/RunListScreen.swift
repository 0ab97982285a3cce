import GatehouseCore

/// The list of runs, newest first, to pick the one the Runs tab shows.
enum RunListScreen {
    static let keys: [KeyHint] = [KeyHint("↑↓", "move"), KeyHint("Enter", "show"), KeyHint("Esc", "back"), KeyHint("q", "quit")]

    static func draw(_ context: DashboardContext, state: DashboardState, on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) {
        let runs = context.ledger.newestFirst
        canvas.put("Runs, newest first", x: rect.x, y: rect.y, role: .heading, clip: rect)
        let list = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        CursorList.draw(count: runs.count, cursor: state.runListCursor, on: &canvas, rect: list, glyphs: glyphs) { index, y, x, canvas in
            let run = runs[index]
            var x = canvas.put(run.shortID, x: x, y: y, clip: list)
            x = canvas.put(" " + DisplayWidth.pad(run.mode.label, to: 6), x: x, y: y, role: run.mode == .live ? .danger : .mode, clip: list)
            x = canvas.put(" " + RunClock.time(run.startedAt), x: x, y: y, role: .dim, clip: list)
            x = canvas.put(" " + DisplayWidth.pad(run.start.document ?? run.start.plan.id, to: 20), x: x, y: y, clip: list)
            let runner = context.runner(run)
            let role: Role = run.outcome == .closed ? .statusPass : run.isEnded ? .statusFail : runner?.isGone == true ? .danger : .statusPending
            let situation = runner?.isGone == true ? "RUNNER GONE" + (run.waitingGate.map { " at \($0)" } ?? "") : run.situation
            canvas.put(" " + situation, x: x, y: y, role: role, clip: list)
        }
    }
}
