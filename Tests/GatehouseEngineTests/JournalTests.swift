import Foundation
import GatehouseCore
import GRDB
import Testing
@testable import GatehouseEngine

/// What only the SQLite journal does: a database handed in (in memory), a type per stored
/// value, journals from before the head record, the file's location. The journal contract
/// itself, on SQLite and PostgreSQL alike, is `JournalContractTests` (GatehousePostgresTests).
struct JournalTests {
    /// A journal on a new file, with a clock that ticks 1 ms per read, and the file's path.
    private static func makeJournal() throws -> (any Journal, String) {
        let ticks = Ticker()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)/journal.sqlite").path
        return (try SQLiteJournal(path: path, clock: WallClock { ticks.next() }), path)
    }

    @Test func aJournalOnADatabaseInMemoryChainsAndVerifies() throws {
        let ticks = Ticker()
        let journal = try SQLiteJournal(writer: DatabaseQueue(), clock: WallClock { ticks.next() })
        #expect(try journal.verify() == .intact(count: 0, head: JournalEvent.genesisHash))
        let first = try journal.append(JournalEntry(runID: "r", kind: "a", actor: "x"))
        let second = try journal.append(JournalEntry(runID: "r", kind: "b", actor: "x"))
        #expect(second.previousHash == first.hash)
        #expect(try journal.verify() == .intact(count: 2, head: second.hash))
    }

    // MARK: - Tampering with the types SQLite stores per value, and the head record

    private func journalWithFiveEvents() throws -> (String, [JournalEvent]) {
        let (journal, path) = try Self.makeJournal()
        let events = try (1...5).map { try journal.append(JournalEntry(runID: "r", kind: "k\($0)", actor: "a", payload: .object(["n": .int(Int64($0))]))) }
        return (path, events)
    }

    private func tamper(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: sql) }
        try queue.close()
    }

    @Test(arguments: [
        ("time_ms", "'soon'", "its time_ms is text, not an integer: the event was edited"),
        // GRDB would read 2.5 as 2 (and 3.5 as 3, whose hash matches): the storage class is checked.
        ("time_ms", "3.5", "its time_ms is a real number, not an integer: the event was edited"),
        ("payload", "x'ff00fe'", "its payload is a blob of 3 bytes, not text: the event was edited"),
        ("payload", #"CAST('{"n":3}' AS BLOB)"#, "its payload is a blob of 7 bytes, not text: the event was edited"),
    ])
    func aFieldOfTheWrongTypeIsFoundNotACrash(column: String, value: String, reason: String) throws {
        let (path, _) = try journalWithFiveEvents()
        defer { Self.remove(path) }
        try tamper(path, "UPDATE event SET \(column) = \(value) WHERE sequence = 3")
        let journal = try SQLiteJournal(path: path)
        #expect(try journal.verify() == .broken(sequence: 3, reason: reason))
        // And reading the events is an error that says where, not a trap.
        #expect(throws: UnreadableEvent.self) { try journal.events(after: 0) }
        #expect(try journal.events(after: 3).count == 2)
    }

    @Test func aJournalFromBeforeTheHeadRecordGetsOneOnOpening() throws {
        let (path, events) = try journalWithFiveEvents()
        defer { Self.remove(path) }
        try tamper(path, "DROP TABLE chain_head")
        // Read-only, it verifies by links alone
        #expect(try SQLiteJournal(readingOnly: path).verify() == .intact(count: 5, head: events[4].hash))
        // Opened to write, it records its last event as it is, and a cut is found from then on
        _ = try SQLiteJournal(path: path)
        try tamper(path, "DELETE FROM event WHERE sequence = 5")
        guard case .broken(let sequence, _) = try SQLiteJournal(readingOnly: path).verify() else { Issue.record("not found"); return }
        #expect(sequence == 5)
    }

    // MARK: - Where it is

    @Test func locationFollowsOptionThenEnvironmentThenXDG() {
        #expect(JournalLocation.resolve(option: "/j.sqlite", environment: ["GATEHOUSE_JOURNAL": "/e.sqlite"]) == "/j.sqlite")
        #expect(JournalLocation.resolve(option: nil, environment: ["GATEHOUSE_JOURNAL": "/e.sqlite"]) == "/e.sqlite")
        #expect(JournalLocation.resolve(option: nil, environment: ["XDG_STATE_HOME": "/state", "HOME": "/home/x"]) == "/state/gatehouse/journal.sqlite")
        #expect(JournalLocation.resolve(option: nil, environment: ["HOME": "/home/x"]) == "/home/x/.local/state/gatehouse/journal.sqlite")
    }

    private static func remove(_ path: String?) {
        guard let path else { return }
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }
}

/// A clock for tests: 1, 2, 3, ... milliseconds.
final class Ticker: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64 = 0

    func next() -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
