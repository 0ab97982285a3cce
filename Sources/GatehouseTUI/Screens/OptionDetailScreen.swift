import GatehouseCore

/// An option's detail page: what it does, each axis' assessment, the verdict, the macro.
enum OptionDetailScreen {
    /// The page's lines for a content area `width` columns wide.
    static func lines(_ option: ProgrammeOption, programme: Programme, width: Int, glyphs: GlyphSet) -> [StyledLine] {
        var lines: [StyledLine] = []
        lines += StyledLine.wrapped("\(option.id) — \(option.title)", width: width, role: .heading)
        var facts = StyledLine("Gate level ", .dim)
            .adding(option.gateLevel?.rawValue ?? "unknown", option.gateLevel.map(GatesBoardItems.role) ?? .dim)
        if let macro = programme.macro(containing: option.id) {
            facts = facts.adding("   Macro ", .dim).adding("\(macro.id) (\(macro.order.rawValue))")
        }
        lines.append(facts)
        lines.append(StyledLine(""))
        lines.append(StyledLine("What", .heading))
        lines += StyledLine.wrapped(option.what, width: width, indent: "  ")
        lines.append(StyledLine(""))
        lines.append(StyledLine("Assessments", .heading))
        let nameWidth = (programme.axes.map { DisplayWidth.of($0.name) }.max() ?? 0) + 2
        let words = option.assessments.values.compactMap(\.word).map(DisplayWidth.of)
        let summaryWidth = max(7, (words.max() ?? 0) + 2)
        for axis in programme.axes {
            let assessment = option.assessments[axis.id]
            var head = StyledLine("  " + DisplayWidth.pad(axis.name, to: nameWidth), .normal)
            if let stars = assessment?.stars {
                head = head.adding(String(repeating: glyphs.starFull, count: stars), .star)
                    .adding(String(repeating: glyphs.starEmpty, count: 5 - stars), .starEmpty)
                    .adding(String(repeating: " ", count: summaryWidth - 5))
            } else {
                head = head.adding(DisplayWidth.pad(assessment?.word ?? "", to: summaryWidth))
            }
            let headWidth = 2 + nameWidth + summaryWidth
            let text = DisplayWidth.wrap(assessment?.text ?? "(not assessed)", to: max(10, width - headWidth))
            lines.append(head.adding(text.first ?? ""))
            for continuation in text.dropFirst() {
                lines.append(StyledLine(String(repeating: " ", count: headWidth) + continuation))
            }
        }
        lines.append(StyledLine(""))
        lines.append(StyledLine("Verdict", .heading))
        lines += StyledLine.wrapped(option.verdict, width: width, indent: "  ")
        lines.append(StyledLine(""))
        lines.append(StyledLine("As next macro?  ", .heading).adding(option.nextMacro.text, MatrixScreen.role(option.nextMacro.answer)))
        return lines
    }

    @discardableResult
    static func draw(_ option: ProgrammeOption, programme: Programme, state: DashboardState, on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) -> Int {
        let lines = lines(option, programme: programme, width: rect.width - 1, glyphs: glyphs)
        return ScrollView.draw(lines, on: &canvas, rect: rect, offset: state.detailScroll, glyphs: glyphs)
    }

    static let keys: [(key: String, label: String)] = [
        ("↑↓", "scroll"), ("n/p", "next/prev option"), ("Esc", "back"), ("?", "help"), ("q", "quit"),
    ]
}
