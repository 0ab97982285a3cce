import GatehouseCore

/// The dashboard's loop as a value: it is told what happened (a key, the journal's notice,
/// a wake, a read's result) and answers with what to do (draw, read the journal, perform an
/// act, sleep until a time, exit). ``DashboardApp`` performs the actions on a terminal.
///
/// What it decides:
/// - It draws only when something shown changed, so an idle dashboard sends nothing.
/// - With a journal that notifies, it sleeps until a key, a signal or the notice, or the next
///   whole second of the wall clock (a running phase's duration ticks; a missed notice is
///   caught by the read after every wake). Without one, it reads every 100 ms.
/// - A runner appends each event in a commit of its own, and each one notifies. After a
///   notice it reads at most every ``readInterval``, and only once the journal has been quiet
///   for ``quietGap`` (or ``readInterval`` after the first notice of a burst), so that many
///   watchers read a runner's burst of phases once, after it, instead of each reading beside
///   the runner at its first event. Keys still answer meanwhile: a key ends the wait.
/// - Before it acts on a key it reads the journal, so that the key acts on the runs as they are.
/// - It has the runners' locks looked at with a read at most once a second of the wall clock
///   (the once-a-second wake sees a runner gone within a second), and before a key is acted
///   on; a burst's reads, up to ten a second, leave them alone.
public struct DashboardLoop {
    /// Both clocks read at one instant.
    public struct Instant: Sendable, Equatable {
        /// Milliseconds since 1970 (``DashboardClock/wall``).
        public var wall: Int64
        /// Milliseconds of the monotonic clock (``DashboardClock/uptime``).
        public var uptime: Int64

        public init(wall: Int64, uptime: Int64) {
            self.wall = wall
            self.uptime = uptime
        }
    }

    /// What happened.
    public enum Event: Sendable, Equatable {
        /// A key was pressed (``Key/resize`` when the terminal changed size).
        case key(Key)
        /// The journal's change notice fired.
        case journalChanged
        /// A sleep ended with nothing to say.
        case woke
        /// The journal was read into ``context``; `changed` says whether anything in it did,
        /// `notifies` whether it now has a change notice to wake the loop (an SQLite journal,
        /// once it exists).
        case journalRead(changed: Bool, notifies: Bool)
        /// An act asked for by ``Action/perform(_:)`` was performed; what to tell the user.
        case performed(ActReport)
        /// A terminating signal arrived (a terminal that hung up counts as SIGHUP).
        case signal(Int32)
    }

    /// What to do.
    public enum Action: Sendable, Equatable {
        /// Draw ``state`` and ``context``; `whole` sends every cell (after a resize).
        case draw(whole: Bool)
        /// Read what changed in the journal into ``context`` (and what the runners' locks say,
        /// when `lookingAtRunners`), then report ``Event/journalRead(changed:notifies:)``.
        case readJournal(lookingAtRunners: Bool)
        /// Perform the act, then report ``Event/performed(_:)``.
        case perform(DashboardState.Outcome)
        /// Wait for input until the monotonic clock reads `until`, waking on the journal's
        /// notice too when `wakeOnJournal`.
        case sleep(until: Int64, wakeOnJournal: Bool)
        /// Leave with this exit status (0, or 128 + the signal).
        case exit(Int32)
    }

    /// The shortest time between two reads while notices come, and the longest a burst's
    /// first notice waits for its read.
    public static let readInterval: Int64 = 100
    /// How long the journal must go without a notice before it is read.
    public static let quietGap: Int64 = 20
    /// How often a journal without notices is read.
    public static let pollInterval: Int64 = 100

    /// What the user does on the screen.
    public var state: DashboardState
    /// What the journal and the clock say; the shell reads the journal into it.
    public var context: DashboardContext
    /// The programme the keys act on.
    public let programme: Programme
    /// Whether the journal notifies (else it is read every ``pollInterval``), as of the last read.
    private var journalNotifies = false
    /// Draws after every wake, whether or not anything changed (the benchmark's naive renderer).
    private let drawsEveryWake: Bool

    private var needsDraw = true
    private var needsWholeDraw = false
    /// A key that waits for the read before it.
    private var pendingKey: Key?
    /// The state before the key being acted on, to tell whether it changed anything.
    private var stateBeforeAct: DashboardState?
    /// When the journal was last read (monotonic).
    private var lastRead: Int64 = .min / 2
    /// The first notice not yet read, and since when the journal has been quiet.
    private var burst: (first: Int64, quietSince: Int64)?
    /// The wall clock's whole second at the last read.
    private var lastSecond: Int64 = .min
    /// The wall clock's whole second when the runners' locks were last looked at.
    private var lastLookSecond: Int64 = .min

    /// A loop over `programme`, starting from `state` and `context`.
    public init(programme: Programme, state: DashboardState, context: DashboardContext, drawsEveryWake: Bool = false) {
        self.programme = programme
        self.state = state
        self.context = context
        self.drawsEveryWake = drawsEveryWake
    }

    /// The first actions: read the journal, then draw.
    public mutating func start(at now: Instant) -> [Action] {
        lastSecond = now.wall / 1000
        return [read(at: now)]
    }

    /// What to do after `event`, which happened at `now`.
    public mutating func handle(_ event: Event, at now: Instant) -> [Action] {
        switch event {
        case .signal(let number):
            return [.exit(128 + number)]
        case .key(let key):
            // Acted on after the read, on the runs as they are; the read ends a burst's wait.
            pendingKey = key
            return [read(at: now, beforeKey: true)]
        case .journalChanged:
            noteChange(at: now.uptime)
            return afterWake(at: now)
        case .woke:
            return afterWake(at: now)
        case .journalRead(let changed, let notifies):
            journalNotifies = notifies
            return journalRead(changed: changed, at: now)
        case .performed(let report):
            apply(report)
            // Read the act's own event (or its refusal) before drawing.
            return [read(at: now)]
        }
    }

    // MARK: - The journal

    /// A read of the journal, looking at the runners' locks too if they were not looked at
    /// in this second of the wall clock, or before a key.
    private mutating func read(at now: Instant, beforeKey: Bool = false) -> Action {
        let second = now.wall / 1000
        let looks = beforeKey || second != lastLookSecond
        if looks { lastLookSecond = second }
        return .readJournal(lookingAtRunners: looks)
    }

    /// A notice came: the burst starts, or is not quiet yet.
    private mutating func noteChange(at time: Int64) {
        if let burst {
            self.burst = (burst.first, time)
        } else {
            // Within `readInterval` of the last read, the quiet gap counts from the interval's end.
            burst = (time, max(time, lastRead + Self.readInterval))
        }
    }

    /// After a wake: read, unless a burst is still waiting for quiet.
    private mutating func afterWake(at now: Instant) -> [Action] {
        guard let burst else { return [read(at: now)] }
        let deadline = burst.first + Self.readInterval
        let quietEnough = burst.quietSince + Self.quietGap
        if now.uptime >= deadline || now.uptime >= quietEnough { return [read(at: now)] }
        return [.sleep(until: min(deadline, quietEnough), wakeOnJournal: false)]
    }

    private mutating func journalRead(changed: Bool, at now: Instant) -> [Action] {
        lastRead = now.uptime
        burst = nil
        if changed { needsDraw = true }
        context.now = now.wall
        // A running phase's duration ticks once a second on the Runs tab; nothing else moves.
        if now.wall / 1000 != lastSecond {
            lastSecond = now.wall / 1000
            if state.tab == .runs, !state.runListOpen, context.selectedRun(state)?.runningPhase != nil { needsDraw = true }
        }
        if let key = pendingKey {
            pendingKey = nil
            return act(on: key, at: now)
        }
        if let before = stateBeforeAct {
            stateBeforeAct = nil
            if state != before { needsDraw = true }
        }
        return drawAndSleep(at: now)
    }

    // MARK: - Keys and acts

    private mutating func act(on key: Key, at now: Instant) -> [Action] {
        if key == .resize { needsWholeDraw = true }
        let before = state
        switch state.handle(key, programme: programme, context: context) {
        case .quit:
            return [.exit(0)]
        case .continueRunning:
            // A key that changes nothing must not drop a redraw the read asked for.
            if key == .resize || state != before { needsDraw = true }
            return drawAndSleep(at: now)
        case let outcome:
            stateBeforeAct = before
            // A long act (a restore) says it is under way before the screen waits for it.
            if case .working? = state.flow?.step { return [.draw(whole: false), .perform(outcome)] }
            return [.perform(outcome)]
        }
    }

    /// Shows what an act did: on the flow's result page, or as the screen's notice.
    private mutating func apply(_ report: ActReport) {
        switch report {
        case .nothing:
            break
        case .notice(let text):
            state.notice = text
        case .flowResult(let message, let recorded):
            state.flow?.step = .result(message: message, recorded: recorded)
            state.flow?.passphrase = ""
            state.programmeFlow?.step = .result(message: message, recorded: recorded)
            state.programmeFlow?.passphrase = ""
        }
    }

    private mutating func drawAndSleep(at now: Instant) -> [Action] {
        var actions: [Action] = []
        if needsDraw || needsWholeDraw || drawsEveryWake {
            actions.append(.draw(whole: needsWholeDraw))
            needsDraw = false
            needsWholeDraw = false
        }
        if journalNotifies, !drawsEveryWake {
            actions.append(.sleep(until: now.uptime + 1000 - now.wall % 1000, wakeOnJournal: true))
        } else {
            actions.append(.sleep(until: now.uptime + Self.pollInterval, wakeOnJournal: false))
        }
        return actions
    }
}

/// What an act performed from the dashboard has to tell the user.
public enum ActReport: Sendable, Equatable {
    /// Nothing was done (not an act).
    case nothing
    /// A line for the screen's notice (a dry run started, a run aborted).
    case notice(String)
    /// The signing flow's last page: signed and journaled (`recorded`), or not, and why.
    case flowResult(message: String, recorded: Bool)
}
