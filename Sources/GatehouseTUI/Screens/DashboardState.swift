import GatehouseCore

/// Everything the dashboard shows besides the programme: the tab, cursors, open panels.
///
/// A pure value: `handle(_:)` takes a key and changes the state, and `DashboardView` draws
/// the state; neither touches the terminal, so every behaviour is testable on a canvas.
public struct DashboardState: Sendable, Equatable {
    /// The tabs, in the order of the tab bar.
    public enum Tab: String, Sendable, CaseIterable {
        case matrix = "Matrix"
        case gates = "Gates"
    }

    /// What `handle(_:)` asks its caller to do.
    public enum Outcome: Sendable, Equatable {
        /// Redraw (or nothing changed).
        case continueRunning
        /// Leave the dashboard.
        case quit
    }

    public var tab: Tab = .matrix
    /// The matrix row under the cursor (an index into the sorted rows).
    public var matrixCursor = 0
    /// The order of the matrix rows.
    public var matrixOrder: MatrixOrder = .document
    /// The option whose detail page is open, if any.
    public var detailOptionID: String?
    /// How far the detail page (or the gate's "why" panel) is scrolled.
    public var detailScroll = 0
    /// The gates-board item under the cursor.
    public var gatesCursor = 0
    /// Whether the panel explaining the selected gates-board item is open.
    public var gatesDetailOpen = false
    /// Whether the help overlay is open.
    public var helpOpen = false

    public init() {}

    /// Applies one key; `programme` gives the sizes of lists and the sort cycle.
    public mutating func handle(_ key: Key, programme: Programme) -> Outcome {
        if helpOpen {
            if key == .character("q") { return .quit }
            if key != .resize { helpOpen = false }
            return .continueRunning
        }
        switch key {
        case .character("q"): return .quit
        case .character("?"): helpOpen = true
        case .tab, .character("\t"): switchTab(by: 1)
        case .backTab: switchTab(by: -1)
        case .character("1"): select(.matrix)
        case .character("2"): select(.gates)
        default:
            switch tab {
            case .matrix: handleMatrix(key, programme: programme)
            case .gates: handleGates(key, programme: programme)
            }
        }
        return .continueRunning
    }

    private mutating func select(_ tab: Tab) {
        guard self.tab != tab else { return }
        self.tab = tab
        detailOptionID = nil
        gatesDetailOpen = false
        detailScroll = 0
    }

    private mutating func switchTab(by step: Int) {
        let all = Tab.allCases
        let index = all.firstIndex(of: tab)!
        select(all[(index + step + all.count) % all.count])
    }

    private mutating func handleMatrix(_ key: Key, programme: Programme) {
        let options = matrixOrder.sorted(programme.options, in: programme)
        if let open = detailOptionID {
            switch key {
            case .escape, .backspace, .character("h"), .left: detailOptionID = nil
            case .down, .character("j"): detailScroll += 1
            case .up, .character("k"): detailScroll = max(0, detailScroll - 1)
            case .pageDown, .character(" "): detailScroll += 10
            case .pageUp: detailScroll = max(0, detailScroll - 10)
            case .home, .character("g"): detailScroll = 0
            case .character("n"), .character("]"):
                moveDetail(from: open, by: 1, options: options)
            case .character("p"), .character("["):
                moveDetail(from: open, by: -1, options: options)
            default: break
            }
            return
        }
        let last = max(0, options.count - 1)
        switch key {
        case .down, .character("j"): matrixCursor = min(last, matrixCursor + 1)
        case .up, .character("k"): matrixCursor = max(0, matrixCursor - 1)
        case .home, .character("g"): matrixCursor = 0
        case .end, .character("G"): matrixCursor = last
        case .pageDown: matrixCursor = min(last, matrixCursor + 10)
        case .pageUp: matrixCursor = max(0, matrixCursor - 10)
        case .enter, .right, .character("l"):
            if options.indices.contains(matrixCursor) {
                detailOptionID = options[matrixCursor].id
                detailScroll = 0
            }
        case .character("s"):
            // Keep the cursor on the same option while the rows move.
            let selected = options.indices.contains(matrixCursor) ? options[matrixCursor].id : nil
            matrixOrder = matrixOrder.next(in: programme)
            let sorted = matrixOrder.sorted(programme.options, in: programme)
            matrixCursor = sorted.firstIndex { $0.id == selected } ?? 0
        default: break
        }
    }

    private mutating func moveDetail(from id: String, by step: Int, options: [ProgrammeOption]) {
        guard let index = options.firstIndex(where: { $0.id == id }) else { return }
        let next = min(max(0, index + step), options.count - 1)
        detailOptionID = options[next].id
        matrixCursor = next
        detailScroll = 0
    }

    private mutating func handleGates(_ key: Key, programme: Programme) {
        if gatesDetailOpen {
            switch key {
            case .escape, .backspace, .enter, .character("h"), .left, .character("w"): gatesDetailOpen = false
            case .down, .character("j"): detailScroll += 1
            case .up, .character("k"): detailScroll = max(0, detailScroll - 1)
            default: break
            }
            return
        }
        let last = max(0, GatesBoardItems(programme).items.count - 1)
        switch key {
        case .down, .character("j"): gatesCursor = min(last, gatesCursor + 1)
        case .up, .character("k"): gatesCursor = max(0, gatesCursor - 1)
        case .home, .character("g"): gatesCursor = 0
        case .end, .character("G"): gatesCursor = last
        case .pageDown: gatesCursor = min(last, gatesCursor + 10)
        case .pageUp: gatesCursor = max(0, gatesCursor - 10)
        case .enter, .right, .character("l"), .character("w"):
            gatesDetailOpen = true
            detailScroll = 0
        default: break
        }
    }
}
