import Foundation
import GatehouseCore
import GatehouseEngine

/// The dashboard's loop: draw the state, wait for a key, a signal or a journal change, update.
///
/// It redraws only when something changed, and sleeps between frames until a key, a signal or
/// the journal's change notice (an SQLite journal's inotify watch) wakes it, or the next whole
/// second; then it checks the journal's head sequence (one indexed read). So an idle dashboard
/// sends nothing to the terminal and wakes once a second, and a runner in another process
/// shows up as soon as it appends. Where the journal gives no notice (PostgreSQL, which has
/// its own LISTEN), it checks every 100 ms instead.
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
    }

    /// Runs until `q` or a terminating signal; returns the exit status (0, or 128 + signal).
    public func run() throws -> Int32 {
        let glyphs: GlyphSet = NcursesTerminal.localeIsUTF8() ? .unicode : .ascii
        let terminal = try NcursesTerminal(theme: theme, useColor: useColor)
        terminal.repaintsEveryFrame = ProcessInfo.processInfo.environment["GATEHOUSE_REPAINT_ALL"] == "1"
        defer { terminal.restore() }
        var state = DashboardState(tab: initialTab)
        var follower = JournalFollower(path: journalPath, readOnly: readOnly, open: openJournal)
        var context = DashboardContext(now: WallClock.system.milliseconds(), readOnly: readOnly, signer: actor)
        follower.poll(into: &context)
        var dirty = true
        var lastSecond = context.now / 1000
        var lastJournalRead = Self.monotonicMilliseconds()
        while true {
            // The benchmark's naive renderer: every frame drawn whole, ten frames a second.
            if terminal.repaintsEveryFrame { dirty = true }
            if dirty {
                let (width, height) = terminal.size
                state.detailScroll = min(state.detailScroll,
                    DashboardView.scrollLimit(programme, state: state, width: width, height: height, glyphs: glyphs))
                terminal.draw(DashboardView.render(programme, state: state, context: context, width: width, height: height, glyphs: glyphs))
                dirty = false
            }
            var key: Key?
            let notice = terminal.repaintsEveryFrame ? nil : follower.changeDescriptor
            if let notice {
                // Woken by a key, a signal or the journal's change notice; else once a second,
                // on the second (a running phase's duration ticks; a missed notice is caught).
                key = terminal.readKey(timeout: Int32(1000 - WallClock.system.milliseconds() % 1000), wakingOn: notice)
            } else {
                key = terminal.readKey(timeout: 100)
            }
            var signal = terminal.takeCaughtSignal()
            if signal != 0 { return 128 + signal }
            if notice != nil, key == nil, follower.takeChangeNotices() {
                // A runner appends each event in a commit of its own, and each one notifies:
                // read at most every 100 ms, and only once the journal has been quiet for
                // 20 ms (or 100 ms after the first notice of a burst), so that twenty watchers
                // read a runner's burst of phases once, after it, instead of each reading and
                // redrawing beside the runner at its first event (keys still answer meanwhile).
                let noticed = Self.monotonicMilliseconds()
                let deadline = noticed + Self.journalReadInterval
                let sinceRead = noticed - lastJournalRead
                if sinceRead < Self.journalReadInterval {
                    key = terminal.readKey(timeout: Int32(Self.journalReadInterval - sinceRead), wakingOn: -1)
                    signal = terminal.takeCaughtSignal()
                    if signal != 0 { return 128 + signal }
                }
                var pending = true
                while key == nil, pending {
                    let left = deadline - Self.monotonicMilliseconds()
                    if left <= 0 { break }
                    key = terminal.readKey(timeout: Int32(min(Self.journalQuietGap, left)), wakingOn: -1)
                    signal = terminal.takeCaughtSignal()
                    if signal != 0 { return 128 + signal }
                    pending = follower.takeChangeNotices()
                }
            }
            if follower.poll(into: &context) { dirty = true }
            lastJournalRead = Self.monotonicMilliseconds()
            context.now = WallClock.system.milliseconds()
            // A running phase's duration ticks once a second on the Runs tab; nothing else moves.
            if context.now / 1000 != lastSecond {
                lastSecond = context.now / 1000
                if state.tab == .runs, !state.runListOpen, context.selectedRun(state)?.runningPhase != nil { dirty = true }
            }
            guard let key else { continue }
            if key == .resize { terminal.invalidate() }
            let before = state
            switch state.handle(key, programme: programme, context: context) {
            case .quit:
                return 0
            case .continueRunning:
                break
            case .startDryRun:
                state.notice = startDryRun()
            case .abort(let runID):
                state.notice = abort(runID, follower: &follower, context: &context)
            case .decide(let runID, let gate, let approve, let reason):
                let (message, recorded) = sign(runID, follower: &follower, context: &context) { run, signer, time, nonce in
                    let statement = ApprovalStatement.make(run: run, gate: gate, approve: approve, by: actor, reason: reason,
                                                           signedAt: time, nonce: nonce)
                    let decision = GateDecision(gate: gate, by: actor, reason: reason, statement: statement,
                                                provider: signer.provider, signature: try signer.sign(statement))
                    return approve ? .gateApproved(decision) : .gateRejected(decision)
                }
                let insecure = context.ledger[runID]?.start.sovereigns.first { $0.name == actor }?.provider == StubSigning.providerName
                    ? " (stub signature, INSECURE)" : ""
                state.flow?.step = .result(message: recorded ? "\(gate) \(approve ? "approved" : "rejected") by \(actor)\(insecure); recorded in the journal. Any key closes."
                                                             : message, recorded: recorded)
            case .enableLive(let runID):
                let (message, recorded) = sign(runID, follower: &follower, context: &context) { run, signer, time, nonce in
                    let statement = SwitchStatement.make(run: run, by: actor, signedAt: time, nonce: nonce)
                    return .killSwitchEnabled(SwitchEnable(by: actor, statement: statement, provider: signer.provider,
                                                           signature: try signer.sign(statement)))
                }
                state.flow?.step = .result(message: recorded ? "kill-switch ON for run \(runID.prefix(8)): it may now write. It goes off when the run ends. Any key closes."
                                                             : message, recorded: recorded)
            }
            // A key that changes nothing must not drop a redraw the journal asked for above.
            dirty = dirty || key == .resize || state != before
        }
    }

    /// The shortest time between two reads of the journal while notices come, and the
    /// longest a watcher waits after the first notice of a burst before it reads.
    static let journalReadInterval: Int64 = 100

    /// How long the journal must go without a notice before a watcher reads it.
    static let journalQuietGap: Int64 = 20

    /// Milliseconds of a clock that only goes forward.
    static func monotonicMilliseconds() -> Int64 {
        Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000)
    }

    /// Starts `gatehouse run --dry-run` in a process of its own; returns what to tell the user.
    private func startDryRun() -> String {
        let log = runnerOutputDirectory + "/dashboard-\(WallClock.system.milliseconds()).out"
        do {
            _ = try DetachedRunner.start(executable: DetachedRunner.currentExecutable,
                                         arguments: ["run", "--dry-run", "--journal", journalPath, "--target", targetPath,
                                                     "--as", actor] + (programmePath.map { ["--programme", $0] } ?? []),
                                         logPath: log)
            return "dry run started; its output goes to \(log)"
        } catch {
            return "could not start a dry run: \(error)"
        }
    }

    /// Signs what `make` builds for the run as the journal holds it now, as `actor`, and
    /// journals it; returns what to tell the signer and whether it was recorded.
    private func sign(_ runID: String, follower: inout JournalFollower, context: inout DashboardContext,
                      make: (RunState, SovereignSigner, Int64, String) throws -> RunEvent) -> (String, Bool) {
        guard let store = follower.store else { return ("no journal to record it in; nothing was recorded", false) }
        if let broken = context.brokenJournal {
            return ("the journal's chain is broken at event \(broken.sequence), so the state shown is not trusted: nothing was signed. Run `gatehouse verify`. Any key closes.", false)
        }
        do {
            try store.refresh()
            guard let run = store.ledger[runID] else { return ("run \(runID.prefix(8)) is not in the journal", false) }
            let signer = try SovereignSigner.forSovereign(actor, of: run, keyFile: keyFile)
            let event = try make(run, signer, WallClock.system.milliseconds(), RunLauncher.newRunID() + RunLauncher.newRunID())
            try store.record(event, run: runID, actor: actor)
            follower.poll(into: &context)
            return ("recorded", true)
        } catch let refusal as RunRefusal {
            follower.poll(into: &context)
            return ("refused, and the refusal journaled: \(refusal.message). Any key closes.", false)
        } catch let error as SigningError {
            return ("cannot sign: \(error). Nothing was recorded. Any key closes.", false)
        } catch {
            return ("could not record it: \(error). Any key closes.", false)
        }
    }

    private func abort(_ runID: String, follower: inout JournalFollower, context: inout DashboardContext) -> String {
        guard let store = follower.store else { return "no journal to record the abort in" }
        do {
            try store.record(.aborted(by: actor, reason: "aborted from the dashboard"), run: runID, actor: actor)
            follower.poll(into: &context)
            return "run \(runID.prefix(8)) aborted"
        } catch let refusal as RunRefusal {
            return "refused: \(refusal.message)"
        } catch {
            return "could not record the abort: \(error)"
        }
    }
}

/// Keeps a dashboard's view of the journal current: opens it once it exists, verifies its
/// chain, and folds in new events when its head moves.
///
/// The whole chain is verified when the journal is opened; after that only the events
/// appended since (and that the last one verified is still there, unchanged), so a watcher
/// left open does one small read per change. A chain found broken stays broken.
public struct JournalFollower {
    /// Opens the journal (`readOnly` for a watcher), or returns nil while there is none yet.
    public typealias Opener = @Sendable (_ readOnly: Bool) throws -> (any Journal)?

    /// The SQLite journal at `path`, once the file exists (read-only for a watcher).
    public static func sqliteFile(_ path: String) -> Opener {
        { readOnly in
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            return readOnly ? try SQLiteJournal(readingOnly: path) : try SQLiteJournal(path: path)
        }
    }

    let path: String
    let readOnly: Bool
    private let openJournal: Opener
    private(set) var store: RunStore?
    private var journal: (any Journal)?
    /// Wakes the dashboard when the journal may have changed, once it is open.
    private var notice: JournalChangeNotice?
    /// The last event the chain was verified up to.
    private var verified = JournalHead.genesis
    /// The head at which the runs could not be read, so that they are tried again only when it moves.
    private var unreadableAt: Int64?

    init(path: String, readOnly: Bool, open: @escaping Opener) {
        self.path = path
        self.readOnly = readOnly
        openJournal = open
    }

    /// The descriptor that becomes readable when the journal may have changed, if it has one.
    var changeDescriptor: Int32? { notice?.fileDescriptor }

    /// Empties the change notices; returns whether any said the journal may have changed.
    func takeChangeNotices() -> Bool {
        notice?.drain() ?? false
    }

    /// Reads what changed into `context`; returns whether anything did.
    @discardableResult
    mutating func poll(into context: inout DashboardContext) -> Bool {
        if journal == nil {
            let note = context.journalNote
            open(into: &context)
            if journal == nil { return context.journalNote != note }
        }
        guard let journal else { return false }
        // Emptied before the head is read: a change after this read leaves it readable again.
        notice?.drain()
        let head = try? journal.headSequence()
        var changed = verify(journal, head: head, into: &context)
        if let store {
            if let head, head > store.ledger.sequence {
                // Events the chain walk did not fold (it stops at a break, and checks nothing
                // more once the journal is found broken): read them as they are.
                context.ledger = RunLedger()
                _ = try? store.refresh()
            }
            // The store may have read ahead (its own appends refresh it), so compare with what is shown.
            guard store.ledger.sequence != context.ledger.sequence else { return changed }
            context.ledger = store.ledger
            return true
        }
        guard unreadableAt == nil || head != unreadableAt else { return changed }
        do {
            let opened = try RunStore(journal: journal)
            store = opened
            unreadableAt = nil
            context.journalNote = "journal \(path)"
            context.ledger = opened.ledger
            changed = true
        } catch {
            // A file edited so that an event cannot be read: the chain check names it too.
            unreadableAt = head
            let note = "cannot read the runs in \(path): \(error)"
            changed = changed || context.journalNote != note
            context.journalNote = note
        }
        return changed
    }

    /// Opens the journal once it exists; until then the note says why not.
    private mutating func open(into context: inout DashboardContext) {
        do {
            guard let opened = try openJournal(readOnly) else {
                context.journalNote = "no journal yet at \(path); waiting for one"
                return
            }
            journal = opened
            notice = opened.changeNotice()
            context.journalNote = "journal \(path)"
        } catch {
            context.journalNote = "cannot read the journal \(path): \(error)"
        }
    }

    /// Verifies what was appended since the last check, if the head moved; returns whether
    /// the verdict shown changed.
    private mutating func verify(_ journal: any Journal, head: Int64?, into context: inout DashboardContext) -> Bool {
        if context.journalTrust != nil {
            guard context.brokenJournal == nil, let head, head != verified.sequence else { return false }
        }
        let walked: ChainVerification?
        if let store {
            // The walk reads every new event: the store folds each one as it goes by, so a
            // watcher reads an event once, not once to check it and again to fold it. The
            // screen's ledger shares the store's storage: let it go first, so that the fold
            // changes the store's runs in place instead of copying all of them.
            context.ledger = RunLedger()
            walked = try? store.refresh(verifyingAfter: verified)
        } else {
            walked = try? journal.verify(after: verified)
        }
        guard let result = walked else { return false }
        if case .intact(let count, let hash) = result { verified = JournalHead(sequence: Int64(count), hash: hash) }
        guard result != context.journalTrust else { return false }
        context.journalTrust = result
        return true
    }
}
