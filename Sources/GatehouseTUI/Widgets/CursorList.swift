import GatehouseCore

/// A list of rows with a cursor: scrolled so the cursor row is in view, the cursor glyph in
/// the first column and the cursor row painted as the selection.
enum CursorList {
    /// Draws `count` rows in `rect`; `row(index, y, x)` draws row `index` from column `x` on line `y`.
    static func draw(count: Int, cursor: Int, on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet,
                     row: (Int, Int, Int, inout Canvas) -> Void) {
        let top = min(max(0, cursor - rect.height + 1), ScrollView.maxOffset(count: count, height: rect.height))
        for index in top..<min(count, top + rect.height) {
            let y = rect.y + index - top
            let selected = index == cursor
            canvas.put(selected ? glyphs.cursor : " ", x: rect.x, y: y, role: selected ? .selection : .normal, clip: rect)
            row(index, y, rect.x + 2, &canvas)
            if selected { canvas.paint(Rect(x: rect.x, y: y, width: rect.width, height: 1), role: .selection) }
        }
    }
}
