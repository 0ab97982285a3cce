import Foundation
import GatehouseCore
import GatehouseEngine
import GatehousePostgres
import GatehouseTestSupport
import Testing

/// The journal contract: the SQLite journal and the PostgreSQL journal both pass every test
/// here, on the same events, with the same hashes and the same verdicts.
///
/// Each test gets storage of its own (a new SQLite file, a new PostgreSQL database); "another
/// process" is another journal instance on it, with a connection of its own.
@Suite("The journal contract, on SQLite and on PostgreSQL")
struct JournalContractTests {
    // MARK: - Appending and reading

    @Test(arguments: JournalKind.tested)
    func appendsChainEachEventToTheOneBefore(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        let journal = try storage.open()
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
        #expect(try journal.headSequence() == 3)
        #expect(try journal.verify() == .intact(count: 3, head: third.hash))
    }

    @Test(arguments: JournalKind.tested)
    func anEmptyJournalVerifies(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        let journal = try storage.open()
        #expect(try journal.headSequence() == 0)
        #expect(try journal.events(after: 0).isEmpty)
        #expect(try journal.verify() == .intact(count: 0, head: JournalEvent.genesisHash))
    }

    @Test(arguments: JournalKind.tested)
    func aReopenedJournalHoldsItsEventsAndChainsOnAfterThem(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        // Given a journal of two events, closed
        var written: [JournalEvent] = []
        do {
            let journal = try storage.open()
            written.append(try journal.append(JournalEntry(runID: "r", kind: "a", actor: "x")))
            written.append(try journal.append(JournalEntry(runID: "r", kind: "b", actor: "x")))
        }
        // When it is opened again and appended to
        let reopened = try storage.open()
        #expect(try reopened.events(after: 0) == written)
        let third = try reopened.append(JournalEntry(runID: "r", kind: "c", actor: "y"))
        // Then the new event chains to the last one written before
        #expect(third.sequence == 3 && third.previousHash == written[1].hash)
        #expect(try reopened.verify() == .intact(count: 3, head: third.hash))
    }

    @Test(arguments: JournalKind.tested)
    func payloadTextIsStoredByteForByte(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        let journal = try storage.open()
        // Given text a database might normalise, convert or trim: accents composed and not,
        // an emoji, quotes, a backslash, control characters, trailing spaces
        let payload = JSONValue.object([
            "composed": .string("é"), "decomposed": .string("e\u{301}"), "emoji": .string("🚦"),
            "quotes": .string(#"'single' "double" \ back"#), "control": .string("tab\there\u{1}\nline"),
            "trailing": .string("spaces   "),
        ])
        let appended = try journal.append(JournalEntry(runID: "rün", kind: "note", actor: "Zoë 'ops'", payload: payload))
        // Then what is read back is the very text hashed, and another instance verifies it
        let read = try storage.open().events(after: 0)
        #expect(read == [appended])
        #expect(Array(read[0].payload.utf8) == Array(payload.canonical.utf8))
        #expect(try storage.open().verify() == .intact(count: 1, head: appended.hash))
    }

    // MARK: - Read, decide, append

    @Test(arguments: JournalKind.tested)
    func aDecisionSeesEveryEventAppendedSinceTheCallersLastRead(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        let journal = try storage.open()
        let others = try storage.open()
        // Given a caller that last read event 1, and two events appended since by another process
        try journal.append(JournalEntry(runID: "r", kind: "a", actor: "x"))
        try others.append(JournalEntry(runID: "r", kind: "b", actor: "y"))
        try others.append(JournalEntry(runID: "r", kind: "c", actor: "z"))
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

    @Test(arguments: JournalKind.tested)
    func aDecisionThatThrowsAppendsNothing(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        let journal = try storage.open()
        let first = try journal.append(JournalEntry(runID: "r", kind: "a", actor: "x"))
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try journal.append(after: 0) { _ in throw Refused() }
        }
        // And the journal is usable at once, by this instance and any other
        let second = try journal.append(JournalEntry(runID: "r", kind: "b", actor: "x"))
        #expect(second.sequence == 2 && second.previousHash == first.hash)
        #expect(try storage.open().verify() == .intact(count: 2, head: second.hash))
    }

    // MARK: - Several writers

    @Test(arguments: JournalKind.tested)
    func writersOnSeparateConnectionsNeverForkTheChain(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        _ = try storage.open()
        // When 8 writers, each with a journal instance of its own, append 25 events each at once
        try onThreads(8) { writer in
            let journal = try storage.open()
            for index in 0..<25 {
                try journal.append(JournalEntry(runID: "w\(writer)", kind: "tick", actor: "w\(writer)", payload: .object(["i": .int(Int64(index))])))
            }
        }
        // Then all 200 are in one unbroken chain, each writer's in the order it appended them
        let journal = try storage.open()
        guard case .intact(let count, _) = try journal.verify() else { Issue.record("the chain is broken"); return }
        #expect(count == 200)
        let events = try journal.events(after: 0)
        for writer in 0..<8 {
            let mine = events.filter { $0.runID == "w\(writer)" }.map(\.payload)
            #expect(mine == (0..<25).map { #"{"i":\#($0)}"# })
        }
    }

    @Test(arguments: JournalKind.tested)
    func threadsSharingOneInstanceNeverForkTheChain(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        let journal = try storage.open()
        try onThreads(6) { writer in
            for _ in 0..<20 { try journal.append(JournalEntry(runID: "t\(writer)", kind: "tick", actor: "t")) }
        }
        #expect(try journal.headSequence() == 120)
        guard case .intact(let count, _) = try journal.verify() else { Issue.record("the chain is broken"); return }
        #expect(count == 120)
    }

    @Test(arguments: JournalKind.tested)
    func concurrentDecisionsEachSeeTheOneBefore(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        _ = try storage.open()
        // Given 6 processes that each count on from the last count they see, from a stale read
        try onThreads(6) { _ in
            let journal = try storage.open()
            for _ in 0..<15 {
                try journal.append(after: 0) { unseen in
                    let last = unseen.last.flatMap { Int64($0.kind.dropFirst("count ".count)) } ?? 0
                    return [JournalEntry(runID: "c", kind: "count \(last + 1)", actor: "counter")]
                }
            }
        }
        // Then no count was lost or repeated: every decision saw every append before it
        let counts = try storage.open().events(after: 0).map(\.kind)
        #expect(counts == (1...90).map { "count \($0)" })
    }

    @Test(arguments: JournalKind.tested)
    func aStoreThatHasNotReadTheLatestEventsStillDecidesOnThem(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        let runner = try RunStore(journal: storage.open())
        let approver = try RunStore(journal: storage.open())
        try RunFixtures.start(runner, "r1")
        try RunFixtures.reachSG1(runner, "r1")
        // Given an approver whose view is stale (it has not refreshed since the run started)
        #expect(approver.ledger["r1"] == nil)
        // When it approves, the decision is made against the journal as it is now
        try approver.record(RunFixtures.approval("alice"), run: "r1", actor: "alice")
        #expect(approver.ledger["r1"]?.approval(of: "SG_1")?.decision.by == "alice")
    }

    @Test(arguments: JournalKind.tested)
    func twoApproversAtTheSameInstantOneCounts(kind: JournalKind) throws {
        for _ in 0..<3 {
            let storage = try JournalStorage(kind)
            defer { storage.remove() }
            let setup = try RunStore(journal: storage.open())
            try RunFixtures.start(setup, "r1")
            try RunFixtures.reachSG1(setup, "r1")
            // Given two approvers with their own connections, as two processes would have
            let outcomes = Collected<String>()
            // When both approve at once
            try onThreads(2) { index in
                let name = ["alice", "bob"][index]
                let store = try RunStore(journal: storage.open())
                do {
                    try store.record(RunFixtures.approval(name), run: "r1", actor: name)
                    outcomes.add("ok")
                } catch let refusal as RunRefusal {
                    outcomes.add(refusal.message)
                }
            }
            // Then exactly one approval counts and the other is told it came too late
            #expect(outcomes.all.filter { $0 == "ok" }.count == 1)
            #expect(outcomes.all.contains { $0.contains("too late") })
            try setup.refresh()
            #expect(setup.ledger["r1"]?.decisions.count == 1)
            #expect(setup.ledger["r1"]?.refusals.count == 1)
            #expect(setup.ledger.anomalies.isEmpty)
            if case .broken = try setup.journal.verify() { Issue.record("the chain forked") }
        }
    }

    @Test(arguments: JournalKind.tested)
    func theHeadFollowsAnotherInstancesAppends(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        let watcher = try storage.open()
        let writer = try storage.open()
        #expect(try watcher.headSequence() == 0)
        // When another instance appends
        try writer.append(JournalEntry(runID: "r", kind: "a", actor: "x"))
        try writer.append(JournalEntry(runID: "r", kind: "b", actor: "x"))
        // Then the watcher's head comes to it (on PostgreSQL when the notification arrives:
        // the deadline only stops a test that would otherwise hang)
        #expect(try eventually { try watcher.headSequence() == 2 })
        #expect(try watcher.events(after: 0).map(\.kind) == ["a", "b"])
    }

    // MARK: - Tampering, on the stored tables as an attacker would

    /// A journal of five events, each with payload `{"n":N}`.
    private func fiveEvents(_ storage: JournalStorage) throws -> [JournalEvent] {
        let journal = try storage.open()
        return try (1...5).map { try journal.append(JournalEntry(runID: "r", kind: "k\($0)", actor: "a", payload: .object(["n": .int(Int64($0))]))) }
    }

    @Test(arguments: JournalKind.tested)
    func anEditedPayloadIsFound(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        _ = try fiveEvents(storage)
        try storage.tamper(#"UPDATE event SET payload = '{"n":99}' WHERE sequence = 3"#)
        #expect(try storage.open().verify() == .broken(sequence: 3, reason: "its content does not match its hash: the event was edited"))
    }

    @Test(arguments: JournalKind.tested)
    func anEditedHashIsFound(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        _ = try fiveEvents(storage)
        try storage.tamper("UPDATE event SET hash = '\(String(repeating: "a", count: 64))' WHERE sequence = 4")
        #expect(try storage.open().verify() == .broken(sequence: 4, reason: "its content does not match its hash: the event was edited"))
    }

    @Test(arguments: JournalKind.tested)
    func aDeletedEventIsFound(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        _ = try fiveEvents(storage)
        try storage.tamper("DELETE FROM event WHERE sequence = 2")
        #expect(try storage.open().verify() == .broken(sequence: 2, reason: "expected event 2, found 3: an event is missing or out of order"))
    }

    @Test(arguments: JournalKind.tested)
    func swappedEventsAreFound(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        _ = try fiveEvents(storage)
        // Swap the contents of events 2 and 3, keeping their numbers.
        try storage.tamper("UPDATE event SET sequence = 1000 WHERE sequence = 2",
                           "UPDATE event SET sequence = 2 WHERE sequence = 3",
                           "UPDATE event SET sequence = 3 WHERE sequence = 1000")
        #expect(try storage.open().verify() == .broken(sequence: 2, reason: "its previous_hash does not match the hash of event 1"))
    }

    @Test(arguments: JournalKind.tested)
    func anInsertedEventIsFound(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        let events = try fiveEvents(storage)
        // A forged sixth event that links correctly but was hashed by someone else's rules.
        try storage.tamper("INSERT INTO event VALUES (6, 0, 'r', 'approval', 'mallory', '{}', '\(events[4].hash)', '\(String(repeating: "b", count: 64))')")
        #expect(try storage.open().verify() == .broken(sequence: 6, reason: "its content does not match its hash: the event was edited"))
    }

    @Test(arguments: JournalKind.tested)
    func aCutOffEndIsFound(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        _ = try fiveEvents(storage)
        // The chain of events 1...4 links up alone; only the recorded head says 5 is missing.
        try storage.tamper("DELETE FROM event WHERE sequence = 5")
        #expect(try storage.open().verify() == .broken(sequence: 5, reason: "event 5 is missing: the journal recorded event 5 as its last, so events were cut off its end"))
    }

    @Test(arguments: JournalKind.tested)
    func anEventAddedAtTheEndByTheJournalsOwnRulesIsFound(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        let events = try fiveEvents(storage)
        // A sixth event hashed exactly as the journal would have, inserted behind its back.
        let forged = JournalEvent(sequence: 6, timeMilliseconds: 9, runID: "r", kind: "approval", actor: "mallory",
                                  payload: .object([:]), previousHash: events[4].hash)
        try storage.tamper("INSERT INTO event VALUES (6, 9, 'r', 'approval', 'mallory', '{}', '\(events[4].hash)', '\(forged.hash)')")
        #expect(try storage.open().verify() == .broken(sequence: 6, reason: "the journal recorded event 5 as its last: this event was added after it without being appended through the journal"))
    }

    @Test(arguments: JournalKind.tested)
    func aRewrittenLastEventWithAMatchingHashIsFound(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        let events = try fiveEvents(storage)
        var rewritten = events[4]
        rewritten.payload = #"{"n":50}"#
        rewritten.hash = rewritten.computedHash
        try storage.tamper(#"UPDATE event SET payload = '{"n":50}', hash = '\#(rewritten.hash)' WHERE sequence = 5"#)
        #expect(try storage.open().verify() == .broken(sequence: 5, reason: "its hash is not the one the journal recorded for its last event: the event was rewritten"))
    }

    @Test(arguments: JournalKind.tested)
    func aDeletedHeadRecordIsFound(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        _ = try fiveEvents(storage)
        try storage.tamper("DELETE FROM chain_head")
        guard case .broken(let sequence, let reason) = try storage.open().verify() else { Issue.record("not found"); return }
        #expect(sequence == 5)
        #expect(reason.hasPrefix("the journal's record of its last event (table chain_head) is missing or not readable"))
    }

    /// The statements that change a column's type under every event, per journal: SQLite
    /// stores a type per value, PostgreSQL per column.
    private static func retyping(_ column: String, to type: String, on kind: JournalKind) -> String {
        switch (kind, column, type) {
        case (.sqlite, "time_ms", "real"): "UPDATE event SET time_ms = time_ms + 0.5"
        case (.postgres, "time_ms", "real"): "ALTER TABLE event ALTER COLUMN time_ms TYPE numeric USING time_ms + 0.5"
        case (.sqlite, "payload", "blob"): "UPDATE event SET payload = CAST(payload AS BLOB)"
        case (.postgres, "payload", "blob"): "ALTER TABLE event ALTER COLUMN payload TYPE bytea USING convert_to(payload, 'UTF8')"
        default: "unknown retyping \(column) to \(type)"
        }
    }

    @Test(arguments: JournalKind.tested, [
        ("time_ms", "real", "its time_ms is a real number, not an integer: the event was edited"),
        ("payload", "blob", "its payload is a blob of 7 bytes, not text: the event was edited"),
    ])
    func aFieldOfTheWrongTypeIsFoundNotConverted(kind: JournalKind, retype: (column: String, type: String, reason: String)) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        _ = try fiveEvents(storage)
        try storage.tamper(Self.retyping(retype.column, to: retype.type, on: kind))
        let journal = try storage.open()
        #expect(try journal.verify() == .broken(sequence: 1, reason: retype.reason))
        // And reading the events is an error that says where, not a trap
        #expect(throws: UnreadableEvent(sequence: 1, problem: String(retype.reason.prefix { $0 != ":" }))) {
            try journal.events(after: 0)
        }
    }

    @Test(arguments: JournalKind.tested)
    func verifyingAfterAVerifiedEventChecksOnlyWhatFollowsAndThatEvent(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        let events = try fiveEvents(storage)
        let journal = try storage.open()
        let verified = JournalHead(sequence: 5, hash: events[4].hash)
        // Given two more events appended after event 5 was verified
        let sixth = try journal.append(JournalEntry(runID: "r", kind: "k6", actor: "a"))
        let seventh = try journal.append(JournalEntry(runID: "r", kind: "k7", actor: "a"))
        #expect(try journal.verify(after: verified) == .intact(count: 7, head: seventh.hash))
        // An edit before the verified event is not read again; an edit after it is found
        try storage.tamper("UPDATE event SET actor = 'b' WHERE sequence = 2")
        #expect(try journal.verify(after: verified) == .intact(count: 7, head: seventh.hash))
        #expect(try journal.verify(after: JournalHead(sequence: 6, hash: sixth.hash)) == .intact(count: 7, head: seventh.hash))
        try storage.tamper("UPDATE event SET actor = 'b' WHERE sequence = 7")
        #expect(try journal.verify(after: verified) == .broken(sequence: 7, reason: "its content does not match its hash: the event was edited"))
        // And the verified event itself is checked
        try storage.tamper("UPDATE event SET hash = 'x' WHERE sequence = 5")
        #expect(try journal.verify(after: verified) == .broken(sequence: 5, reason: "its hash changed since it was verified: the event was rewritten"))
        try storage.tamper("DELETE FROM event WHERE sequence = 5")
        #expect(try journal.verify(after: verified) == .broken(sequence: 5, reason: "the event is gone since it was verified: events were cut off or deleted"))
    }

    @Test(arguments: JournalKind.tested)
    func eventsHandedOneAtATimeAreTheEventsRead(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        let events = try fiveEvents(storage)
        let journal = try storage.open()
        var handed: [JournalEvent] = []
        try journal.events(after: 2) { handed.append($0) }
        #expect(handed == Array(events[2...]))
        #expect(handed == (try journal.events(after: 2)))
    }

    @Test(arguments: JournalKind.tested)
    func eventsReadForFoldingAreTheEventsReadWithoutTheirHashesAtMost(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        let events = try fiveEvents(storage)
        var handed: [JournalEvent] = []
        try storage.open().eventsForFolding(after: 2) { handed.append($0) }
        // Every field the fold uses is the event's; the hashes are the event's or left empty
        #expect(handed.map(\.sequence) == [3, 4, 5])
        for (read, event) in zip(handed, events[2...]) {
            var withoutHashes = event
            withoutHashes.hash = read.hash.isEmpty ? "" : event.hash
            withoutHashes.previousHash = read.previousHash.isEmpty ? "" : event.previousHash
            #expect(read == withoutHashes)
        }
        if kind == .sqlite { #expect(handed.allSatisfy { $0.hash.isEmpty && $0.previousHash.isEmpty }) }
    }

    @Test(arguments: JournalKind.tested)
    func theChainWalkHandsOverEachEventInPlaceAndNoneFromABreakOn(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        let events = try fiveEvents(storage)
        let journal = try storage.open()
        // Walking after event 2 hands over 3, 4 and 5
        var handed: [JournalEvent] = []
        #expect(try journal.verify(after: JournalHead(sequence: 2, hash: events[1].hash)) { handed.append($0) }
                == .intact(count: 5, head: events[4].hash))
        #expect(handed == Array(events[2...]))
        // With event 4 edited, only 3 is handed over, and the verdict names 4
        try storage.tamper(#"UPDATE event SET payload = '{"n":99}' WHERE sequence = 4"#)
        handed = []
        #expect(try journal.verify(after: JournalHead(sequence: 2, hash: events[1].hash)) { handed.append($0) }
                == .broken(sequence: 4, reason: "its content does not match its hash: the event was edited"))
        #expect(handed == [events[2]])
    }

    @Test(arguments: JournalKind.tested)
    func aStoreFoldsWhatItsChainWalkReads(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        let writer = try RunStore(journal: try storage.open())
        try RunFixtures.start(writer, "r1")
        let watcher = try RunStore(journal: try storage.open())
        let verified = try watcher.journal.verify()
        guard case .intact(let count, let hash) = verified else { Issue.record("\(verified)"); return }
        // Given the writer takes the run to its first gate
        try RunFixtures.reachSG1(writer, "r1")
        // When the watcher walks the chain from where it had verified it
        let walked = try watcher.refresh(verifyingAfter: JournalHead(sequence: Int64(count), hash: hash))
        // Then the walk verifies the new events and the watcher's runs are the writer's
        guard case .intact(let newCount, _) = walked else { Issue.record("\(walked)"); return }
        #expect(Int64(newCount) == writer.ledger.sequence)
        #expect(watcher.ledger == writer.ledger)
    }

    // MARK: - Both journals alike

    @Test func bothJournalsHashTheSameEventsAlike() throws {
        guard JournalKind.tested.contains(.postgres) else { return }
        // Given the same entries appended at the same times to each journal
        let entries = [
            JournalEntry(runID: "r", kind: "run.started", actor: "ops", payload: .object(["mode": .string("dryrun"), "n": .int(-3)])),
            JournalEntry(runID: "r", kind: "note", actor: "Zoë", payload: .object(["text": .string("ünïcode 🚦 \"quoted\"\n")])),
        ]
        var chains: [[JournalEvent]] = []
        for kind in JournalKind.allCases {
            let storage = try JournalStorage(kind)
            defer { storage.remove() }
            let journal = try storage.open()
            for entry in entries { try journal.append(entry) }
            chains.append(try storage.open().events(after: 0))
        }
        // Then they hold the very same events, hashes included
        #expect(chains[0].count == 2)
        #expect(chains[0] == chains[1])
    }
}

/// Whether `condition` comes true within `seconds` (checked every few milliseconds): for what
/// arrives asynchronously, without asserting how fast.
func eventually(within seconds: Double = 20, _ condition: () throws -> Bool) throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.005)
    }
    return try condition()
}

/// Runs as the run store records them, for the tests of deciding against the journal.
enum RunFixtures {
    static func start(_ store: RunStore, _ run: String) throws {
        try store.record(.started(RunStart(mode: .dryRun, plan: .productionCut, document: "release-notes-v0.6", target: nil,
                                           operatorName: "ops", signing: "stub")), run: run, actor: "ops")
    }

    /// Walks the run to SG_1 and opens the gate.
    static func reachSG1(_ store: RunStore, _ run: String) throws {
        for phase in RunPlan.productionCut.phases.prefix(5) {
            try store.record([.phaseStarted(phase: phase.id), .phaseCompleted(phase: phase.id, facts: RunFacts())], run: run, actor: "runner")
        }
        try store.record(.phaseStarted(phase: "SG_1"), run: run, actor: "runner")
    }

    static func approval(_ by: String) -> RunEvent {
        .gateApproved(TestDecisions.decision("SG_1", by: by, statement: ["gate": .string("SG_1"), "by": .string(by)]))
    }
}
