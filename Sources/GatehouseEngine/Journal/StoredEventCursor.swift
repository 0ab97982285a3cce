import GatehouseCore
import GRDB
import GRDBSQLite

/// Iterates the stored events a statement selects, reading each column straight from SQLite.
///
/// The statement selects `sequence, time_ms, run, kind, actor, payload, previous_hash, hash`
/// in that order. Columns are read by position with SQLite's own accessors rather than
/// through GRDB rows (which look each column up by name and copy every value first): a
/// watcher and a replay read every event, and this is most of what reading costs.
///
/// Strict on SQLite's storage classes: the journal only ever writes integers and text, so a
/// real number (which a lenient read would truncate to an integer), a blob or a NULL is an
/// edit, reported as an ``UnreadableEvent`` element rather than a thrown error.
package final class StoredEventCursor: DatabaseCursor {
    package typealias Element = Result<JournalEvent, UnreadableEvent>

    /// The columns, in the order the statement must select them.
    static let columns = "sequence, time_ms, run, kind, actor, payload, previous_hash, hash"
    /// The columns with empty text for the two hashes (for a fold, which does not use them).
    static let columnsWithoutHashes = "sequence, time_ms, run, kind, actor, payload, '', ''"

    package let _statement: Statement
    package var _isDone = false

    /// A cursor over `statement` run with `arguments`.
    init(_ statement: Statement, arguments: StatementArguments) throws {
        _statement = statement
        try statement.setArguments(arguments)
    }

    deinit {
        // A cursor left before its end would otherwise keep its read transaction open.
        sqlite3_reset(_statement.sqliteStatement)
    }

    package func _element(sqliteStatement: SQLiteStatement) -> Element {
        let sequence = sqlite3_column_int64(sqliteStatement, 0)
        func integer(_ column: Int32, _ name: String) throws(UnreadableEvent) -> Int64 {
            guard sqlite3_column_type(sqliteStatement, column) == SQLITE_INTEGER else {
                throw UnreadableEvent(sequence: sequence, problem: "its \(name) is \(Self.describe(sqliteStatement, column)), not an integer")
            }
            return sqlite3_column_int64(sqliteStatement, column)
        }
        func text(_ column: Int32, _ name: String) throws(UnreadableEvent) -> String {
            guard sqlite3_column_type(sqliteStatement, column) == SQLITE_TEXT else {
                throw UnreadableEvent(sequence: sequence, problem: "its \(name) is \(Self.describe(sqliteStatement, column)), not text")
            }
            guard let start = sqlite3_column_text(sqliteStatement, column) else { return "" }
            let count = Int(sqlite3_column_bytes(sqliteStatement, column))
            return String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
        }
        do throws(UnreadableEvent) {
            return .success(JournalEvent(sequence: sequence, timeMilliseconds: try integer(1, "time_ms"), runID: try text(2, "run"),
                                         kind: try text(3, "kind"), actor: try text(4, "actor"), payload: try text(5, "payload"),
                                         previousHash: try text(6, "previous_hash"), hash: try text(7, "hash")))
        } catch {
            return .failure(error)
        }
    }

    /// What a column holds, in words, for an error message.
    private static func describe(_ statement: SQLiteStatement, _ column: Int32) -> String {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_NULL: "NULL"
        case SQLITE_INTEGER: "an integer"
        case SQLITE_FLOAT: "a real number"
        case SQLITE_TEXT: "text"
        default: "a blob of \(sqlite3_column_bytes(statement, column)) bytes"
        }
    }
}

/// The rows a walk of ``SQLiteJournal``'s chain reads: GRDB's `next()` steps the statement.
extension StoredEventCursor: StoredEventRows {}
