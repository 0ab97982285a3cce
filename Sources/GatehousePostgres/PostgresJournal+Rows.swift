import GatehouseCore
import GatehouseEngine
import PostgresNIO

/// Reading the journal's rows, strictly by their column types.
extension PostgresJournal {
    /// The event columns, in the order ``event(_:)`` reads them.
    static let selectEvents = "SELECT sequence, time_ms, run, kind, actor, payload, previous_hash, hash FROM gatehouse_journal.event"

    static func fetchEvents(_ session: PostgresSession, after sequence: Int64) throws -> [JournalEvent] {
        try session.rows("\(unescaped: selectEvents) WHERE sequence > \(sequence) ORDER BY sequence").map { row in
            switch event(row) {
            case .success(let event): return event
            case .failure(let error): throw error
            }
        }
    }

    /// The head sequence, from the events themselves.
    static func readHead(_ session: PostgresSession) throws -> Int64 {
        try session.rows("SELECT coalesce(max(sequence), 0)::bigint FROM gatehouse_journal.event").first?.decode(Int64.self) ?? 0
    }

    /// The last event stored, the one the next event links to (``JournalHead/genesis`` for none).
    static func lastEvent(_ session: PostgresSession) throws -> JournalHead {
        guard let row = try session.rows("SELECT sequence, hash FROM gatehouse_journal.event ORDER BY sequence DESC LIMIT 1").first else {
            return .genesis
        }
        let cells = StrictCells(row)
        let sequence = try cells.integer(0, "sequence", of: 0)
        return JournalHead(sequence: sequence, hash: try cells.text(1, "hash", of: sequence))
    }

    /// The hash stored for event `sequence`; nil when there is no such event, and a text that
    /// is no hash when the field is not text.
    static func storedHash(_ session: PostgresSession, sequence: Int64) throws -> String? {
        guard let row = try session.rows("SELECT hash FROM gatehouse_journal.event WHERE sequence = \(sequence)").first else {
            return nil
        }
        do {
            return try StrictCells(row).text(0, "hash", of: sequence)
        } catch {
            return error.problem
        }
    }

    /// The last event the journal recorded appending; nil when the record is gone or unreadable.
    static func recordedHead(_ session: PostgresSession) throws -> JournalHead? {
        guard let row = try session.rows("SELECT sequence, hash FROM gatehouse_journal.chain_head WHERE id = 1").first else {
            return nil
        }
        let cells = StrictCells(row)
        guard let sequence = try? cells.integer(0, "sequence", of: 0), let hash = try? cells.text(1, "hash", of: 0) else { return nil }
        return JournalHead(sequence: sequence, hash: hash)
    }

    /// The event a stored row holds, or which field is not of its type (edited tables).
    ///
    /// Strict on the columns' types as the server reports them: the journal only ever writes
    /// integers and text, so a column whose type was changed (to a number with decimals, to
    /// bytes…) is an edit, found rather than converted.
    static func event(_ row: PostgresRow) -> Result<JournalEvent, UnreadableEvent> {
        let cells = StrictCells(row)
        let sequence = (try? cells.integer(0, "sequence", of: 0)) ?? 0
        do throws(UnreadableEvent) {
            return .success(JournalEvent(
                sequence: sequence, timeMilliseconds: try cells.integer(1, "time_ms", of: sequence),
                runID: try cells.text(2, "run", of: sequence), kind: try cells.text(3, "kind", of: sequence),
                actor: try cells.text(4, "actor", of: sequence), payload: try cells.text(5, "payload", of: sequence),
                previousHash: try cells.text(6, "previous_hash", of: sequence), hash: try cells.text(7, "hash", of: sequence)))
        } catch {
            return .failure(error)
        }
    }
}

/// The cells of one row, read only as the types the journal writes.
private struct StrictCells {
    private let cells: [PostgresCell]

    init(_ row: PostgresRow) {
        cells = Array(row)
    }

    /// The integer in cell `index`, of a column of an integer type.
    func integer(_ index: Int, _ column: String, of sequence: Int64) throws(UnreadableEvent) -> Int64 {
        let cell = cells[index]
        guard cell.bytes != nil, [.int8, .int4, .int2].contains(cell.dataType), let value = try? cell.decode(Int64.self) else {
            throw UnreadableEvent(sequence: sequence, problem: "its \(column) is \(Self.describe(cell)), not an integer")
        }
        return value
    }

    /// The text in cell `index`, of a column of a text type.
    func text(_ index: Int, _ column: String, of sequence: Int64) throws(UnreadableEvent) -> String {
        let cell = cells[index]
        guard cell.bytes != nil, [.text, .varchar].contains(cell.dataType), let value = try? cell.decode(String.self) else {
            throw UnreadableEvent(sequence: sequence, problem: "its \(column) is \(Self.describe(cell)), not text")
        }
        return value
    }

    /// What a cell holds, in the words ``SQLiteJournal`` uses for its storage classes.
    private static func describe(_ cell: PostgresCell) -> String {
        guard let bytes = cell.bytes else { return "NULL" }
        switch cell.dataType {
        case .int2, .int4, .int8: return "an integer"
        case .float4, .float8, .numeric: return "a real number"
        case .text, .varchar: return "text"
        case .bytea: return "a blob of \(bytes.readableBytes) bytes"
        default: return "of type \(cell.dataType.knownSQLName ?? "oid \(cell.dataType.rawValue)")"
        }
    }
}
