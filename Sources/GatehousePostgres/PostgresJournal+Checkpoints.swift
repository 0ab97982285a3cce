import GatehouseCore
import GatehouseEngine
import PostgresNIO

/// Checkpoints of the fold, in the table `gatehouse_journal.checkpoint` beside the events.
extension PostgresJournal {
    /// The statement creating the checkpoint table: run where a journal is created, and again
    /// (under the schema's lock) by the first checkpoint stored in a journal from before them.
    static let createCheckpointTable = """
        CREATE TABLE IF NOT EXISTS gatehouse_journal.checkpoint (
            sequence bigint PRIMARY KEY CHECK (sequence > 0),
            event_hash text NOT NULL,
            format bigint NOT NULL,
            state bytea NOT NULL,
            seal text NOT NULL
        )
        """

    /// The hash stored for event `sequence`, read as one row.
    public func eventHash(at sequence: Int64) throws -> String? {
        try using { try Self.storedHash($0, sequence: sequence) }
    }

    /// Stores the checkpoint in one transaction; one already at the same event is kept.
    ///
    /// The table is created here when the journal predates checkpoints, holding the lock its
    /// tables are created under, so that two appenders storing their first checkpoint at the
    /// same instant do not race.
    public func storeCheckpoint(_ checkpoint: LedgerCheckpoint, beforeCommit: () -> Void) throws {
        try using { session in
            try session.transaction {
                if try !Self.hasCheckpointTable(session) {
                    try session.execute("SELECT pg_advisory_xact_lock(\(Self.schemaLockKey))")
                    try session.execute(PostgresQuery(unsafeSQL: Self.createCheckpointTable))
                }
                try session.execute("""
                    INSERT INTO gatehouse_journal.checkpoint (sequence, event_hash, format, state, seal)
                    VALUES (\(checkpoint.sequence), \(checkpoint.eventHash), \(checkpoint.format),
                            \(ByteBuffer(bytes: checkpoint.state)), \(checkpoint.seal))
                    ON CONFLICT (sequence) DO NOTHING
                    """)
                beforeCommit()
            }
        }
    }

    /// None in a journal from before checkpoints.
    public func checkpointSequences() throws -> [Int64] {
        try using { session in
            guard try Self.hasCheckpointTable(session) else { return [] }
            return try session.rows("SELECT sequence FROM gatehouse_journal.checkpoint ORDER BY sequence")
                .compactMap { try? $0.decode(Int64.self) }
        }
    }

    /// A row whose columns are not of their types reads as a checkpoint that fails its seal.
    public func checkpoint(at sequence: Int64) throws -> LedgerCheckpoint? {
        try using { session in
            guard try Self.hasCheckpointTable(session),
                  let row = try session.rows("""
                      SELECT event_hash, format, state, seal FROM gatehouse_journal.checkpoint WHERE sequence = \(sequence)
                      """).first else { return nil }
            let cells = Array(row)
            let state = cells[2].bytes.map { Array($0.readableBytesView) } ?? []
            return LedgerCheckpoint(sequence: sequence, eventHash: (try? cells[0].decode(String.self)) ?? "",
                                    format: (try? cells[1].decode(Int64.self)) ?? -1, state: state,
                                    seal: (try? cells[3].decode(String.self)) ?? "")
        }
    }

    static func hasCheckpointTable(_ session: PostgresSession) throws -> Bool {
        try session.rows("SELECT to_regclass('gatehouse_journal.checkpoint') IS NOT NULL").first?.decode(Bool.self) ?? false
    }
}
