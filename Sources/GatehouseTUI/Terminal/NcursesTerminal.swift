import CNcurses
import CTerminalSignals
import Foundation
import GatehouseCore
import GatehouseEngine

/// The one place that talks to ncurses: starts and restores the terminal, reads keys, and
/// puts canvases on the screen sending only the cells that changed since the last frame.
public final class NcursesTerminal: DashboardTerminal {
    private var previous: Canvas?
    private var pairs: [PairKey: Int16] = [:]
    private let theme: Theme
    private let useColor: Bool
    private var colorCount = 0
    private var started = false
    /// The last `readKey` found no key well before its timeout: a signal, or a terminal gone.
    private var lastReadEndedEarly = false
    /// A wait found standard input hung up (its terminal closed).
    private var hungUp = false
    /// Sends every cell of every frame instead of only the changed ones: a switch for the
    /// benchmark's comparison (`GATEHOUSE_REPAINT_ALL=1`), never for use.
    public var repaintsEveryFrame = false

    private struct PairKey: Hashable {
        var foreground: Int
        var background: Int
    }

    /// How the last cell's role was drawn: cells of one role mostly come in runs, and a role
    /// is hashed by its name (a theme's styles and the colour pairs are dictionaries).
    private var lastRole: (role: Role, attributes: attr_t, pair: Int16)?

    /// Whether the locale (after `setlocale(LC_ALL, "")`) encodes text as UTF-8.
    public static func localeIsUTF8() -> Bool {
        setlocale(LC_ALL, "")
        return gh_locale_is_utf8() != 0
    }

    /// Opens the terminal full-screen. `useColor` false draws attributes only.
    public init(theme: Theme, useColor: Bool) throws {
        self.theme = theme
        self.useColor = useColor
        setlocale(LC_ALL, "")
        guard let term = ProcessInfo.processInfo.environment["TERM"], !term.isEmpty, term != "dumb" else {
            let named = ProcessInfo.processInfo.environment["TERM"].map { "TERM='\($0)' cannot draw a full screen" } ?? "TERM is not set"
            throw TerminalError.unsupported("\(named); set TERM to your terminal's type, such as xterm-256color")
        }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError.unsupported("standard input and output must be a terminal for the dashboard")
        }
        // newterm, unlike initscr, returns an error instead of exiting for an unknown TERM.
        guard let screen = gh_newterm() else {
            throw TerminalError.unsupported("TERM='\(term)' is unknown to ncurses (no terminfo entry); set TERM to one it knows, such as xterm-256color")
        }
        set_term(screen)
        started = true
        gh_install_signal_handlers()
        cbreak()
        noecho()
        nonl()
        keypad(gh_stdscr(), true)
        _ = gh_set_escdelay(25)
        curs_set(0)
        if useColor, has_colors() {
            start_color()
            use_default_colors()
            colorCount = Int(gh_colors())
        }
    }

    deinit { restore() }

    /// Puts the terminal back as it was. Safe to call more than once.
    public func restore() {
        guard started else { return }
        started = false
        curs_set(1)
        endwin()
    }

    /// The terminal's size in cells.
    public var size: (width: Int, height: Int) {
        (Int(gh_getmaxx(gh_stdscr())), Int(gh_getmaxy(gh_stdscr())))
    }

    /// Forgets the last frame so the next `draw` sends every cell (after a resize).
    public func invalidate() {
        previous = nil
        clearok(gh_stdscr(), true)
    }

    /// Draws `canvas`, sending only cells that differ from the previous frame.
    public func draw(_ canvas: Canvas) {
        if repaintsEveryFrame { invalidate() }
        let old = previous.flatMap { $0.width == canvas.width && $0.height == canvas.height ? $0 : nil }
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let cell = canvas[x, y]
                if cell.isContinuation { continue }
                if let old, old[x, y] == cell { continue }
                put(cell, x: x, y: y)
            }
        }
        wnoutrefresh(gh_stdscr())
        doupdate()
        previous = canvas
    }

    private func put(_ cell: Cell, x: Int, y: Int) {
        let (attributes, pair) = look(of: cell.role)
        // The grapheme's scalars (at most four), NUL-terminated, on the stack.
        var text: (wchar_t, wchar_t, wchar_t, wchar_t, wchar_t) = (0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &text) { bytes in
            let characters = bytes.bindMemory(to: wchar_t.self)
            for (index, scalar) in cell.character.unicodeScalars.prefix(4).enumerated() {
                characters[index] = wchar_t(bitPattern: scalar.value)
            }
            _ = gh_put_cell(Int32(y), Int32(x), characters.baseAddress, attributes, pair)
        }
    }

    /// The attributes and colour pair `role` is drawn with.
    private func look(of role: Role) -> (attr_t, Int16) {
        if let lastRole, lastRole.role == role { return (lastRole.attributes, lastRole.pair) }
        let style = theme.style(role)
        var attributes = gh_a_normal()
        if style.bold { attributes |= gh_a_bold() }
        if style.dim { attributes |= gh_a_dim() }
        if style.underline { attributes |= gh_a_underline() }
        if style.reverse { attributes |= gh_a_reverse() }
        let pair = colorPair(style)
        lastRole = (role, attributes, pair)
        return (attributes, pair)
    }

    private func colorPair(_ style: Theme.Style) -> Int16 {
        guard colorCount > 0 else { return 0 }
        let key = PairKey(foreground: style.foreground.paletteIndex(colors: colorCount),
                          background: style.background.paletteIndex(colors: colorCount))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let pair = pairs[key] { return pair }
        let next = Int16(pairs.count + 1)
        guard Int32(next) < gh_color_pairs() else { return 0 }
        init_pair(next, Int16(key.foreground), Int16(key.background))
        pairs[key] = next
        return next
    }

    /// Waits up to `milliseconds` for a key or a terminating signal, or until `notice` fires.
    ///
    /// A terminal that has hung up counts as SIGHUP (see ``takeCaughtSignal()``); a signal
    /// that came with a key wins, so the dashboard leaves before it acts on the key.
    public func waitForInput(milliseconds: Int64, wakingOn notice: (any ChangeNotice)?) -> TerminalInput {
        let key = readKey(timeout: Int32(clamping: max(0, milliseconds)), wakingOn: notice?.fileDescriptor ?? -1)
        let signal = takeCaughtSignal()
        if signal != 0 { return .signal(signal) }
        return key.map(TerminalInput.key) ?? .nothing
    }

    /// Waits up to `timeout` milliseconds for a key, or until `descriptor` is readable; nil
    /// if no key came (the descriptor, a signal or the timeout woke it).
    ///
    /// One `poll` on standard input, the descriptor and the signal handlers' wake pipe, so a
    /// dashboard sleeps until something happens instead of waking on a short timeout. A key
    /// ncurses already holds (several arrive in one read) is taken first, since `poll` cannot
    /// see it; after any wake, ncurses is asked without waiting, which also turns a resize
    /// into `.resize`.
    func readKey(timeout milliseconds: Int32, wakingOn descriptor: Int32) -> Key? {
        if let key = readKey(timeout: 0) { return key }
        let found = gh_wait_for_input(descriptor, milliseconds)
        if found & GH_INPUT_HUNG_UP != 0 {
            hungUp = true
            return nil
        }
        return readKey(timeout: 0)
    }

    /// Waits up to `timeout` milliseconds for a key; nil if none came (or a signal arrived).
    func readKey(timeout milliseconds: Int32) -> Key? {
        wtimeout(gh_stdscr(), milliseconds)
        var character: wint_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let result = wget_wch(gh_stdscr(), &character)
        if result == gh_err() {
            lastReadEndedEarly = DispatchTime.now().uptimeNanoseconds - start < UInt64(max(milliseconds, 0)) * 500_000
            return nil
        }
        if result == gh_key_code_yes() {
            switch Int32(character) {
            case gh_key_resize(): return .resize
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_ENTER: return .enter
            case KEY_BTAB: return .backTab
            case KEY_BACKSPACE: return .backspace
            default: return nil
            }
        }
        switch character {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
            return .character(Character(scalar))
        }
    }

    /// The terminating signal caught since the last call (SIGINT, SIGTERM, SIGHUP), or 0.
    ///
    /// A terminal that has hung up counts as SIGHUP even when no signal came (a process that
    /// is not the terminal's controlling process is not sent one): reading keys from it
    /// returns at once, so a loop that went on would spin a core until killed. It is asked
    /// only after a read that ended early, so an idle dashboard makes no extra system call.
    func takeCaughtSignal() -> Int32 {
        let caught = gh_take_caught_signal()
        if caught != 0 { return caught }
        if hungUp { return SIGHUP }
        guard lastReadEndedEarly else { return 0 }
        return gh_stdin_hung_up() != 0 ? SIGHUP : 0
    }
}

/// Why the dashboard cannot run on this terminal.
public enum TerminalError: Error, CustomStringConvertible {
    case unsupported(String)

    public var description: String {
        switch self {
        case .unsupported(let reason): reason
        }
    }
}
