import GatehouseCore

/// The Gates tab: gates with level and status, gaps, macros and what they need, policy rules;
/// Enter on any row explains it (for a gate: exactly why it is blocked).
enum GatesScreen {
    static func draw(_ items: GatesBoardItems, state: DashboardState, on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) {
        // Build the rows: a heading before each section, then its items.
        enum Row { case heading(String), item(Int) }
        var rows: [Row] = []
        for section in GatesBoardItems.Section.allCases {
            let indices = items.items.indices.filter { items.items[$0].section == section }
            guard !indices.isEmpty else { continue }
            rows.append(.heading(section.rawValue))
            rows += indices.map(Row.item)
        }
        let idWidth = (items.items.map { DisplayWidth.of($0.id) }.max() ?? 4) + 1
        let cursorRow = rows.firstIndex { if case .item(state.gatesCursor) = $0 { return true } else { return false } } ?? 0
        // Keep the section heading of the cursor's section visible when scrolling up to it.
        let top = min(max(0, cursorRow - rect.height + 1), max(0, rows.count - rect.height))
        let adjustedTop = cursorRow - 1 < top && cursorRow > 0 ? cursorRow - 1 : top
        for (offset, row) in rows.dropFirst(adjustedTop).prefix(rect.height).enumerated() {
            let y = rect.y + offset
            switch row {
            case .heading(let title):
                canvas.put(title, x: rect.x, y: y, role: .heading, clip: rect)
            case .item(let index):
                let item = items.items[index]
                let selected = index == state.gatesCursor
                canvas.put(selected ? glyphs.cursor : " ", x: rect.x, y: y, role: selected ? .selection : .normal, clip: rect)
                var x = canvas.put(DisplayWidth.pad(item.id, to: idWidth), x: rect.x + 2, y: y, clip: rect)
                for (cellIndex, cell) in item.cells.enumerated() {
                    let last = cellIndex == item.cells.count - 1
                    let text = last ? cell.text : DisplayWidth.pad(cell.text, to: columnWidths[item.section]?[cellIndex] ?? 8)
                    x = canvas.put(last ? DisplayWidth.truncate(text, to: max(0, rect.right - x), ellipsis: glyphs.isUnicode ? "…" : "~") : text,
                                   x: x, y: y, role: cell.role, clip: rect) + 1
                }
                if selected {
                    canvas.paint(Rect(x: rect.x, y: y, width: rect.width, height: 1), role: .selection)
                }
            }
        }
    }

    /// The widths of each section's cells before the last (which takes the rest of the row).
    private static let columnWidths: [GatesBoardItems.Section: [Int]] = [
        .gates: [8, 8], .gaps: [8], .macros: [6, 6, 23], .policies: [],
    ]

    /// The explanation panel over the board.
    static func drawDetail(_ item: GatesBoardItems.Item, state: DashboardState, on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) {
        let width = min(rect.width, 76)
        let height = min(rect.height, item.detail.count + 3)
        let box = rect.centered(width: width, height: height)
        let inner = Box.draw(on: &canvas, rect: box, title: item.detailTitle, glyphs: glyphs)
        let body = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height - 1)
        var lines: [StyledLine] = []
        for line in item.detail {
            if line.width <= body.width {
                lines.append(line)
            } else {
                // Wrap long lines, keeping the first run's role for continuations.
                let text = line.runs.map(\.text).joined()
                lines += StyledLine.wrapped(text, width: body.width, role: line.runs.last?.role ?? .normal)
            }
        }
        ScrollView.draw(lines, on: &canvas, rect: body, offset: state.detailScroll, glyphs: glyphs)
        canvas.put("Esc closes", x: inner.right - 11, y: inner.bottom - 1, role: .dim, clip: inner)
    }

    static let keys: [(key: String, label: String)] = [
        ("↑↓", "move"), ("Enter", "why"), ("Tab", "matrix"), ("?", "help"), ("q", "quit"),
    ]
    static let detailKeys: [(key: String, label: String)] = [
        ("↑↓", "scroll"), ("Esc", "close"), ("?", "help"), ("q", "quit"),
    ]
}
