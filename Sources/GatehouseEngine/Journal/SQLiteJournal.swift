import Foundation
import GatehouseCore
import GRDB

/// The journal in an SQLite database (WAL mode), shared by any number of processes.
///
/// Every append is one `BEGIN IMMEDIATE` transaction that reads the chain head and inserts the
/// next event, with `synchronous = FULL`: two writers, in threads or processes, queue on
/// SQLite's write lock and can never fork the chain; the `sequence` primary key makes a fork
/// impossible even if they tried.
public struct SQLiteJournal: Journal {
    private let writer: any DatabaseWriter
    private let clock: WallClock

    /// Opens (creating if needed) the journal at `path`.
    public init(path: String, clock: WallClock = .system) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Opening switches the file to WAL mode, which SQLite reports as busy (without calling
        // the busy handler) while another process is opening or writing it: retry for a while.
        var attempt = 0
        while true {
            do {
                try self.init(writer: DatabasePool(path: path, configuration: Self.configuration()), clock: clock)
                return
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                attempt += 1
                if attempt > 200 { throw error }
                Thread.sleep(forTimeInterval: 0.005 * Double(min(attempt, 20)))
            }
        }
    }

    /// Opens an existing journal for reading only (a watcher): appends fail, nothing is created.
    public init(readingOnly path: String, clock: WallClock = .system) throws {
        var configuration = Self.configuration()
        configuration.readonly = true
        writer = try DatabasePool(path: path, configuration: configuration)
        self.clock = clock
    }

    /// A journal over an existing database connection (tests hand it an in-memory queue).
    public init(writer: any DatabaseWriter, clock: WallClock = .system) throws {
        self.writer = writer
        self.clock = clock
        try Self.createSchema(writer)
    }

    /// Busy waits instead of failing while another process holds the write lock; durable commits.
    static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return configuration
    }

    /// Creates the table if it is not there, in a write transaction, so that two processes
    /// opening a new journal at the same instant cannot both try (a migrator would race).
    private static func createSchema(_ writer: any DatabaseWriter) throws {
        try writer.writeWithoutTransaction { db in
            if try db.tableExists("event") { return }
            try db.inTransaction(.immediate) {
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS event (
                        sequence INTEGER PRIMARY KEY NOT NULL CHECK (sequence > 0),
                        time_ms INTEGER NOT NULL,
                        run TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        previous_hash TEXT NOT NULL,
                        hash TEXT NOT NULL UNIQUE
                    );
                    CREATE INDEX IF NOT EXISTS event_run ON event(run, sequence);
                    """)
                return .commit
            }
        }
    }

    public func append(after sequence: Int64, _ decide: ([JournalEvent]) throws -> [JournalEntry]) throws -> [JournalEvent] {
        try writer.writeWithoutTransaction { db in
            var appended: [JournalEvent] = []
            try db.inTransaction(.immediate) {
                let unseen = sequence == .max ? [] : try Self.fetchEvents(db, after: sequence)
                let entries = try decide(unseen)
                guard !entries.isEmpty else { return .commit }
                let head = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM event ORDER BY sequence DESC LIMIT 1")
                var nextSequence = (head?["sequence"] as Int64? ?? 0) + 1
                var previousHash: String = head?["hash"] ?? JournalEvent.genesisHash
                let time = clock.milliseconds()
                let insert = try db.cachedStatement(
                    sql: "INSERT INTO event (sequence, time_ms, run, kind, actor, payload, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                for entry in entries {
                    let event = JournalEvent(
                        sequence: nextSequence, timeMilliseconds: time, runID: entry.runID, kind: entry.kind,
                        actor: entry.actor, payload: entry.payload, previousHash: previousHash)
                    try insert.execute(arguments: [event.sequence, event.timeMilliseconds, event.runID, event.kind, event.actor,
                                                   event.payload, event.previousHash, event.hash])
                    appended.append(event)
                    nextSequence += 1
                    previousHash = event.hash
                }
                return .commit
            }
            return appended
        }
    }

    public func headSequence() throws -> Int64 {
        try writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT max(sequence) FROM event") ?? 0
        }
    }

    public func events(after sequence: Int64) throws -> [JournalEvent] {
        try writer.read { db in try Self.fetchEvents(db, after: sequence) }
    }

    private static func fetchEvents(_ db: Database, after sequence: Int64) throws -> [JournalEvent] {
        try Row.fetchAll(db, sql: "SELECT * FROM event WHERE sequence > ? ORDER BY sequence", arguments: [sequence])
            .map(Self.event)
    }

    public func verify() throws -> ChainVerification {
        try writer.read { db in
            // Stored order is rowid order: a reordered or renumbered row shows up as a gap.
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM event ORDER BY rowid")
            var events: [JournalEvent] = []
            while let row = try cursor.next() { events.append(Self.event(row)) }
            return ChainVerification.verify(events)
        }
    }

    private static func event(_ row: Row) -> JournalEvent {
        JournalEvent(sequence: row["sequence"], timeMilliseconds: row["time_ms"], runID: row["run"], kind: row["kind"],
                     actor: row["actor"], payload: row["payload"], previousHash: row["previous_hash"], hash: row["hash"])
    }
}
