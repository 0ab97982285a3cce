import GatehouseCore

/// The Matrix tab: one row per option, one column per axis, the "as next macro?" answer,
/// then the gate result and the recommended combination.
enum MatrixScreen {
    /// A table column: heading, width, and how to draw one option's cell.
    struct Column {
        enum Content {
            case name
            case axis(Axis)
            case nextMacro
        }
        var heading: String
        var content: Content
        var width: Int
    }

    /// Chooses columns and widths for `width` cells: star and word axes at full width, the
    /// option name and the answer shrunk if need be, text axes only where they fit.
    static func columns(_ programme: Programme, glyphs: GlyphSet, width: Int) -> [Column] {
        let cursorWidth = 2
        let gap = 1
        let summary = ComparativeSummary(programme)
        let names = summary.rows.map { DisplayWidth.of(glyphs.fit($0.name)) }
        let answers = summary.rows.map { DisplayWidth.of(glyphs.fit($0.nextMacro.text)) }
        var nameWidth = max(DisplayWidth.of(ComparativeSummary.optionHeading), names.max() ?? 0)
        var answerWidth = max(DisplayWidth.of(ComparativeSummary.nextMacroHeading), answers.max() ?? 0)

        var axisColumns: [Column] = []
        for axis in summary.axes {
            let cells = summary.rows.map { $0.cells[axisColumns.count].width(glyphs) }
            axisColumns.append(Column(heading: axis.name, content: .axis(axis),
                                      width: max(DisplayWidth.of(axis.name) + 1, cells.max() ?? 0)))
        }
        let fixed = cursorWidth + axisColumns.reduce(0) { $0 + $1.width + gap } + 2 * gap
        var room = width - fixed
        // Shrink the answer, then the name, then both to their minimums.
        let minName = min(nameWidth, 14)
        let minAnswer = min(answerWidth, 12)
        var overflow = nameWidth + answerWidth - room
        if overflow > 0 {
            let cut = min(overflow, answerWidth - max(minAnswer, 18))
            if cut > 0 { answerWidth -= cut; overflow -= cut }
        }
        if overflow > 0 {
            let cut = min(overflow, nameWidth - minName)
            if cut > 0 { nameWidth -= cut; overflow -= cut }
        }
        if overflow > 0 {
            answerWidth = max(minAnswer, answerWidth - overflow)
        }
        room -= nameWidth + answerWidth

        // Text axes (no summary) take what room is left, at least 12 columns each.
        var textColumns: [Column] = []
        for axis in programme.axes where axis.summary == .none {
            let want = max(DisplayWidth.of(axis.name),
                           programme.options.map { DisplayWidth.of(glyphs.fit($0.assessments[axis.id]?.text ?? "")) }.max() ?? 0)
            let width = min(want, 28, room - gap)
            guard width >= 12 else { break }
            textColumns.append(Column(heading: axis.name, content: .axis(axis), width: width))
            room -= width + gap
        }
        return [Column(heading: ComparativeSummary.optionHeading, content: .name, width: nameWidth)]
            + axisColumns + textColumns
            + [Column(heading: ComparativeSummary.nextMacroHeading, content: .nextMacro, width: answerWidth)]
    }

    static func draw(_ programme: Programme, state: DashboardState, on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) {
        let options = state.matrixOrder.sorted(programme.options, in: programme)
        let columns = columns(programme, glyphs: glyphs, width: rect.width)
        let ellipsis = glyphs.isUnicode ? "…" : "~"

        // Headings.
        var x = rect.x + 2
        for column in columns {
            var heading = column.heading
            if case .axis(let axis) = column.content, axis.id == state.matrixOrder.axisID {
                heading = DisplayWidth.truncate(heading, to: column.width - 1, ellipsis: "") + glyphs.sortMarker
            }
            canvas.put(DisplayWidth.truncate(heading, to: column.width, ellipsis: ellipsis), x: x, y: rect.y, role: .heading, clip: rect)
            x += column.width + 1
        }

        // Rows: keep the cursor's row in view.
        let tableHeight = min(options.count, max(1, rect.height - 1))
        let top = min(max(0, state.matrixCursor - tableHeight + 1), max(0, options.count - tableHeight))
        for (row, option) in options.enumerated().dropFirst(top).prefix(tableHeight) {
            let y = rect.y + 1 + row - top
            let selected = row == state.matrixCursor
            canvas.put(selected ? glyphs.cursor : " ", x: rect.x, y: y, role: selected ? .selection : .normal, clip: rect)
            var x = rect.x + 2
            for column in columns {
                let cell = Rect(x: x, y: y, width: column.width, height: 1)
                switch column.content {
                case .name:
                    canvas.put(DisplayWidth.truncate(glyphs.fit(option.summaryName), to: column.width, ellipsis: ellipsis), x: x, y: y, clip: cell)
                case .axis(let axis):
                    drawAxisCell(option.assessments[axis.id], axis: axis, on: &canvas, cell: cell, glyphs: glyphs, ellipsis: ellipsis)
                case .nextMacro:
                    canvas.put(DisplayWidth.truncate(glyphs.fit(option.nextMacro.text), to: column.width, ellipsis: ellipsis),
                               x: x, y: y, role: role(option.nextMacro.answer), clip: cell)
                }
                x += column.width + 1
            }
            if selected {
                canvas.paint(Rect(x: rect.x, y: y, width: min(rect.width, x - rect.x - 1), height: 1), role: .selection)
            }
        }

        // The gate result and recommended combination, as far as room allows.
        let below = Rect(x: rect.x, y: rect.y + 2 + tableHeight, width: rect.width, height: rect.bottom - (rect.y + 2 + tableHeight))
        for (index, line) in resultLines(programme, width: rect.width, glyphs: glyphs).prefix(below.height).enumerated() {
            line.draw(on: &canvas, x: below.x, y: below.y + index, clip: below)
        }
    }

    /// The gate result and the recommended combination, wrapped to `width`; a long line wraps
    /// under its text, keeping its `label:` in its own role.
    private static func resultLines(_ programme: Programme, width: Int, glyphs: GlyphSet) -> [StyledLine] {
        let combination = RecommendedCombination(programme)
        var lines = [StyledLine("\(programme.analysis.gate) result  ", .heading)
            .adding(combination.resultLine, GatesBoardItems.role(combination.result))]
        for line in combination.lines(glyphs) {
            guard let colon = line.firstIndex(of: ":") else {
                lines += StyledLine.wrapped(line, width: width)
                continue
            }
            let label = String(line[...colon])
            let wrapped = DisplayWidth.wrap(String(line[line.index(after: colon)...]), to: width - DisplayWidth.of(label) - 1)
            lines.append(StyledLine(label, .dim).adding(" " + (wrapped.first ?? "")))
            let indent = String(repeating: " ", count: DisplayWidth.of(label) + 1)
            lines += wrapped.dropFirst().map { StyledLine(indent + $0) }
        }
        return lines
    }

    private static func drawAxisCell(_ assessment: Assessment?, axis: Axis, on canvas: inout Canvas, cell: Rect, glyphs: GlyphSet, ellipsis: String) {
        switch axis.summary {
        case .stars:
            guard let stars = assessment?.stars else {
                canvas.put("?", x: cell.x, y: cell.y, role: .dim, clip: cell)
                return
            }
            let x = canvas.put(String(repeating: glyphs.starFull, count: stars), x: cell.x, y: cell.y, role: .star, clip: cell)
            canvas.put(String(repeating: glyphs.starEmpty, count: 5 - stars), x: x, y: cell.y, role: .starEmpty, clip: cell)
        case .word:
            canvas.put(glyphs.fit(assessment?.word ?? "?"), x: cell.x, y: cell.y, role: levelRole(assessment?.word), clip: cell)
        case .none:
            let text = glyphs.fit(assessment?.text ?? "?")
            canvas.put(DisplayWidth.truncate(text, to: cell.width, ellipsis: ellipsis), x: cell.x, y: cell.y, clip: cell)
        }
    }

    /// Words that name a gate level get its colour; others are plain.
    private static func levelRole(_ word: String?) -> Role {
        switch word.flatMap(GateLevel.init(rawValue:)) {
        case .xhigh: .levelXHigh
        case .high: .levelHigh
        default: .normal
        }
    }

    static func role(_ answer: NextMacro.Answer) -> Role {
        switch answer {
        case .yes: .answerYes
        case .no: .answerNo
        case .fold: .answerFold
        }
    }

    static let keys: [(key: String, label: String)] = [
        ("↑↓", "move"), ("Enter", "detail"), ("s", "sort"), ("Tab", "gates"), ("?", "help"), ("q", "quit"),
    ]
}
