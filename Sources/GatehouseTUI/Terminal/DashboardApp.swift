import GatehouseCore

/// The dashboard's loop: draw the state, wait for a key or a signal, update the state.
///
/// It redraws only when something changed, and blocks on input between frames, so an idle
/// dashboard sends nothing to the terminal.
public struct DashboardApp {
    public var programme: Programme
    public var theme: Theme
    public var useColor: Bool

    public init(programme: Programme, theme: Theme, useColor: Bool) {
        self.programme = programme
        self.theme = theme
        self.useColor = useColor
    }

    /// Runs until `q` or a terminating signal; returns the exit status (0, or 128 + signal).
    public func run() throws -> Int32 {
        let glyphs: GlyphSet = NcursesTerminal.localeIsUTF8() ? .unicode : .ascii
        let terminal = try NcursesTerminal(theme: theme, useColor: useColor)
        defer { terminal.restore() }
        var state = DashboardState()
        var dirty = true
        while true {
            if dirty {
                let (width, height) = terminal.size
                state.detailScroll = min(state.detailScroll,
                    DashboardView.scrollLimit(programme, state: state, width: width, height: height, glyphs: glyphs))
                terminal.draw(DashboardView.render(programme, state: state, width: width, height: height, glyphs: glyphs))
                dirty = false
            }
            let key = terminal.readKey(timeout: 500)
            let signal = terminal.takeCaughtSignal()
            if signal != 0 { return 128 + signal }
            guard let key else { continue }
            if key == .resize { terminal.invalidate() }
            let before = state
            if state.handle(key, programme: programme) == .quit { return 0 }
            dirty = key == .resize || state != before
        }
    }
}
