import GatehouseCore

/// The help overlay (`?`): every key the dashboard answers to.
enum HelpOverlay {
    static let entries: [(key: String, label: String)] = [
        ("Tab / Shift-Tab", "next / previous tab"),
        ("1 2 3 4 5", "Matrix, Gates, Runs, Approvals, Audit tab"),
        ("↑ ↓  j k", "move the cursor; scroll a detail page"),
        ("PgUp PgDn  g G", "page up / down, first / last"),
        ("Enter  → l", "open: option detail, or why a gate is blocked"),
        ("Esc  ← h", "back / close"),
        ("s", "Matrix: sort by the next axis (document order first)"),
        ("n  p", "option detail: next / previous option"),
        ("d  x", "Runs: start a dry run; abort the run (y/N)"),
        ("l  f  c", "Runs: pick a run, follow the newest, compare two"),
        ("Enter  a  r", "Approvals: review a gate; approve or reject"),
        ("a r u m  c o", "Gates: sign pass/fail, ruling, met; gap close/reopen"),
        ("K", "kill-switch checklist; enable LIVE (phrase, y/N)"),
        ("R", "Runs: restore an ended run's backup (phrase, y/N)"),
        ("?", "this help (any key closes it)"),
        ("q", "quit (Ctrl-C too); the terminal is restored"),
    ]

    static func draw(on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) {
        let keyWidth = entries.map { DisplayWidth.of($0.key) }.max() ?? 0
        let width = min(rect.width, keyWidth + 2 + (entries.map { DisplayWidth.of($0.label) }.max() ?? 0) + 6)
        let box = rect.centered(width: width, height: entries.count + 4)
        let inner = Box.draw(on: &canvas, rect: box, title: "Keys", glyphs: glyphs)
        for (index, entry) in entries.enumerated() {
            let y = inner.y + 1 + index
            let x = canvas.put(DisplayWidth.pad(entry.key, to: keyWidth), x: inner.x + 1, y: y, role: .key, clip: inner)
            canvas.put("  " + entry.label, x: x, y: y, role: .overlay, clip: inner)
        }
    }
}
