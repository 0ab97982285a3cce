import Foundation
import GatehouseCore
import GRDB
import GRDBSQLite

/// SQLite's SQLITE_TRANSIENT (copy the bound bytes now), which Swift does not import.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// The journal in an SQLite database (WAL mode), shared by any number of processes.
///
/// Every append is one `BEGIN IMMEDIATE` transaction that reads the chain head and inserts the
/// next event, with `synchronous = FULL`: two writers, in threads or processes, queue on
/// SQLite's write lock and can never fork the chain; the `sequence` primary key makes a fork
/// impossible even if they tried. The chain itself (numbering, links, the walk) is
/// ``ChainedStorage``'s: this type supplies the storage.
public struct SQLiteJournal: Journal {
    private let writer: any DatabaseWriter
    package let clock: WallClock

    /// Opens (creating if needed) the journal at `path`.
    ///
    /// A new journal is readable by its owner alone (0600, and SQLite gives its `-wal` and
    /// `-shm` files the same mode), in folders made 0700: on a shared host the journal's
    /// statements and log lines are nobody else's to read.
    public init(path: String, clock: WallClock = .system) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let created = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if created >= 0 { close(created) }
        // Opening switches the file to WAL mode, which SQLite reports as busy (without calling
        // the busy handler) while another process is opening or writing it: retry for a while.
        var attempt = 0
        while true {
            do {
                try self.init(writer: DatabasePool(path: path, configuration: Self.configuration()), clock: clock)
                return
            } catch let error where Self.isTransientOpenFailure(error) {
                attempt += 1
                if attempt > 200 { throw error }
                Thread.sleep(forTimeInterval: 0.005 * Double(min(attempt, 20)))
            } catch {
                throw JournalUnwritable(error, path: path) ?? error
            }
        }
    }

    /// Whether opening failed only because another process was opening or closing the file.
    ///
    /// Besides SQLite's busy codes: GRDB checks that the `-wal` file exists and then reads its
    /// size, and the last connection of another process deletes the file when it closes; the
    /// size read then fails with "no such file" although nothing is wrong.
    private static func isTransientOpenFailure(_ error: any Error) -> Bool {
        if let error = error as? DatabaseError {
            return error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
        }
        let cocoa = error as NSError
        return cocoa.domain == NSCocoaErrorDomain
            && (cocoa.code == CocoaError.fileReadNoSuchFile.rawValue || cocoa.code == CocoaError.fileNoSuchFile.rawValue)
    }

    /// Opens an existing journal for reading only (a watcher): appends fail, nothing is created.
    ///
    /// One connection, not a pool: a watcher reads from one thread, and a pool's bookkeeping
    /// (a reader checked out and back per read) would cost an idle watcher more than its reads.
    public init(readingOnly path: String, clock: WallClock = .system) throws {
        var configuration = Self.configuration()
        configuration.readonly = true
        writer = try DatabaseQueue(path: path, configuration: configuration)
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

    /// Creates the tables that are not there, in a write transaction, so that two processes
    /// opening a new journal at the same instant cannot both try (a migrator would race).
    ///
    /// `hash` has no unique index (an older journal may have one; it does no harm): nothing
    /// looks an event up by its hash, the chain already rules out two alike, and such an index
    /// costs every append a write to a random page of it.
    ///
    /// `chain_head` holds the last event appended, by number and hash, written in the same
    /// transaction as the event: it finds a chain cut short or extended at its end, which links
    /// alone cannot. A journal from before it gets one recording its last event as it is.
    private static func createSchema(_ writer: any DatabaseWriter) throws {
        try writer.writeWithoutTransaction { db in
            if try db.tableExists("event"), try db.tableExists("chain_head"), try db.tableExists("checkpoint") { return }
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
                        hash TEXT NOT NULL
                    );
                    CREATE INDEX IF NOT EXISTS event_run ON event(run, sequence);
                    CREATE TABLE IF NOT EXISTS chain_head (
                        id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
                        sequence INTEGER NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE TABLE IF NOT EXISTS checkpoint (
                        sequence INTEGER PRIMARY KEY NOT NULL CHECK (sequence > 0),
                        event_hash TEXT NOT NULL,
                        format INTEGER NOT NULL,
                        state BLOB NOT NULL,
                        seal TEXT NOT NULL
                    );
                    INSERT OR IGNORE INTO chain_head (id, sequence, hash)
                        SELECT 1, coalesce(max(sequence), 0),
                               coalesce((SELECT hash FROM event ORDER BY sequence DESC LIMIT 1), '\(JournalEvent.genesisHash)')
                        FROM event;
                    """)
                return .commit
            }
        }
    }

    /// Appends in one `BEGIN IMMEDIATE` transaction; a full disk or a read-only file throws
    /// ``JournalUnwritable``.
    public func append(after sequence: Int64, _ decide: ([JournalEvent]) throws -> [JournalEntry]) throws -> [JournalEvent] {
        do {
            return try appendChained(after: sequence, decide)
        } catch {
            throw JournalUnwritable(error, path: writer.path) ?? error
        }
    }

    /// An inotify watch on the file and its write-ahead log (Linux); nil for a database in memory.
    public func changeNotice() -> JournalChangeNotice? {
        writer.path.isEmpty || writer.path.hasPrefix(":memory:") ? nil : JournalChangeNotice(sqlitePath: writer.path)
    }

    /// Runs the prepared `INSERT INTO event` for `event`, binding its fields with SQLite's own
    /// calls: in a batch, GRDB's argument handling (eight values boxed and validated per row)
    /// cost as much as the insert.
    private static func insert(_ event: JournalEvent, with statement: Statement, in db: Database) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        func bind(_ text: String, at index: Int32) {
            var text = text
            text.withUTF8 { bytes in
                // A null pointer would bind NULL, not empty text.
                guard let start = bytes.baseAddress, !bytes.isEmpty else {
                    _ = sqlite3_bind_text(handle, index, "", 0, sqliteTransient)
                    return
                }
                _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self),
                                      Int32(bytes.count), sqliteTransient)
            }
        }
        sqlite3_bind_int64(handle, 1, event.sequence)
        sqlite3_bind_int64(handle, 2, event.timeMilliseconds)
        bind(event.runID, at: 3)
        bind(event.kind, at: 4)
        bind(event.actor, at: 5)
        bind(event.payload, at: 6)
        bind(event.previousHash, at: 7)
        bind(event.hash, at: 8)
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    public func headSequence() throws -> Int64 {
        // Each watcher asks ten times a second: one cached statement, which is a read
        // transaction of its own, without a BEGIN and a COMMIT around it.
        try writer.unsafeRead { db in
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(sequence) FROM event")) ?? 0
        }
    }

    public func events(after sequence: Int64) throws -> [JournalEvent] {
        try writer.read { db in try Self.fetchEvents(db, after: sequence) }
    }

    public func events(after sequence: Int64, _ body: (JournalEvent) throws -> Void) throws {
        try writer.read { db in try Self.forEachEvent(db, after: sequence, body) }
    }

    /// The events without their hashes (empty), which SQLite then neither copies out nor
    /// Swift turns into strings.
    public func eventsForFolding(after sequence: Int64, _ body: (JournalEvent) throws -> Void) throws {
        try writer.read { db in try Self.forEachEvent(db, after: sequence, columns: StoredEventCursor.columnsWithoutHashes, body) }
    }

    private static func fetchEvents(_ db: Database, after sequence: Int64) throws -> [JournalEvent] {
        var events: [JournalEvent] = []
        try forEachEvent(db, after: sequence) { events.append($0) }
        return events
    }

    private static func forEachEvent(_ db: Database, after sequence: Int64, columns: String = StoredEventCursor.columns,
                                     _ body: (JournalEvent) throws -> Void) throws {
        let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM event WHERE sequence > ? ORDER BY sequence")
        try StoredEventCursor(statement, arguments: [sequence]).forEach { try body(try $0.get()) }
    }

    /// Walks the whole chain in one read transaction (a WAL snapshot of the file).
    public func verify() throws -> ChainVerification {
        try verifyChain()
    }

    /// A watcher verifies the whole chain once, then only what was appended, folding each
    /// event as the walk hands it over; the walk reads the rows through ``StoredEventCursor``.
    public func verify(after head: JournalHead, handing body: (JournalEvent) -> Void) throws -> ChainVerification {
        try verifyChain(after: head, handing: body)
    }
}

/// The journal's storage: SQLite transactions, prepared statements and the cursor.
extension SQLiteJournal: ChainedStorage {
    /// Appends are one `BEGIN IMMEDIATE` transaction: the write lock is held from the first read.
    package func appending<T>(_ body: (Database) throws -> T) throws -> T {
        try writer.inImmediateTransaction(body)
    }

    package func events(after sequence: Int64, in db: Database) throws -> [JournalEvent] {
        try Self.fetchEvents(db, after: sequence)
    }

    package func lastEvent(in db: Database) throws -> JournalHead {
        let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT sequence, hash FROM event ORDER BY sequence DESC LIMIT 1"))
        return JournalHead(sequence: head?["sequence"] as Int64? ?? 0, hash: head?["hash"] ?? JournalEvent.genesisHash)
    }

    package func store(_ events: [JournalEvent], head: JournalHead, in db: Database) throws {
        let insert = try db.cachedStatement(
            sql: "INSERT INTO event (sequence, time_ms, run, kind, actor, payload, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        for event in events {
            try Self.insert(event, with: insert, in: db)
        }
        try db.execute(sql: "INSERT OR REPLACE INTO chain_head (id, sequence, hash) VALUES (1, ?, ?)",
                       arguments: [head.sequence, head.hash])
    }

    package func walking<T>(_ body: (Database) throws -> T) throws -> T {
        try writer.read(body)
    }

    package func storedHash(of sequence: Int64, in db: Database) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT hash FROM event WHERE sequence = ?"), arguments: [sequence])
    }

    /// Stored order is rowid (= sequence) order: a renumbered row shows up as a gap.
    package func storedRows(after sequence: Int64, in db: Database) throws -> StoredEventCursor {
        try StoredEventCursor(
            db.cachedStatement(sql: "SELECT \(StoredEventCursor.columns) FROM event WHERE rowid > ? ORDER BY rowid"),
            arguments: [sequence])
    }

    /// The last event the journal recorded appending.
    package func recordedHead(in db: Database) throws -> RecordedHead {
        guard try db.tableExists("chain_head") else { return .notKept }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT sequence, hash FROM chain_head WHERE id = 1")),
              let sequence = Int64.fromDatabaseValue(row["sequence"]), let hash = String.fromDatabaseValue(row["hash"]) else {
            return .unreadable
        }
        return .recorded(JournalHead(sequence: sequence, hash: hash))
    }

    package var editedStorage: String { "the file was edited" }

    // MARK: - Checkpoints

    public func eventHash(at sequence: Int64) throws -> String? {
        try writer.read { db in try storedHash(of: sequence, in: db) }
    }

    public func storeCheckpoint(_ checkpoint: LedgerCheckpoint, beforeCommit: () -> Void) throws {
        do {
            try writer.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try db.execute(sql: "INSERT OR IGNORE INTO checkpoint (sequence, event_hash, format, state, seal) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [checkpoint.sequence, checkpoint.eventHash, checkpoint.format, Data(checkpoint.state), checkpoint.seal])
                    beforeCommit()
                    return .commit
                }
            }
        } catch {
            throw JournalUnwritable(error, path: writer.path) ?? error
        }
    }

    /// None in a journal from before checkpoints that is opened read-only (no table to read).
    public func checkpointSequences() throws -> [Int64] {
        try writer.read { db in
            guard try db.tableExists("checkpoint") else { return [] }
            return try Int64.fetchAll(db, sql: "SELECT sequence FROM checkpoint ORDER BY sequence")
        }
    }

    /// A row whose columns are not of their types reads as a checkpoint that fails its seal.
    public func checkpoint(at sequence: Int64) throws -> LedgerCheckpoint? {
        try writer.read { db in
            guard try db.tableExists("checkpoint"),
                  let row = try Row.fetchOne(db, sql: "SELECT event_hash, format, state, seal FROM checkpoint WHERE sequence = ?",
                                             arguments: [sequence]) else { return nil }
            let state: [UInt8] = (Data.fromDatabaseValue(row["state"]) ?? String.fromDatabaseValue(row["state"]).map { Data($0.utf8) })
                .map(Array.init) ?? []
            return LedgerCheckpoint(sequence: sequence, eventHash: String.fromDatabaseValue(row["event_hash"]) ?? "",
                                    format: Int64.fromDatabaseValue(row["format"]) ?? -1, state: state,
                                    seal: String.fromDatabaseValue(row["seal"]) ?? "")
        }
    }
}

/// The journal's file cannot be written: a full disk, a read-only file or folder, an I/O error.
public struct JournalUnwritable: Error, Equatable, CustomStringConvertible {
    /// The journal file.
    public var path: String
    /// What SQLite said.
    public var cause: String

    public init(path: String, cause: String) {
        self.path = path
        self.cause = cause
    }

    /// `error` as a write failure of the journal at `path`, or nil if it is something else.
    init?(_ error: any Error, path: String) {
        guard let error = error as? DatabaseError,
              [.SQLITE_FULL, .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM].contains(error.resultCode) else {
            return nil
        }
        self.init(path: path, cause: "SQLite: \(error.message ?? "\(error.resultCode)")")
    }

    public var description: String {
        "the journal \(path) cannot be written (\(cause)): is the disk full, or the file or its folder read-only? Nothing more was recorded; free space or fix the permissions, then resume the run (`gatehouse resume RUN`)"
    }
}
