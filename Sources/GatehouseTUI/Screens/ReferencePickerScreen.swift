import GatehouseCore

/// The list to pick the run that the run in view is compared with (`c` on the Runs tab): no
/// reference, the record files given with `--reference`, then the journal's other runs.
enum ReferencePickerScreen {
    static let keys: [KeyHint] = [KeyHint("↑↓", "move"), KeyHint("Enter", "compare"), KeyHint("Esc", "back"), KeyHint("q", "quit")]

    static func draw(_ shown: RunState?, context: DashboardContext, state: DashboardState, on canvas: inout Canvas, rect: Rect,
                     glyphs: GlyphSet) {
        let candidates = context.parityCandidates(excluding: shown?.id)
        canvas.put("Compare run \(shown?.shortID ?? "") with", x: rect.x, y: rect.y, role: .heading, clip: rect)
        let list = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        CursorList.draw(count: candidates.count + 1, cursor: state.referenceCursor, on: &canvas, rect: list, glyphs: glyphs) { index, y, x, canvas in
            guard index > 0 else {
                canvas.put("no reference (compare with nothing)", x: x, y: y, role: .dim, clip: list)
                return
            }
            let candidate = candidates[index - 1]
            let run = candidate.side.run
            var x = canvas.put(candidate.key == state.parityReference ? "* " : "  ", x: x, y: y, role: .statusPass, clip: list)
            x = canvas.put(run.shortID, x: x, y: y, clip: list)
            x = canvas.put(" " + DisplayWidth.pad(run.mode.label, to: 6), x: x, y: y, role: run.mode == .live ? .danger : .mode, clip: list)
            x = canvas.put(" " + RunClock.time(run.startedAt), x: x, y: y, role: .dim, clip: list)
            x = canvas.put(" " + DisplayWidth.pad(run.start.plan.id, to: 16), x: x, y: y, clip: list)
            x = canvas.put(" " + DisplayWidth.pad(run.isEnded ? run.situation : "not ended", to: 10), x: x, y: y,
                           role: run.outcome == .closed ? .statusPass : .dim, clip: list)
            let host = run.start.fingerprint.map { " on \($0.host)" } ?? ""
            canvas.put(" " + TerminalText.inertLine(candidate.side.source + host), x: x, y: y, role: .dim, clip: list)
        }
    }
}
