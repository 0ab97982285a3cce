import GatehouseCore

/// The header line (programme, gate, result) and the tab bar under it.
enum HeaderView {
    static func draw(_ programme: Programme, state: DashboardState, context: DashboardContext,
                     on canvas: inout Canvas, layout: Layout, glyphs: GlyphSet) {
        let header = layout.header
        canvas.fill(header, role: .header)
        // The run's mode and the kill-switch, on every tab, at the right: LIVE and switch-on in
        // danger colours. The title gives way to them when the line is short.
        let badges = runBadges(context, state: state)
        let badgesX = header.width - badges.width
        badges.draw(on: &canvas, x: badgesX, y: header.y, clip: header)
        let result = " \(programme.analysis.gate) \(programme.analysis.result.rawValue.uppercased()) "
        var x = canvas.put(" GATEHOUSE ", x: 0, y: header.y, role: .header)
        let titleRoom = badgesX - x - 1 - DisplayWidth.of(result) - 2
        if titleRoom >= 8 {
            x = canvas.put(DisplayWidth.truncate(programme.info.title, to: titleRoom, ellipsis: glyphs.isUnicode ? "…" : "~") + " ",
                           x: x + 1, y: header.y, role: .header)
        }
        if x + DisplayWidth.of(result) < badgesX {
            x = canvas.put(result, x: x + 1, y: header.y, role: .headerAccent)
        }
        let right = [programme.info.part, programme.info.date].compactMap { $0 }.joined(separator: " · ")
        let rightWidth = DisplayWidth.of(right)
        if !right.isEmpty, x + 2 + rightWidth + 1 <= badgesX {
            canvas.put(right, x: badgesX - rightWidth - 1, y: header.y, role: .header)
        }

        let tabs = layout.tabs
        var tx = 1
        for (index, tab) in DashboardState.Tab.allCases.enumerated() {
            let label = " \(index + 1) \(tab.rawValue) "
            tx = canvas.put(label, x: tx, y: tabs.y, role: tab == state.tab ? .tabActive : .tabInactive) + 1
        }
        if context.readOnly {
            canvas.put(" read-only ", x: tx + 1, y: tabs.y, role: .dim)
        }
        if state.tab == .matrix {
            let sort: String
            if let axisID = state.matrixOrder.axisID, let axis = programme.axis(axisID) {
                sort = "sorted by \(axis.name) \(glyphs.sortMarker)"
            } else {
                sort = "document order"
            }
            let width = DisplayWidth.of(sort)
            if tx + width + 2 <= tabs.width {
                canvas.put(sort, x: tabs.width - width - 1, y: tabs.y, role: .dim)
            }
        }
    }
}

extension HeaderView {
    /// `JOURNAL BROKEN #N` when the chain is broken, `RUNNER GONE` when the run in view has
    /// no runner, `DRYRUN` or `LIVE` for it (or "no run"), then the kill-switch state.
    static func runBadges(_ context: DashboardContext, state: DashboardState) -> StyledLine {
        var line = StyledLine()
        if let broken = context.brokenJournal {
            line = line.adding(" JOURNAL BROKEN #\(broken.sequence) ", .danger)
        }
        if let run = context.selectedRun(state) {
            if context.runner(run)?.isGone == true { line = line.adding(" RUNNER GONE ", .danger) }
            line = line.adding(" \(run.mode.label) ", run.mode == .live ? .danger : .mode)
        } else {
            line = line.adding(" no run ", .mode)
        }
        if let holder = context.ledger.killSwitchHolder {
            line = line.adding(" SWITCH ON \(holder.prefix(8)) ", .danger)
        } else {
            line = line.adding(" SWITCH OFF ", .mode)
        }
        return line
    }
}
