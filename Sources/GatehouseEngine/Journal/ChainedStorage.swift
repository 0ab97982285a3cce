import GatehouseCore

/// Where a journal keeps its events: the storage primitives each journal supplies, so that
/// appending, chaining and checking events are written once (`ChainedStorage+Chain.swift`).
///
/// Two kinds of transaction: an append, one atomic write that holds the journal's write lock
/// from its first read to its commit, and a walk, a read of one consistent snapshot. Generic
/// over both, so a journal's own rows and statements stay in its hot loops.
package protocol ChainedStorage {
    /// An append in progress: one atomic write, with every other appender kept out.
    associatedtype Append
    /// A walk in progress: a read of one consistent snapshot of the events and the head record.
    associatedtype Walk
    /// The stored rows a walk reads, in stored order.
    associatedtype StoredRows: StoredEventRows

    /// The clock that times appended events.
    var clock: WallClock { get }

    /// Runs `body` in one atomic, durable write that no other appender (thread, process or
    /// host) can interleave with; nothing of it is kept when `body` throws.
    func appending<T>(_ body: (Append) throws -> T) throws -> T
    /// The events after `sequence`, in order; a row that cannot be read as an event throws.
    func events(after sequence: Int64, in append: Append) throws -> [JournalEvent]
    /// The last event stored, the one the next event links to (``JournalHead/genesis`` for none).
    func lastEvent(in append: Append) throws -> JournalHead
    /// Inserts `events`, already chained, and records `head` (the last of them) as the
    /// journal's last event.
    func store(_ events: [JournalEvent], head: JournalHead, in append: Append) throws

    /// Runs `body` in a read of one consistent snapshot.
    func walking<T>(_ body: (Walk) throws -> T) throws -> T
    /// The hash stored for event `sequence`; nil when there is no such event.
    func storedHash(of sequence: Int64, in walk: Walk) throws -> String?
    /// The rows after `sequence`, in stored order.
    func storedRows(after sequence: Int64, in walk: Walk) throws -> StoredRows
    /// The journal's record of the last event it appended.
    func recordedHead(in walk: Walk) throws -> RecordedHead
    /// What an unreadable record of the last event says of the storage ("the file was edited").
    var editedStorage: String { get }
}

/// The stored rows of a journal, one at a time: each an event, or why it is not one.
package protocol StoredEventRows {
    /// The next row in stored order, nil after the last.
    mutating func next() throws -> Result<JournalEvent, UnreadableEvent>?
}

/// What a journal holds as its record of the last event it appended.
package enum RecordedHead: Sendable, Equatable {
    /// A journal from before the record, only ever opened read-only since.
    case notKept
    /// The record is missing or one of its fields is not of its type.
    case unreadable
    /// The last event the journal recorded appending.
    case recorded(JournalHead)
}
