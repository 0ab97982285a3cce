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
/// SQLite is the implementation today; a PostgreSQL journal for several hosts will implement
/// the same protocol and pass the same tests.
public protocol Journal: Sendable {
    /// Appends one event atomically and durably, chained to the current head.
    func append(_ entry: JournalEntry) throws -> JournalEvent
    /// The events with a sequence number above `sequence`, in order.
    func events(after sequence: Int64) throws -> [JournalEvent]
    /// Walks the whole chain.
    func verify() throws -> ChainVerification
}
