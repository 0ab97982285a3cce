import GatehouseCore

/// The bottom line listing the keys that work here: `key label` pairs; disabled keys dim,
/// with why.
public enum KeyBar {
    /// Draws `hints` (key, what it does) on row `y`, as many as fit.
    public static func draw(_ hints: [(key: String, label: String)], on canvas: inout Canvas, y: Int, glyphs: GlyphSet) {
        draw(hints.map { KeyHint($0.key, $0.label) }, on: &canvas, y: y, glyphs: glyphs)
    }

    /// Draws `hints` on row `y`, as many as fit.
    public static func draw(_ hints: [KeyHint], on canvas: inout Canvas, y: Int, glyphs: GlyphSet) {
        let row = Rect(x: 0, y: y, width: canvas.width, height: 1)
        canvas.fill(row, role: .keyBar)
        var x = 1
        for hint in hints {
            let key = glyphs.fit(hint.key)
            let label = hint.disabledBecause.map { "\(hint.label) (\($0))" } ?? hint.label
            let needed = DisplayWidth.of(key) + 1 + DisplayWidth.of(label) + 2
            if x + needed > canvas.width { break }
            x = canvas.put(key, x: x, y: y, role: hint.disabledBecause == nil ? .key : .dim)
            x = canvas.put(" " + label, x: x, y: y, role: hint.disabledBecause == nil ? .keyBar : .dim) + 2
        }
    }
}
