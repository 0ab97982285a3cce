import GatehouseCore
import GatehouseEngine

/// The terminal as the dashboard's loop uses it: a size, frames drawn on it, and a wait for
/// the next key or signal.
///
/// ``NcursesTerminal`` is the real one; ``InMemoryTerminal`` plays a script of inputs on a
/// test clock, so the loop runs in-process in tests.
public protocol DashboardTerminal: AnyObject {
    /// The terminal's size in cells.
    var size: (width: Int, height: Int) { get }
    /// Puts `canvas` on the screen (only the cells that changed since the last frame).
    func draw(_ canvas: Canvas)
    /// Forgets the last frame, so that the next ``draw(_:)`` sends every cell.
    func invalidate()
    /// Waits up to `milliseconds` for a key or a terminating signal, or until `notice` (when
    /// given) fires; tells which came first.
    func waitForInput(milliseconds: Int64, wakingOn notice: (any ChangeNotice)?) -> TerminalInput
    /// Puts the terminal back as it was. Safe to call more than once.
    func restore()
}

/// What ended a wait for input.
public enum TerminalInput: Sendable, Equatable {
    /// A key (``Key/resize`` when the terminal changed size).
    case key(Key)
    /// A terminating signal: SIGINT, SIGTERM, SIGHUP (also for a terminal that hung up).
    case signal(Int32)
    /// Nothing the terminal has to say: the time ran out, or the notice fired.
    case nothing
}
