import GatehouseCore
import GatehouseEngine
import PostgresNIO

/// The journal's storage: transactions and statements on the journal's session.
extension PostgresJournal: ChainedStorage {
    /// A walk's snapshot: the session inside its transaction, and which tables were there.
    package struct ChainSnapshot {
        var session: PostgresSession
        var tables: Tables
    }

    /// The rows of a walk, each read strictly by its column types.
    package struct StoredRows: StoredEventRows {
        var rows: IndexingIterator<[PostgresRow]>

        package mutating func next() -> Result<JournalEvent, UnreadableEvent>? {
            rows.next().map(PostgresJournal.event)
        }
    }

    /// An append is one transaction that first locks the record of the last event: every
    /// appender, on any host, queues there.
    package func appending<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try using { session in
            try session.transaction {
                try Self.lockChainHead(session)
                return try body(session)
            }
        }
    }

    package func events(after sequence: Int64, in session: PostgresSession) throws -> [JournalEvent] {
        try Self.fetchEvents(session, after: sequence)
    }

    package func lastEvent(in session: PostgresSession) throws -> JournalHead {
        try Self.lastEvent(session)
    }

    /// Inserts the events, records the head and notifies watchers of it, on commit.
    package func store(_ events: [JournalEvent], head: JournalHead, in session: PostgresSession) throws {
        for event in events {
            try session.execute("""
                INSERT INTO gatehouse_journal.event (sequence, time_ms, run, kind, actor, payload, previous_hash, hash)
                VALUES (\(event.sequence), \(event.timeMilliseconds), \(event.runID), \(event.kind), \(event.actor),
                        \(event.payload), \(event.previousHash), \(event.hash))
                """)
        }
        try session.execute("""
            INSERT INTO gatehouse_journal.chain_head (id, sequence, hash) VALUES (1, \(head.sequence), \(head.hash))
            ON CONFLICT (id) DO UPDATE SET sequence = EXCLUDED.sequence, hash = EXCLUDED.hash
            """)
        try session.execute("SELECT pg_notify(\(Self.channel), \(String(head.sequence)))")
    }

    /// One `REPEATABLE READ READ ONLY` transaction: an append committing meanwhile is not half seen.
    package func walking<T>(_ body: (ChainSnapshot) throws -> T) throws -> T {
        try connection.use { session in
            try session.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                try body(ChainSnapshot(session: session, tables: Self.existingTables(session)))
            }
        }
    }

    package func storedHash(of sequence: Int64, in snapshot: ChainSnapshot) throws -> String? {
        snapshot.tables.event ? try Self.storedHash(snapshot.session, sequence: sequence) : nil
    }

    package func storedRows(after sequence: Int64, in snapshot: ChainSnapshot) throws -> StoredRows {
        let rows = snapshot.tables.event
            ? try snapshot.session.rows("\(unescaped: Self.selectEvents) WHERE sequence > \(sequence) ORDER BY sequence")
            : []
        return StoredRows(rows: rows.makeIterator())
    }

    package func recordedHead(in snapshot: ChainSnapshot) throws -> RecordedHead {
        guard snapshot.tables.chainHead, let recorded = try Self.recordedHead(snapshot.session) else { return .unreadable }
        return .recorded(recorded)
    }

    package var editedStorage: String { "the journal's tables were edited" }
}
