import GatehouseCore

/// The runs of one journal: the fold of its events, kept up to date, and the one way to change
/// a run — an event the state machine accepts, or else its refusal — appended atomically.
public final class RunStore {
    /// The journal the runs live in.
    public let journal: any Journal
    /// The state of every run as of the last read.
    public private(set) var ledger = RunLedger()
    /// The time decisions are checked at (expiry), close to the time the journal stamps.
    private let clock: WallClock
    /// When to open from a checkpoint and write one.
    private let checkpoints: CheckpointPolicy
    /// The newest event a checkpoint is stored at (0 for none), as far as this store knows.
    private var newestCheckpoint: Int64 = 0
    /// The event of the checkpoint this store opened from, nil when it folded from the start.
    public var openedFromCheckpoint: Int64? { checkpointHead?.sequence }
    /// The event of the checkpoint this store opened from, by number and hash: where a watcher
    /// that trusts the checkpoint starts walking the chain.
    public private(set) var checkpointHead: JournalHead?
    /// The checkpoints found wrong when opening, newest first: not used.
    public private(set) var ignoredCheckpoints: [LedgerCheckpoint.Problem] = []

    /// A store over `journal`, with every event read: from the newest checkpoint that holds
    /// and the events after it, unless `checkpoints` says to fold from the first.
    public init(journal: any Journal, clock: WallClock = .system, checkpoints: CheckpointPolicy = .fromEnvironment()) throws {
        self.journal = journal
        self.clock = clock
        self.checkpoints = checkpoints
        if checkpoints.opensFromCheckpoint { openFromNewestCheckpoint() }
        try refresh()
    }

    /// Starts the fold at the newest checkpoint whose seal holds, whose event is the journal's
    /// event at that number and whose bytes read back; the others are noted and passed over.
    private func openFromNewestCheckpoint() {
        let sequences = (try? journal.checkpointSequences()) ?? []
        newestCheckpoint = sequences.last ?? 0
        for sequence in sequences.reversed() {
            guard let stored = (try? journal.checkpoint(at: sequence)) ?? nil else { continue }
            switch stored.ledger(journalHash: (try? journal.eventHash(at: sequence)) ?? nil) {
            case .success(let ledger):
                self.ledger = ledger
                checkpointHead = JournalHead(sequence: sequence, hash: stored.eventHash)
                return
            case .failure(let problem):
                ignoredCheckpoints.append(problem)
            }
        }
    }

    /// Writes a checkpoint of the fold if ``CheckpointPolicy/interval`` events came since the
    /// newest; `head` is the last event appended. A checkpoint that cannot be written is not
    /// an error: the next opening folds a little more.
    private func writeCheckpointIfDue(head: JournalEvent?) {
        guard let interval = checkpoints.interval, let head, ledger.sequence == head.sequence,
              head.sequence - newestCheckpoint >= interval else { return }
        newestCheckpoint = head.sequence
        guard let checkpoint = try? LedgerCheckpoint(ledger, head: JournalHead(sequence: head.sequence, hash: head.hash)) else { return }
        try? journal.storeCheckpoint(checkpoint) { checkpoints.faults.hit("checkpoint-before-commit") }
    }

    /// Folds in every event appended since the last read; returns whether there were any.
    ///
    /// Each event is folded as it is read, so a long journal is never all in memory at once
    /// (and, past the first 20,000, on a second thread while this one reads on: ``PipelinedFold``).
    @discardableResult
    public func refresh() throws -> Bool {
        let before = ledger.sequence
        try fold { hand in try journal.eventsForFolding(after: before, hand) }
        return ledger.sequence != before
    }

    /// Walks the journal's chain after `head`, an event verified before, and folds in the new
    /// events the walk finds in place as it reads them: a watcher's check and update in one
    /// read. Returns the chain's verdict (see ``Journal/verify(after:handing:)``).
    ///
    /// Events the store had not read up to `head` are read first; events at or after a break
    /// are not folded by the walk.
    public func refresh(verifyingAfter head: JournalHead) throws -> ChainVerification {
        if ledger.sequence < head.sequence { try refresh() }
        let folded = ledger.sequence
        return try fold { hand in
            try journal.verify(after: head) { event in
                if event.sequence > folded { hand(event) }
            }
        }
    }

    /// Runs `read`, folding every event it hands over into the ledger, in order: the first
    /// ``PipelinedFold/inlineLimit`` here, any more on a second thread.
    private func fold<Result>(_ read: (_ hand: (JournalEvent) -> Void) throws -> Result) rethrows -> Result {
        var inline = 0
        var pipeline: PipelinedFold?
        // Put back whatever `read` does.
        defer { if let pipeline { ledger = pipeline.finish() } }
        return try read { event in
            if let pipeline { return pipeline.hand(event) }
            guard inline == PipelinedFold.inlineLimit else {
                inline += 1
                return ledger.apply(event)
            }
            // Taken out of the store while the pipeline owns it (a copy would be copied again on
            // the first change).
            var taken = RunLedger()
            swap(&taken, &ledger)
            let started = PipelinedFold(consume taken)
            started.hand(event)
            pipeline = started
        }
    }

    /// Whether the journal has events this store has not read yet (a cheap check).
    public func hasNewEvents() throws -> Bool {
        try journal.headSequence() > ledger.sequence
    }

    /// Appends `events` to `run` if the state machine accepts them against the journal as it
    /// is at the moment of the append (no other writer can come in between).
    ///
    /// On a refusal nothing of `events` is appended; a `run.refused` event recording the attempt
    /// is appended instead (unless the run does not exist) and the refusal is thrown.
    /// - Throws: ``RunRefusal``, or the journal's error when it cannot be written.
    public func record(_ events: [RunEvent], run: String, actor: String) throws {
        var refusal: RunRefusal?
        var attempted = ""
        let appended = try journal.append(after: ledger.sequence) { unseen in
            refusal = nil
            // What others appended meanwhile is journaled already: fold it in for good (once,
            // though a retried transaction passes it again), then check `events` on a ledger of
            // this run alone: a copy of every run on each append would grow with the journal.
            for event in unseen where event.sequence > ledger.sequence { ledger.apply(event) }
            var scratch = ledger.isolating(run)
            var next = scratch.sequence
            let now = clock.milliseconds()
            for event in events {
                next += 1
                if let refused = scratch.apply(event, run: run, actor: actor, sequence: next, time: now) {
                    refusal = refused
                    attempted = event.kind
                    break
                }
            }
            if let refusal {
                guard scratch[run] != nil else { return [] }
                let record = RunEvent.refused(attempted: attempted, refusal: refusal)
                return [JournalEntry(runID: run, kind: record.kind, actor: actor, payload: record.payload)]
            }
            return events.map { JournalEntry(runID: run, kind: $0.kind, actor: actor, payload: $0.payload) }
        }
        try refresh()
        writeCheckpointIfDue(head: appended.last)
        if let refusal { throw refusal }
    }

    /// Appends a programme event if the rules accept it against the journal as it is at the
    /// moment of the append; on a refusal a `programme.refused` event is appended instead and
    /// the refusal is thrown. A charter pinned already is not pinned again (nothing is appended).
    /// - Throws: ``ProgrammeRefusal``, or the journal's error when it cannot be written.
    public func record(_ event: ProgrammeEvent, actor: String) throws {
        var refusal: ProgrammeRefusal?
        let appended = try journal.append(after: ledger.sequence) { unseen in
            refusal = nil
            for event in unseen where event.sequence > ledger.sequence { ledger.apply(event) }
            if let refused = ledger.check(event) {
                if case .pinned = event { return [] }
                refusal = refused
                let record = ProgrammeEvent.refused(refused)
                return [JournalEntry(runID: "", kind: record.kind, actor: actor, payload: record.payload)]
            }
            return [JournalEntry(runID: "", kind: event.kind, actor: actor, payload: event.payload)]
        }
        try refresh()
        writeCheckpointIfDue(head: appended.last)
        if let refusal { throw refusal }
    }

    /// Appends one event; see ``record(_:run:actor:)``.
    public func record(_ event: RunEvent, run: String, actor: String) throws {
        try record([event], run: run, actor: actor)
    }

    /// The run a person named by its id or a unique prefix of it.
    /// - Throws: ``RunStoreError`` when no run or several runs match.
    public func resolve(_ name: String) throws -> RunState {
        let matches = ledger.runs(matching: name)
        guard !name.isEmpty, let first = matches.first else { throw RunStoreError.noSuchRun(name) }
        guard matches.count == 1 else { throw RunStoreError.ambiguous(name, matches) }
        return ledger[first]!
    }
}

/// A run named on the command line that cannot be found.
public enum RunStoreError: Error, Equatable, CustomStringConvertible {
    case noSuchRun(String)
    case ambiguous(String, [String])

    public var description: String {
        switch self {
        case .noSuchRun(let name):
            "no run '\(name)' in the journal (list runs with `gatehouse status`)"
        case .ambiguous(let name, let matches):
            "'\(name)' names several runs (\(matches.joined(separator: ", "))); give more of the id"
        }
    }
}
