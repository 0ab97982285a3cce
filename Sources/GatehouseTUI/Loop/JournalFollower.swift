import Foundation
import GatehouseCore
import GatehouseEngine

/// Keeps a dashboard's view of the journal current: opens it once it exists, verifies its
/// chain, folds in new events when its head moves, and looks at the unfinished runs' runner
/// locks when the loop asks (once a second, and before a key).
///
/// The chain is verified when the journal is opened, from its first event or from the newest
/// checkpoint of the fold that holds (bound to its event's number and hash, as `gatehouse
/// verify` checks), so that opening a long journal costs what came after that checkpoint;
/// after that only the events appended since (and that the last one verified is still there,
/// unchanged), so a watcher left open does one small read per change. A chain found broken
/// stays broken.
public struct JournalFollower: DashboardFeed {
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
    public private(set) var store: RunStore?
    private var journal: (any Journal)?
    /// Wakes the dashboard when the journal may have changed, once it is open.
    private var notice: JournalChangeNotice?
    /// The last event the chain was verified up to.
    private var verified = JournalHead.genesis
    /// The head at which the runs could not be read, so that they are tried again only when it moves.
    private var unreadableAt: Int64?
    /// Where the runners' locks are looked at (nil: not looked at; the journal's word is shown).
    private let liveness: (any RunnerLiveness)?
    /// Who records a runner found gone as lost; nil for a watcher, which only shows it.
    private let recorder: String?

    /// A follower of the journal at `path` (in words, for the notes), opened with `open`, that
    /// looks at runner locks with `liveness` and, unless `readOnly`, records the runners it
    /// finds gone as lost, as `actor`.
    public init(path: String, readOnly: Bool, open: @escaping Opener, liveness: (any RunnerLiveness)? = nil, actor: String = "") {
        self.path = path
        self.readOnly = readOnly
        openJournal = open
        self.liveness = liveness
        recorder = readOnly ? nil : actor
    }

    /// What wakes the dashboard when the journal may have changed, once it is open.
    public var changeNotice: (any ChangeNotice)? { notice }

    /// Reads what changed into `context`, and what the runner locks say when
    /// `lookingAtRunners`; returns whether anything shown did.
    public mutating func poll(into context: inout DashboardContext, lookingAtRunners: Bool) -> Bool {
        let changed = read(into: &context)
        guard let liveness, let store else { return changed }
        let runs = context.ledger.runsWithARunner
        // Between looks, a run that started, resumed or ended is still looked at at once, so
        // that no run is shown with another's word or none (the look is what costs, not this).
        guard lookingAtRunners || runs.count != context.runners.count || !runs.allSatisfy({ context.runners[$0] != nil })
        else { return changed }
        return lookAtRunners(runs, liveness: liveness, store: store, into: &context) || changed
    }

    /// Looks at the runner locks of `runs`; records the runners found gone as lost when this
    /// dashboard may write. Returns whether what is shown changed.
    private func lookAtRunners(_ runs: [String], liveness: any RunnerLiveness, store: RunStore,
                               into context: inout DashboardContext) -> Bool {
        let seen = runs.isEmpty ? [:] : liveness.presence(of: runs)
        var recorded = false
        if let recorder, seen.values.contains(where: \.isGone) {
            context.ledger = RunLedger()
            recorded = !((try? RunLauncher.recordLost(seen, store: store, actor: recorder)) ?? []).isEmpty
            context.ledger = store.ledger
        }
        guard recorded || seen != context.runners else { return false }
        context.runners = seen
        return true
    }

    /// Reads what changed in the journal into `context`; returns whether anything did.
    private mutating func read(into context: inout DashboardContext) -> Bool {
        if journal == nil {
            let note = context.journalNote
            open(into: &context)
            if journal == nil { return context.journalNote != note }
        }
        guard let journal else { return false }
        // Emptied before the head is read: a change after this read leaves it readable again.
        notice?.drain()
        let head = try? journal.headSequence()
        var changed = store == nil && openStore(journal, head: head, into: &context)
        changed = verify(journal, head: head, into: &context) || changed
        guard let store else { return changed }
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

    /// Opens the runs of the journal (from its newest checkpoint that holds, which the chain
    /// walk then starts at), unless they could not be read at this head before; returns
    /// whether what is shown changed.
    private mutating func openStore(_ journal: any Journal, head: Int64?, into context: inout DashboardContext) -> Bool {
        guard unreadableAt == nil || head != unreadableAt else { return false }
        do {
            let opened = try RunStore(journal: journal)
            store = opened
            unreadableAt = nil
            if verified == .genesis, let checkpoint = opened.checkpointHead { verified = checkpoint }
            context.journalNote = "journal \(path)"
            context.ignoredCheckpoints = opened.ignoredCheckpoints
            context.ledger = opened.ledger
            return true
        } catch {
            // A file edited so that an event cannot be read: the chain check names it too.
            unreadableAt = head
            let note = "cannot read the runs in \(path): \(error)"
            defer { context.journalNote = note }
            return context.journalNote != note
        }
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
