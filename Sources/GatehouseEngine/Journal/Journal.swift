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
    /// Walks the whole chain.
    func verify() throws -> ChainVerification
    /// Walks the chain after `head`, an event verified before (a watcher's later checks).
    func verify(after head: JournalHead) throws -> ChainVerification
}

extension Journal {
    /// Appends one event atomically and durably, chained to the current head.
    @discardableResult
    public func append(_ entry: JournalEntry) throws -> JournalEvent {
        try append(after: .max) { _ in [entry] }[0]
    }

    /// Walks the whole chain again: correct for any journal, if not the quickest.
    public func verify(after head: JournalHead) throws -> ChainVerification {
        try verify()
    }
}
