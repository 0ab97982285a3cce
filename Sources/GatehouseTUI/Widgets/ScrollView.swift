import GatehouseCore

/// Draws a list of styled lines in a rectangle from a scroll offset, with a marker when more
/// lines are above or below.
public enum ScrollView {
    /// The largest useful offset for `count` lines in `height` rows.
    public static func maxOffset(count: Int, height: Int) -> Int { max(0, count - height) }

    /// Draws `lines` from `offset` (clamped) and returns the offset used.
    @discardableResult
    public static func draw(_ lines: [StyledLine], on canvas: inout Canvas, rect: Rect, offset: Int, glyphs: GlyphSet) -> Int {
        let offset = min(max(0, offset), maxOffset(count: lines.count, height: rect.height))
        for (row, line) in lines.dropFirst(offset).prefix(rect.height).enumerated() {
            line.draw(on: &canvas, x: rect.x, y: rect.y + row, clip: rect)
        }
        if offset > 0 {
            canvas.put(glyphs.isUnicode ? "↑" : "^", x: rect.right - 1, y: rect.y, role: .dim)
        }
        if offset + rect.height < lines.count {
            canvas.put(glyphs.isUnicode ? "↓" : "v", x: rect.right - 1, y: rect.bottom - 1, role: .dim)
        }
        return offset
    }
}
