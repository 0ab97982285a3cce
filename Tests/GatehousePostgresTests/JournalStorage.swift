import Foundation
import GatehouseCore
import GatehouseEngine
import GatehousePostgres
import GatehouseTestSupport
import GRDB
import PostgresNIO
import Testing

/// The journals the shared suite runs on: every test of ``JournalContractTests`` passes on each.
enum JournalKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    /// The kinds to test: PostgreSQL unless a developer asked to skip it (GATEHOUSE_SKIP_POSTGRES=1).
    static let tested: [JournalKind] = TestServer.skipped ? [.sqlite] : allCases

    var testDescription: String { rawValue }
}

/// Where one test's journal is stored, for a kind: a new SQLite file, or a new PostgreSQL
/// database. Opens journals on it (each with a connection of its own, as another process
/// would), and edits what is stored behind the journals' backs, as someone with the file or
/// the superuser's password would.
final class JournalStorage: @unchecked Sendable {
    let kind: JournalKind
    private let directory: String?
    private let database: ScratchDatabase?
    /// The clock of the journals opened: 1, 2, 3… ms, shared so that times never repeat.
    let ticker = Ticker()

    init(_ kind: JournalKind) throws {
        self.kind = kind
        switch kind {
        case .sqlite:
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)").path
            database = nil
        case .postgres:
            directory = nil
            database = try TestServer.scratchDatabase("journal")
        }
    }

    /// The SQLite file, for an SQLite journal.
    var path: String? {
        directory.map { $0 + "/journal.sqlite" }
    }

    /// The PostgreSQL location, for a PostgreSQL journal.
    var location: PostgresLocation? {
        database?.location
    }

    /// A journal instance of its own on this storage (a new connection).
    func open() throws -> any Journal {
        let ticker = ticker
        let clock = WallClock { ticker.next() }
        switch kind {
        case .sqlite: return try SQLiteJournal(path: path!, clock: clock)
        case .postgres: return try PostgresJournal(location: location!, clock: clock)
        }
    }

    /// Runs SQL statements on the stored tables, bypassing the journal: on SQLite on the
    /// file, on PostgreSQL as the superuser with the journal's schema first in the search path.
    func tamper(_ statements: String...) throws {
        switch kind {
        case .sqlite:
            let queue = try DatabaseQueue(path: path!)
            try queue.write { db in
                for statement in statements { try db.execute(sql: statement) }
            }
            try queue.close()
        case .postgres:
            let session = try PostgresSession.connect(to: location!, applicationName: "gatehouse-tests tamper")
            defer { session.close() }
            try session.execute("SET search_path TO gatehouse_journal")
            for statement in statements { try session.execute(PostgresQuery(unsafeSQL: statement)) }
        }
    }

    /// Deletes the file or drops the database.
    func remove() {
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
        database?.drop()
    }
}

/// A clock for tests: 1, 2, 3, ... milliseconds.
final class Ticker: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64 = 0

    func next() -> Int64 {
        lock.withLock {
            value += 1
            return value
        }
    }
}

/// Runs `body` on `count` threads of its own at once (not the test's task pool, which blocking
/// database calls would tie up), each given its index; throws the first error any thread threw.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
    let errors = Collected<any Error>()
    let finished = DispatchGroup()
    let start = DispatchSemaphore(value: 0)
    for index in 0..<count {
        finished.enter()
        let thread = Thread {
            start.wait()
            do { try body(index) } catch { errors.add(error) }
            finished.leave()
        }
        thread.start()
    }
    for _ in 0..<count { start.signal() }
    finished.wait()
    if let error = errors.all.first { throw error }
}

/// Values collected from several threads.
final class Collected<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value] = []

    func add(_ value: Value) {
        lock.withLock { values.append(value) }
    }

    var all: [Value] {
        lock.withLock { values }
    }
}
