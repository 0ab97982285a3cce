import Foundation
import GatehouseCore
import GatehouseEngine
import PostgresNIO

/// The journal in a PostgreSQL database, for a runner, approvers and watchers on different
/// hosts: the same events and the same hash chain as ``SQLiteJournal``.
///
/// Every append is one transaction that first locks the journal's record of its last event
/// (`SELECT … FROM chain_head … FOR UPDATE`), so appenders on any number of hosts queue there
/// and can never fork the chain; the `sequence` primary key makes a fork impossible even if
/// they tried. The same transaction notifies the channel `gatehouse_journal` with the new
/// head, so watchers learn of it through LISTEN/NOTIFY instead of polling the server (see
/// ``headSequence()``). The tables live in the schema `gatehouse_journal`. The chain itself
/// (numbering, links, the walk) is `ChainedStorage`'s: this type supplies the storage
/// (`PostgresJournal+Storage.swift`).
///
/// The location has no password (``PostgresLocation``): it comes from `PGPASSWORD` or
/// `~/.pgpass`, and nothing of it is journaled.
public final class PostgresJournal: Journal, @unchecked Sendable {
    /// Where the journal is.
    public let location: PostgresLocation
    package let clock: WallClock
    /// The session for appends and reads.
    let connection: PostgresConnectionSlot
    /// The head as notified, once asked for.
    private let listener: JournalHeadListener

    /// Opens the journal at `location`, creating its tables if there are none and `create` is true.
    ///
    /// - Throws: ``PostgresFailure`` when the server cannot be reached or refuses; a
    ///   ``PostgresJournalError`` when there is no journal there and `create` is false, or the
    ///   database does not store UTF-8 text.
    public init(location: PostgresLocation, create: Bool = true, clock: WallClock = .system,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.location = location
        self.clock = clock
        let connection = PostgresConnectionSlot(location: location, applicationName: "gatehouse journal", environment: environment)
        self.connection = connection
        listener = JournalHeadListener(
            channel: Self.channel,
            connect: { try connection.connectAnother(applicationName: "gatehouse journal listener") },
            readHead: { try Self.readHead($0) })
        try connection.use { try Self.prepare($0, create: create) }
    }

    deinit {
        close()
    }

    /// Closes the journal's connections; a later call connects again.
    public func close() {
        listener.close()
        connection.close()
    }

    /// Appends in one transaction, then moves the head this journal reports on at once,
    /// without waiting for the notification.
    @discardableResult
    public func append(after sequence: Int64, _ decide: ([JournalEvent]) throws -> [JournalEntry]) throws -> [JournalEvent] {
        let appended = try appendChained(after: sequence, decide)
        if let last = appended.last { listener.advance(to: last.sequence) }
        return appended
    }

    /// The sequence number of the last event: read from the server the first time, then kept
    /// current by the server's notifications without a round trip (see ``JournalHeadListener``).
    ///
    /// Another host's append shows here a moment after it commits, when its notification
    /// arrives; this journal's own appends show at once.
    public func headSequence() throws -> Int64 {
        try listener.head(fallback: { try using { try Self.readHead($0) } })
    }

    /// How many times ``headSequence()`` asked the server rather than a notification.
    var headQueries: Int {
        listener.headQueries
    }

    public func events(after sequence: Int64) throws -> [JournalEvent] {
        try using { try Self.fetchEvents($0, after: sequence) }
    }

    /// Runs `body` on the journal's session, saying what a missing table means for a journal.
    func using<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        do {
            return try connection.use(body)
        } catch let failure as PostgresFailure where failure.sqlState == "42P01" {
            throw PostgresJournalError(kind: .missingTable, message: """
                the journal in \(location) is missing one of its tables (schema \(Self.schema), tables event and chain_head): \
                they were dropped or renamed; `gatehouse verify --journal \(location)` says what is left
                """)
        }
    }

    /// Walks the whole chain in one `REPEATABLE READ` snapshot of the database.
    public func verify() throws -> ChainVerification {
        try verifyChain()
    }

    /// The walk after `head` reads one snapshot of the database: an append committing
    /// meanwhile is not half seen.
    public func verify(after head: JournalHead, handing body: (JournalEvent) -> Void) throws -> ChainVerification {
        try verifyChain(after: head, handing: body)
    }
}

/// A PostgreSQL database that does not hold a journal, or cannot.
public struct PostgresJournalError: Error, Equatable, CustomStringConvertible {
    /// What is wrong, for callers that act on it.
    public enum Kind: Sendable, Equatable {
        /// The database has no journal (and it was not to be created).
        case noJournal
        /// The database does not keep text as UTF-8.
        case notUTF8
        /// One of the journal's tables is gone.
        case missingTable
    }

    public var kind: Kind
    /// The whole sentence: what is wrong, where, and what to do.
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
