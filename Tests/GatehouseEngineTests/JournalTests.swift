import Foundation
import GatehouseCore
import GRDB
import Testing
@testable import GatehouseEngine

/// The journal contract: every implementation passes these (SQLite in memory and on disk
/// today; PostgreSQL later).
struct JournalTests {
    enum Backing: String, CaseIterable { case memory, file }

    /// A journal with a clock that ticks 1 ms per read, and the file path when on disk.
    private static func makeJournal(_ backing: Backing) throws -> (any Journal, String?) {
        let ticks = Ticker()
        let clock = WallClock { ticks.next() }
        switch backing {
        case .memory:
            return (try SQLiteJournal(writer: DatabaseQueue(), clock: clock), nil)
        case .file:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)/journal.sqlite").path
            return (try SQLiteJournal(path: path, clock: clock), path)
        }
    }

    @Test(arguments: Backing.allCases)
    func appendsChainEachEventToTheOneBefore(backing: Backing) throws {
        let (journal, path) = try Self.makeJournal(backing)
        defer { Self.remove(path) }
        // When three events are appended
        let first = try journal.append(JournalEntry(runID: "r1", kind: "run.started", actor: "cli", payload: .object(["mode": .string("dryrun")])))
        let second = try journal.append(JournalEntry(runID: "r1", kind: "phase.started", actor: "runner"))
        let third = try journal.append(JournalEntry(runID: "r1", kind: "phase.completed", actor: "runner"))
        // Then they are numbered 1, 2, 3 and each links to the hash before it
        #expect([first.sequence, second.sequence, third.sequence] == [1, 2, 3])
        #expect(first.previousHash == JournalEvent.genesisHash)
        #expect(second.previousHash == first.hash && third.previousHash == second.hash)
        #expect(first.payload == #"{"mode":"dryrun"}"#)
        #expect(try journal.events(after: 1) == [second, third])
        #expect(try journal.verify() == .intact(count: 3, head: third.hash))
    }

    @Test(arguments: Backing.allCases)
    func anEmptyJournalVerifies(backing: Backing) throws {
        let (journal, path) = try Self.makeJournal(backing)
        defer { Self.remove(path) }
        #expect(try journal.verify() == .intact(count: 0, head: JournalEvent.genesisHash))
    }

    // MARK: - Tampering, on the file as an attacker would

    private func journalWithFiveEvents() throws -> (String, [JournalEvent]) {
        let (journal, path) = try Self.makeJournal(.file)
        let events = try (1...5).map { try journal.append(JournalEntry(runID: "r", kind: "k\($0)", actor: "a", payload: .object(["n": .int(Int64($0))]))) }
        return (path!, events)
    }

    private func tamper(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: sql) }
        try queue.close()
    }

    @Test(arguments: Backing.allCases)
    func aDecisionSeesEveryEventAppendedSinceTheCallersLastRead(backing: Backing) throws {
        let (journal, path) = try Self.makeJournal(backing)
        defer { Self.remove(path) }
        // Given a caller that last read event 1, and two events appended since by others
        try journal.append(JournalEntry(runID: "r", kind: "a", actor: "x"))
        try journal.append(JournalEntry(runID: "r", kind: "b", actor: "y"))
        try journal.append(JournalEntry(runID: "r", kind: "c", actor: "z"))
        // When it decides what to append
        var seen: [String] = []
        let appended = try journal.append(after: 1) { unseen in
            seen = unseen.map(\.kind)
            return [JournalEntry(runID: "r", kind: "d", actor: "me"), JournalEntry(runID: "r", kind: "e", actor: "me")]
        }
        // Then it saw them, and its entries follow them in one chain
        #expect(seen == ["b", "c"])
        #expect(appended.map(\.sequence) == [4, 5])
        #expect(try journal.verify() == .intact(count: 5, head: appended[1].hash))
        // And deciding to append nothing appends nothing
        #expect(try journal.append(after: 5) { _ in [] }.isEmpty)
        #expect(try journal.headSequence() == 5)
    }

    @Test func anEditedPayloadIsFound() throws {
        let (path, _) = try journalWithFiveEvents()
        defer { Self.remove(path) }
        try tamper(path, #"UPDATE event SET payload = '{"n":99}' WHERE sequence = 3"#)
        #expect(try SQLiteJournal(path: path).verify() == .broken(sequence: 3, reason: "its content does not match its hash: the event was edited"))
    }

    @Test func anEditedHashIsFound() throws {
        let (path, _) = try journalWithFiveEvents()
        defer { Self.remove(path) }
        try tamper(path, "UPDATE event SET hash = '\(String(repeating: "a", count: 64))' WHERE sequence = 4")
        guard case .broken(let sequence, _) = try SQLiteJournal(path: path).verify() else { Issue.record("not found"); return }
        #expect(sequence == 4)
    }

    @Test func aDeletedEventIsFound() throws {
        let (path, _) = try journalWithFiveEvents()
        defer { Self.remove(path) }
        try tamper(path, "DELETE FROM event WHERE sequence = 2")
        guard case .broken(let sequence, let reason) = try SQLiteJournal(path: path).verify() else { Issue.record("not found"); return }
        #expect(sequence == 2)
        #expect(reason.contains("missing or out of order"))
    }

    @Test func swappedEventsAreFound() throws {
        let (path, _) = try journalWithFiveEvents()
        defer { Self.remove(path) }
        // Swap the contents of events 2 and 3, keeping their numbers.
        try tamper(path, """
            UPDATE event SET sequence = 1000 WHERE sequence = 2;
            UPDATE event SET sequence = 2 WHERE sequence = 3;
            UPDATE event SET sequence = 3 WHERE sequence = 1000;
            """)
        guard case .broken(let sequence, _) = try SQLiteJournal(path: path).verify() else { Issue.record("not found"); return }
        #expect(sequence == 2)
    }

    @Test func anInsertedEventIsFound() throws {
        let (path, events) = try journalWithFiveEvents()
        defer { Self.remove(path) }
        // A forged sixth event that links correctly but was hashed by someone else's rules.
        try tamper(path, """
            INSERT INTO event VALUES (6, 0, 'r', 'approval', 'mallory', '{}', '\(events[4].hash)', '\(String(repeating: "b", count: 64))')
            """)
        #expect(try SQLiteJournal(path: path).verify() == .broken(sequence: 6, reason: "its content does not match its hash: the event was edited"))
    }

    @Test func aCutOffEndIsFound() throws {
        let (path, _) = try journalWithFiveEvents()
        defer { Self.remove(path) }
        // The chain of events 1...4 links up alone; only the recorded head says 5 is missing.
        try tamper(path, "DELETE FROM event WHERE sequence = 5")
        #expect(try SQLiteJournal(path: path).verify() == .broken(sequence: 5, reason: "event 5 is missing: the journal recorded event 5 as its last, so events were cut off its end"))
    }

    @Test func anEventAddedAtTheEndByTheJournalsOwnRulesIsFound() throws {
        let (path, events) = try journalWithFiveEvents()
        defer { Self.remove(path) }
        // A sixth event hashed exactly as the journal would have, inserted behind its back.
        let forged = JournalEvent(sequence: 6, timeMilliseconds: 9, runID: "r", kind: "approval", actor: "mallory",
                                  payload: .object([:]), previousHash: events[4].hash)
        try tamper(path, "INSERT INTO event VALUES (6, 9, 'r', 'approval', 'mallory', '{}', '\(events[4].hash)', '\(forged.hash)')")
        guard case .broken(let sequence, let reason) = try SQLiteJournal(path: path).verify() else { Issue.record("not found"); return }
        #expect(sequence == 6 && reason.contains("without being appended through the journal"))
    }

    @Test func aRewrittenLastEventWithAMatchingHashIsFound() throws {
        let (path, events) = try journalWithFiveEvents()
        defer { Self.remove(path) }
        var rewritten = events[4]
        rewritten.payload = #"{"n":50}"#
        rewritten.hash = rewritten.computedHash
        try tamper(path, #"UPDATE event SET payload = '{"n":50}', hash = '\#(rewritten.hash)' WHERE sequence = 5"#)
        guard case .broken(let sequence, let reason) = try SQLiteJournal(path: path).verify() else { Issue.record("not found"); return }
        #expect(sequence == 5 && reason.contains("rewritten"))
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

    @Test func verifyingAfterAVerifiedEventChecksOnlyWhatFollowsAndThatEvent() throws {
        let (path, events) = try journalWithFiveEvents()
        defer { Self.remove(path) }
        let journal = try SQLiteJournal(path: path)
        let verified = JournalHead(sequence: 5, hash: events[4].hash)
        // Given two more events appended after event 5 was verified
        let sixth = try journal.append(JournalEntry(runID: "r", kind: "k6", actor: "a"))
        let seventh = try journal.append(JournalEntry(runID: "r", kind: "k7", actor: "a"))
        #expect(try journal.verify(after: verified) == .intact(count: 7, head: seventh.hash))
        // An edit before the verified event is not read again; an edit after it is found
        try tamper(path, "UPDATE event SET actor = 'b' WHERE sequence = 2")
        #expect(try journal.verify(after: verified) == .intact(count: 7, head: seventh.hash))
        #expect(try journal.verify(after: JournalHead(sequence: 6, hash: sixth.hash)) == .intact(count: 7, head: seventh.hash))
        try tamper(path, "UPDATE event SET actor = 'b' WHERE sequence = 7")
        #expect(try journal.verify(after: verified) == .broken(sequence: 7, reason: "its content does not match its hash: the event was edited"))
        // And the verified event itself is checked
        try tamper(path, "UPDATE event SET hash = 'x' WHERE sequence = 5")
        #expect(try journal.verify(after: verified) == .broken(sequence: 5, reason: "its hash changed since it was verified: the event was rewritten"))
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

    // MARK: - Several writers

    @Test func twoWritersOnOneFileNeverForkTheChain() async throws {
        let (first, path) = try Self.makeJournal(.file)
        defer { Self.remove(path) }
        let second = try SQLiteJournal(path: path!)
        // When two journals on the same file append 50 events each at once
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (name, journal) in [("one", first), ("two", second as any Journal)] {
                group.addTask {
                    for index in 0..<50 {
                        _ = try journal.append(JournalEntry(runID: name, kind: "tick", actor: name, payload: .object(["i": .int(Int64(index))])))
                    }
                }
            }
            try await group.waitForAll()
        }
        // Then all 100 are in one unbroken chain
        guard case .intact(let count, _) = try first.verify() else { Issue.record("chain broken"); return }
        #expect(count == 100)
    }

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
