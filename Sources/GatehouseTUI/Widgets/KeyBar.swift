import GatehouseCore

/// The bottom line listing the keys that work here: `key label` pairs.
public enum KeyBar {
    /// Draws `hints` (key, what it does) on row `y`, as many as fit.
    public static func draw(_ hints: [(key: String, label: String)], on canvas: inout Canvas, y: Int, glyphs: GlyphSet) {
        let row = Rect(x: 0, y: y, width: canvas.width, height: 1)
        canvas.fill(row, role: .keyBar)
        var x = 1
        for hint in hints {
            let key = glyphs.fit(hint.key)
            let needed = DisplayWidth.of(key) + 1 + DisplayWidth.of(hint.label) + 2
            if x + needed > canvas.width { break }
            x = canvas.put(key, x: x, y: y, role: .key)
            x = canvas.put(" " + hint.label, x: x, y: y, role: .keyBar) + 2
        }
    }
}
