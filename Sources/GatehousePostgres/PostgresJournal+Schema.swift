import GatehouseCore
import PostgresNIO

/// The journal's tables, and opening them.
extension PostgresJournal {
    /// The schema the journal's tables are in.
    public static let schema = "gatehouse_journal"
    /// The channel every append notifies with the journal's new head sequence.
    public static let channel = "gatehouse_journal"
    /// The advisory lock taken while the tables are created ("gh-jrnl" in ASCII).
    static let schemaLockKey: Int64 = 0x6768_2D6A_726E_6C00

    /// Which of the journal's tables exist.
    struct Tables {
        var event: Bool
        var chainHead: Bool
    }

    static func existingTables(_ session: PostgresSession) throws -> Tables {
        let row = try session.rows("""
            SELECT to_regclass('gatehouse_journal.event') IS NOT NULL, to_regclass('gatehouse_journal.chain_head') IS NOT NULL
            """).first
        guard let (event, chainHead) = try row?.decode((Bool, Bool).self) else { return Tables(event: false, chainHead: false) }
        return Tables(event: event, chainHead: chainHead)
    }

    /// Checks the database keeps text as UTF-8 (byte for byte, as the hashes need), and creates
    /// the tables when neither is there.
    ///
    /// The tables are created in one transaction holding an advisory lock, so two processes
    /// opening a new journal at the same instant cannot both try (`CREATE … IF NOT EXISTS`
    /// alone races). Where one of the two tables is there and the other is not, the tables
    /// were edited: nothing is created, so that `verify` says so.
    ///
    /// `chain_head` holds the last event appended, by number and hash, written in the same
    /// transaction as the event: it finds a chain cut short or extended at its end, which links
    /// alone cannot. `hash` has no unique index (as in the SQLite journal): nothing looks an
    /// event up by it, and the chain already rules out two alike.
    static func prepare(_ session: PostgresSession, create: Bool) throws {
        let encoding = try session.rows("SHOW server_encoding").first?.decode(String.self) ?? "?"
        guard encoding == "UTF8" else {
            throw PostgresJournalError(kind: .notUTF8, message: """
                database '\(session.location.database)' on \(session.location.host):\(session.location.port) stores text as \(encoding), \
                and the journal's hashes need its text kept as UTF-8 byte for byte; use a database created with \
                `createdb --encoding=UTF8 --template=template0 NAME`
                """)
        }
        let tables = try existingTables(session)
        guard !tables.event && !tables.chainHead else { return }
        guard create else {
            throw PostgresJournalError(kind: .noJournal, message: """
                no journal in \(session.location) (it has no schema \(schema) with the journal's tables); \
                start a run with `gatehouse run --dry-run --journal \(session.location)`, which creates it
                """)
        }
        try session.transaction {
            try session.execute("SELECT pg_advisory_xact_lock(\(schemaLockKey))")
            try session.execute("CREATE SCHEMA IF NOT EXISTS gatehouse_journal")
            try session.execute("""
                CREATE TABLE IF NOT EXISTS gatehouse_journal.event (
                    sequence bigint PRIMARY KEY CHECK (sequence > 0),
                    time_ms bigint NOT NULL,
                    run text NOT NULL,
                    kind text NOT NULL,
                    actor text NOT NULL,
                    payload text NOT NULL,
                    previous_hash text NOT NULL,
                    hash text NOT NULL
                )
                """)
            try session.execute("CREATE INDEX IF NOT EXISTS event_run ON gatehouse_journal.event (run, sequence)")
            try session.execute("""
                CREATE TABLE IF NOT EXISTS gatehouse_journal.chain_head (
                    id integer PRIMARY KEY CHECK (id = 1),
                    sequence bigint NOT NULL,
                    hash text NOT NULL
                )
                """)
            try session.execute(PostgresQuery(unsafeSQL: createCheckpointTable))
            try session.execute("""
                INSERT INTO gatehouse_journal.chain_head (id, sequence, hash) VALUES (1, 0, \(JournalEvent.genesisHash))
                ON CONFLICT (id) DO NOTHING
                """)
        }
    }

    /// Locks the journal's record of its last event until the transaction ends: every appender
    /// queues here. Where the record was deleted (an edit), the table is locked instead.
    static func lockChainHead(_ session: PostgresSession) throws {
        let locked = try session.rows("SELECT id FROM gatehouse_journal.chain_head WHERE id = 1 FOR UPDATE")
        if locked.isEmpty {
            try session.execute("LOCK TABLE gatehouse_journal.chain_head IN EXCLUSIVE MODE")
        }
    }
}
