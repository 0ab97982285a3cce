import GatehouseCore

/// What an append records; the journal adds the sequence number, time and hashes.
public struct JournalEntry: Sendable, Equatable {
    public var runID: String
    public var kind: String
    public var actor: String
    public var payload: JSONValue

    public init(runID: String, kind: String, actor: String, payload: JSONValue = .object([:])) {
        self.runID = runID
        self.kind = kind
        self.actor = actor
        self.payload = payload
    }
}

/// The append-only, hash-chained event log every process reads: the single source of truth.
///
/// ``SQLiteJournal`` is the default; `PostgresJournal` (GatehousePostgres) keeps the same
/// events and chain in a PostgreSQL database for processes on several hosts. Both pass one
/// suite of tests (`JournalContractTests`).
public protocol Journal: Sendable {
    /// Reads and appends in one atomic step: `decide` is given every event after `sequence`
    /// as the journal holds them at that instant, and the entries it returns are appended,
    /// durably, before any other writer (thread, process or host) can append.
    ///
    /// This is how a decision is made against the latest state without a race: two approvers
    /// on one gate queue here, and the second one sees the first one's approval.
    @discardableResult
    func append(after sequence: Int64, _ decide: ([JournalEvent]) throws -> [JournalEntry]) throws -> [JournalEvent]
    /// The sequence number of the last event (0 for an empty journal): a cheap change check.
    func headSequence() throws -> Int64
    /// The events with a sequence number above `sequence`, in order.
    func events(after sequence: Int64) throws -> [JournalEvent]
    /// Hands `body` the events with a sequence number above `sequence`, in order, one at a
    /// time as they are read: a fold of a long journal without every event in memory at once.
    func events(after sequence: Int64, _ body: (JournalEvent) throws -> Void) throws
    /// Hands `body` the events after `sequence` as ``events(after:_:)`` does, for a fold into
    /// run state: their `hash` and `previousHash` may be left empty.
    ///
    /// The two hashes are a third of what reading an event costs, and only the chain walk
    /// (``verify(after:handing:)``) uses them.
    func eventsForFolding(after sequence: Int64, _ body: (JournalEvent) throws -> Void) throws
    /// Walks the whole chain.
    func verify() throws -> ChainVerification
    /// Walks the chain after `head`, an event verified before (a watcher's later checks),
    /// handing `body` each event found in place, in order, as the walk reads it: a watcher
    /// folds what it verifies without reading it twice.
    ///
    /// `body` sees no event at or after a break the walk finds; events it saw can still be
    /// condemned by the end of the walk (the journal's record of its last event), so the
    /// returned verdict, not the events handed, says whether they are to be trusted.
    func verify(after head: JournalHead, handing body: (JournalEvent) -> Void) throws -> ChainVerification
    /// A notice that wakes a watcher when the journal may have changed, or nil where the
    /// journal offers none (the watcher then asks for the head every 100 ms).
    func changeNotice() -> JournalChangeNotice?
    /// The journal's hash of event `sequence`, or nil when it has no such event.
    func eventHash(at sequence: Int64) throws -> String?
    /// Stores a checkpoint of the fold beside the events, in one transaction, calling
    /// `beforeCommit` just before it commits (a crash test's point); one already stored at the
    /// same event is kept and this one dropped.
    func storeCheckpoint(_ checkpoint: LedgerCheckpoint, beforeCommit: () -> Void) throws
    /// The event numbers checkpoints are stored at, in increasing order.
    func checkpointSequences() throws -> [Int64]
    /// The checkpoint stored at event `sequence`, if any, as stored (not yet checked).
    func checkpoint(at sequence: Int64) throws -> LedgerCheckpoint?
}

extension Journal {
    /// Appends one event atomically and durably, chained to the current head.
    @discardableResult
    public func append(_ entry: JournalEntry) throws -> JournalEvent {
        try append(after: .max) { _ in [entry] }[0]
    }

    /// No notice: a watcher polls.
    public func changeNotice() -> JournalChangeNotice? { nil }

    /// The hash of event `sequence`, read as the event itself.
    public func eventHash(at sequence: Int64) throws -> String? {
        try events(after: sequence - 1).first { $0.sequence == sequence }?.hash
    }

    /// A journal that keeps no checkpoints: every opening folds from the first event.
    public func storeCheckpoint(_ checkpoint: LedgerCheckpoint, beforeCommit: () -> Void) throws {}
    public func checkpointSequences() throws -> [Int64] { [] }
    public func checkpoint(at sequence: Int64) throws -> LedgerCheckpoint? { nil }

    /// Walks the chain after `head`, an event verified before (a watcher's later checks).
    public func verify(after head: JournalHead) throws -> ChainVerification {
        try verify(after: head) { _ in }
    }

    /// Reads the events whole, then hands them over: correct for any journal, if not the leanest.
    public func events(after sequence: Int64, _ body: (JournalEvent) throws -> Void) throws {
        for event in try events(after: sequence) { try body(event) }
    }

    /// The events whole, hashes included: correct for any journal.
    public func eventsForFolding(after sequence: Int64, _ body: (JournalEvent) throws -> Void) throws {
        try events(after: sequence, body)
    }

    /// Walks the whole chain again, then reads the events after `head`: correct for any
    /// journal, if not the quickest.
    public func verify(after head: JournalHead, handing body: (JournalEvent) -> Void) throws -> ChainVerification {
        let verdict = try verify()
        let inPlace: Int64 = switch verdict {
        case .intact(let count, _): Int64(count)
        case .broken(let sequence, _): sequence - 1
        }
        for event in try events(after: head.sequence) where event.sequence <= inPlace { body(event) }
        return verdict
    }
}
