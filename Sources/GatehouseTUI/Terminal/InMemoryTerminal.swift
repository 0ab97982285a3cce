import Foundation
import GatehouseCore
import GatehouseEngine

/// A terminal in memory that plays a script of inputs on a ``ManualClock``: the dashboard's
/// loop runs in-process, and a test reads the frames it drew.
///
/// A wait moves the clock to the next input due before its deadline, or to the deadline.
/// Journal notices in the script make ``notice`` pending when their time comes; they end a
/// wait only when the wait was asked to wake on that notice. When the script has run out, a
/// wait reports SIGHUP (a terminal gone) and ``ranOutOfScript`` says so, so that a loop under
/// test always ends.
public final class InMemoryTerminal: DashboardTerminal {
    /// One scripted input.
    public enum Input: Sendable, Equatable {
        /// A key press.
        case key(Key)
        /// The terminal changes to this size (a `.resize` key follows, as ncurses gives).
        case resize(width: Int, height: Int)
        /// A terminating signal.
        case signal(Int32)
        /// The terminal hangs up: every wait from now on reports SIGHUP.
        case hangUp
        /// The journal's change notice fires.
        case journalNotice
    }

    /// The change notice the script fires; hand it to the loop's feed.
    public final class Notice: ChangeNotice {
        fileprivate var pending = false

        public var fileDescriptor: Int32 { -1 }

        @discardableResult
        public func drain() -> Bool {
            defer { pending = false }
            return pending
        }
    }

    /// The clock the script's times are read on.
    public let clock: ManualClock
    /// The journal notice the script fires.
    public let notice = Notice()
    /// Every frame drawn, in order.
    public private(set) var frames: [Canvas] = []
    /// How many times the last frame was forgotten (a whole redraw followed).
    public private(set) var invalidations = 0
    /// Whether ``restore()`` was called.
    public private(set) var restored = false
    /// Whether a wait found no input left in the script.
    public private(set) var ranOutOfScript = false
    public private(set) var size: (width: Int, height: Int)

    private var script: [(time: Int64, input: Input)] = []
    private var hungUp = false

    /// A terminal of `width` by `height` cells on `clock`.
    public init(width: Int = 80, height: Int = 24, clock: ManualClock = ManualClock()) {
        size = (width, height)
        self.clock = clock
    }

    /// Adds `input` to the script at `time` (milliseconds of the clock's uptime); an input
    /// at a time already past comes at the next wait.
    public func schedule(_ input: Input, at time: Int64) {
        let index = script.firstIndex { $0.time > time } ?? script.endIndex
        script.insert((time, input), at: index)
    }

    /// The last frame's text, a line per row (wide characters' continuation cells left out).
    public var screenText: String {
        frames.last?.lines.joined(separator: "\n") ?? ""
    }

    public func draw(_ canvas: Canvas) {
        frames.append(canvas)
    }

    public func invalidate() {
        invalidations += 1
    }

    public func restore() {
        restored = true
    }

    public func waitForInput(milliseconds: Int64, wakingOn notice: (any ChangeNotice)?) -> TerminalInput {
        let deadline = clock.uptime + max(0, milliseconds)
        while true {
            if hungUp { return .signal(SIGHUP) }
            guard let next = script.first else {
                ranOutOfScript = true
                return .signal(SIGHUP)
            }
            guard next.time <= deadline else {
                clock.advance(to: deadline)
                return .nothing
            }
            script.removeFirst()
            clock.advance(to: next.time)
            switch next.input {
            case .key(let key):
                return .key(key)
            case .resize(let width, let height):
                size = (width, height)
                return .key(.resize)
            case .signal(let number):
                return .signal(number)
            case .hangUp:
                hungUp = true
            case .journalNotice:
                self.notice.pending = true
                if notice === self.notice { return .nothing }
            }
        }
    }
}
