import GatehouseCore

/// The header line (programme, gate, result) and the tab bar under it.
enum HeaderView {
    static func draw(_ programme: Programme, state: DashboardState, on canvas: inout Canvas, layout: Layout, glyphs: GlyphSet) {
        let header = layout.header
        canvas.fill(header, role: .header)
        var x = canvas.put(" GATEHOUSE ", x: 0, y: header.y, role: .header)
        x = canvas.put("\(programme.info.title) ", x: x + 1, y: header.y, role: .header)
        let result = "\(programme.analysis.gate) \(programme.analysis.result.rawValue.uppercased())"
        let right = [programme.info.part, programme.info.date].compactMap { $0 }.joined(separator: " · ")
        let resultX = x + 1
        x = canvas.put(" \(result) ", x: resultX, y: header.y, role: .headerAccent)
        let rightWidth = DisplayWidth.of(right)
        if !right.isEmpty, x + 2 + rightWidth + 1 <= header.width {
            canvas.put(right, x: header.width - rightWidth - 1, y: header.y, role: .header)
        }

        let tabs = layout.tabs
        var tx = 1
        for (index, tab) in DashboardState.Tab.allCases.enumerated() {
            let label = " \(index + 1) \(tab.rawValue) "
            tx = canvas.put(label, x: tx, y: tabs.y, role: tab == state.tab ? .tabActive : .tabInactive) + 1
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
