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
/// ``headSequence()``). The tables live in the schema `gatehouse_journal`.
///
/// The location has no password (``PostgresLocation``): it comes from `PGPASSWORD` or
/// `~/.pgpass`, and nothing of it is journaled.
public final class PostgresJournal: Journal, @unchecked Sendable {
    /// Where the journal is.
    public let location: PostgresLocation
    private let clock: WallClock
    /// The session for appends and reads.
    private let connection: PostgresConnectionSlot
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

    @discardableResult
    public func append(after sequence: Int64, _ decide: ([JournalEvent]) throws -> [JournalEntry]) throws -> [JournalEvent] {
        let appended = try using { session in
            try session.transaction {
                try Self.lockChainHead(session)
                let unseen = sequence == .max ? [] : try Self.fetchEvents(session, after: sequence)
                let entries = try decide(unseen)
                guard !entries.isEmpty else { return [JournalEvent]() }
                let head = try Self.lastEvent(session)
                var nextSequence = head.sequence + 1
                var previousHash = head.hash
                let time = clock.milliseconds()
                var appended: [JournalEvent] = []
                for entry in entries {
                    let event = JournalEvent(
                        sequence: nextSequence, timeMilliseconds: time, runID: entry.runID, kind: entry.kind,
                        actor: entry.actor, payload: entry.payload, previousHash: previousHash)
                    try session.execute("""
                        INSERT INTO gatehouse_journal.event (sequence, time_ms, run, kind, actor, payload, previous_hash, hash)
                        VALUES (\(event.sequence), \(event.timeMilliseconds), \(event.runID), \(event.kind), \(event.actor),
                                \(event.payload), \(event.previousHash), \(event.hash))
                        """)
                    appended.append(event)
                    nextSequence += 1
                    previousHash = event.hash
                }
                try session.execute("""
                    INSERT INTO gatehouse_journal.chain_head (id, sequence, hash) VALUES (1, \(nextSequence - 1), \(previousHash))
                    ON CONFLICT (id) DO UPDATE SET sequence = EXCLUDED.sequence, hash = EXCLUDED.hash
                    """)
                try session.execute("SELECT pg_notify(\(Self.channel), \(String(nextSequence - 1)))")
                return appended
            }
        }
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
    private func using<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        do {
            return try connection.use(body)
        } catch let failure as PostgresFailure where failure.sqlState == "42P01" {
            throw PostgresJournalError(kind: .missingTable, message: """
                the journal in \(location) is missing one of its tables (schema \(Self.schema), tables event and chain_head): \
                they were dropped or renamed; `gatehouse verify --journal \(location)` says what is left
                """)
        }
    }

    public func verify() throws -> ChainVerification {
        try verify(after: .genesis) { _ in }
    }

    /// Walks the chain after `head`, an event verified before, and checks that event is still
    /// the one verified, all in one snapshot of the database (an append committing meanwhile
    /// is not half seen).
    public func verify(after head: JournalHead, handing body: (JournalEvent) -> Void) throws -> ChainVerification {
        try connection.use { session in
            try session.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                try Self.verify(session, after: head, handing: body)
            }
        }
    }

    private static func verify(_ session: PostgresSession, after head: JournalHead,
                               handing body: (JournalEvent) -> Void) throws -> ChainVerification {
        let tables = try existingTables(session)
        if head.sequence > 0 {
            let stored = tables.event ? try storedHash(session, sequence: head.sequence) : nil
            guard stored == head.hash else {
                return .broken(sequence: head.sequence, reason: stored == nil
                    ? "the event is gone since it was verified: events were cut off or deleted"
                    : "its hash changed since it was verified: the event was rewritten")
            }
        }
        var walk = ChainWalk(from: head)
        let rows = tables.event ? try session.rows("\(unescaped: selectEvents) WHERE sequence > \(head.sequence) ORDER BY sequence") : []
        for row in rows {
            switch event(row) {
            case .success(let event):
                if let broken = walk.check(event) { return broken }
                body(event)
            case .failure(let error):
                return walk.unreadable(sequence: error.sequence, problem: error.problem)
            }
        }
        guard tables.chainHead, let recorded = try recordedHead(session) else {
            return .broken(sequence: max(walk.head.sequence, 1),
                           reason: "the journal's record of its last event (table chain_head) is missing or not readable: the journal's tables were edited")
        }
        return walk.end(recordedHead: recorded)
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
