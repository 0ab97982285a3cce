import GatehouseCore

/// A bordered panel with a title, drawn over whatever is beneath it.
public enum Box {
    /// Clears `rect` in `role`, draws its border in `borderRole` with `title` on the top edge,
    /// and returns the inner rectangle.
    @discardableResult
    public static func draw(on canvas: inout Canvas, rect: Rect, title: String, glyphs: GlyphSet,
                            role: Role = .overlay, borderRole: Role = .border) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        canvas.fill(rect, role: role)
        let (h, v, tl, tr, bl, br) = glyphs.isUnicode
            ? ("─", "│", "┌", "┐", "└", "┘") : ("-", "|", "+", "+", "+", "+")
        let inner = String(repeating: h, count: rect.width - 2)
        canvas.put(tl + inner + tr, x: rect.x, y: rect.y, role: borderRole)
        canvas.put(bl + inner + br, x: rect.x, y: rect.bottom - 1, role: borderRole)
        for y in (rect.y + 1)..<(rect.bottom - 1) {
            canvas.put(v, x: rect.x, y: y, role: borderRole)
            canvas.put(v, x: rect.right - 1, y: y, role: borderRole)
        }
        let label = DisplayWidth.truncate(" \(glyphs.fit(title)) ", to: rect.width - 4, ellipsis: glyphs.isUnicode ? "…" : "~")
        canvas.put(label, x: rect.x + 2, y: rect.y, role: .heading)
        return rect.inset(1)
    }
}
