import Foundation
import GatehouseCore
import GatehouseEngine

/// The dashboard: its settings, and the thin shell that performs ``DashboardLoop``'s actions
/// on a terminal, a journal and the engine's acts.
///
/// What the loop decides (when to draw, read, sleep) is ``DashboardLoop``'s; this only does it.
/// ``run()`` opens the real terminal (ncurses) and journal; ``run(on:feed:clock:glyphs:drawsEveryWake:)``
/// runs the same loop on any terminal and feed, such as ``InMemoryTerminal`` in tests.
public struct DashboardApp {
    public var programme: Programme
    public var theme: Theme
    public var useColor: Bool
    /// Where the journal is; it may not exist yet (the dashboard waits for it).
    public var journalPath: String
    /// The target a dry run started with `d` uses.
    public var targetPath: String
    /// Whether keys that change anything are disabled (`gatehouse watch`, `--readonly`).
    public var readOnly: Bool
    /// The tab to open on.
    public var initialTab: DashboardState.Tab
    /// Who aborts a run and signs decisions and kill-switch enables from the dashboard.
    public var actor: String
    /// The signer's ed25519 private key file, for a sovereign who signs with ed25519.
    public var keyFile: String?
    /// The programme file runs started with `d` use (nil: the embedded programme).
    public var programmePath: String?
    /// Opens the journal to follow it (`readOnly` for a watcher), or nil while there is none
    /// yet; by default the SQLite file at `journalPath`.
    public var openJournal: JournalFollower.Opener
    /// Where the output of dry runs started with `d` goes; by default beside the journal file.
    public var runnerOutputDirectory: String
    /// Where the runners' locks are looked at; by default the lock files beside the SQLite journal.
    public var liveness: any RunnerLiveness
    /// Creates the journal for the first act signed on a programme with none yet; by default
    /// the SQLite file at `journalPath`.
    public var createJournal: () throws -> any Journal
    /// Run records from other hosts, checked, that the Runs tab can compare a run with (`c`).
    public var references: [ParitySide] = []
    /// Puts a run's backup back over its target (``DashboardActs/restoreTarget``); nil: the
    /// dashboard's restore says to use `gatehouse restore`.
    public var restoreTarget: ((_ run: RunState, _ file: String, _ sha256: String) throws -> String)?

    public init(programme: Programme, theme: Theme, useColor: Bool, journalPath: String, targetPath: String,
                readOnly: Bool, initialTab: DashboardState.Tab = .matrix, actor: String, keyFile: String? = nil,
                programmePath: String? = nil, openJournal: JournalFollower.Opener? = nil,
                runnerOutputDirectory: String? = nil) {
        self.programme = programme
        self.theme = theme
        self.useColor = useColor
        self.journalPath = journalPath
        self.targetPath = targetPath
        self.readOnly = readOnly
        self.initialTab = initialTab
        self.actor = actor
        self.keyFile = keyFile
        self.programmePath = programmePath
        self.openJournal = openJournal ?? JournalFollower.sqliteFile(journalPath)
        self.runnerOutputDirectory = runnerOutputDirectory ?? journalPath + ".runners"
        liveness = RunnerLockFiles(journalPath: journalPath)
        createJournal = { try SQLiteJournal(path: journalPath) }
    }

    /// Opens the terminal and the journal and runs until `q` or a terminating signal; returns
    /// the exit status (0, or 128 + signal).
    public func run() throws -> Int32 {
        let glyphs: GlyphSet = NcursesTerminal.localeIsUTF8() ? .unicode : .ascii
        let terminal = try NcursesTerminal(theme: theme, useColor: useColor)
        // The benchmark's naive renderer: every frame drawn whole, ten frames a second.
        terminal.repaintsEveryFrame = ProcessInfo.processInfo.environment["GATEHOUSE_REPAINT_ALL"] == "1"
        defer { terminal.restore() }
        var feed = JournalFollower(path: journalPath, readOnly: readOnly, open: openJournal, liveness: liveness, actor: actor)
        return run(on: terminal, feed: &feed, clock: .system, glyphs: glyphs, drawsEveryWake: terminal.repaintsEveryFrame)
    }

    /// Runs the loop on `terminal` over `feed` until `q` or a terminating signal; returns the
    /// exit status (0, or 128 + signal).
    public func run<Feed: DashboardFeed>(on terminal: some DashboardTerminal, feed: inout Feed, clock: DashboardClock,
                                         glyphs: GlyphSet, drawsEveryWake: Bool = false) -> Int32 {
        var context = DashboardContext(now: clock.wall(), readOnly: readOnly, signer: actor)
        context.protectedKeyFile = keyFile.flatMap { PrivateKeyFile.isProtected($0) ? $0 : nil }
        context.charter = ProgrammeCharter(programme)
        context.references = references
        var loop = DashboardLoop(programme: programme, state: DashboardState(tab: initialTab), context: context,
                                 drawsEveryWake: drawsEveryWake)
        let acts = acts(clock: clock)
        var actions = loop.start(at: clock.read())
        while !actions.isEmpty {
            let action = actions.removeFirst()
            let event: DashboardLoop.Event
            switch action {
            case .draw(let whole):
                draw(&loop, on: terminal, whole: whole, glyphs: glyphs)
                continue
            case .readJournal(let lookingAtRunners):
                let changed = feed.poll(into: &loop.context, lookingAtRunners: lookingAtRunners)
                event = .journalRead(changed: changed, notifies: feed.changeNotice != nil)
            case .perform(let outcome):
                event = .performed(acts.perform(outcome, store: feed.store, context: loop.context, passphrase: loop.state.flow?.passphrase ?? loop.state.programmeFlow?.passphrase))
            case .sleep(let until, let wakeOnJournal):
                event = wait(on: terminal, until: until, notice: feed.changeNotice, wakeOnJournal: wakeOnJournal, clock: clock)
            case .exit(let status):
                return status
            }
            actions += loop.handle(event, at: clock.read())
        }
        return 0
    }

    /// Puts the loop's state on the terminal.
    private func draw(_ loop: inout DashboardLoop, on terminal: some DashboardTerminal, whole: Bool, glyphs: GlyphSet) {
        if whole { terminal.invalidate() }
        let (width, height) = terminal.size
        loop.state.detailScroll = min(loop.state.detailScroll,
            DashboardView.scrollLimit(programme, state: loop.state, width: width, height: height, glyphs: glyphs))
        terminal.draw(DashboardView.render(programme, state: loop.state, context: loop.context,
                                           width: width, height: height, glyphs: glyphs))
    }

    /// Waits for input until the monotonic clock reads `until`; what woke it, as an event.
    ///
    /// A journal without a notice is read on a timer instead (the loop sleeps 100 ms).
    private func wait(on terminal: some DashboardTerminal, until: Int64, notice: (any ChangeNotice)?,
                      wakeOnJournal: Bool, clock: DashboardClock) -> DashboardLoop.Event {
        switch terminal.waitForInput(milliseconds: until - clock.uptime(), wakingOn: wakeOnJournal ? notice : nil) {
        case .signal(let number): return .signal(number)
        case .key(let key): return .key(key)
        case .nothing: return notice?.drain() == true ? .journalChanged : .woke
        }
    }

    /// The acts keys ask for, signed as `actor`, with dry runs started as runner processes.
    private func acts(clock: DashboardClock) -> DashboardActs {
        var acts = DashboardActs(actor: actor, keyFile: keyFile, clock: WallClock(milliseconds: clock.wall), liveness: liveness,
                                 programme: programme, createStore: { [createJournal] in try RunStore(journal: createJournal()) }) { [self] in
            let log = runnerOutputDirectory + "/dashboard-\(clock.wall()).out"
            _ = try DetachedRunner.start(executable: DetachedRunner.currentExecutable,
                                         arguments: ["run", "--dry-run", "--journal", journalPath, "--target", targetPath,
                                                     "--as", actor] + (programmePath.map { ["--programme", $0] } ?? []),
                                         logPath: log)
            return log
        }
        acts.restoreTarget = restoreTarget
        return acts
    }
}
