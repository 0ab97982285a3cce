import Foundation
import GatehouseCore
import GatehouseTestSupport
import GRDB
import Testing
@testable import GatehouseEngine

/// Checkpoints of the fold in an SQLite journal: written by the store that appends past the
/// interval, opened from when they hold, passed over when they do not.
struct RunStoreCheckpointTests {
    /// A journal in a temporary folder with `runs` dry runs of a few events each, appended by a
    /// store writing a checkpoint every `interval` events.
    private static func journal(runs: Int, interval: Int64) throws -> (path: String, store: RunStore) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-\(UUID().uuidString)/journal.sqlite").path
        let store = try RunStore(journal: SQLiteJournal(path: path), checkpoints: CheckpointPolicy(opensFromCheckpoint: true, interval: interval))
        for run in 0..<runs {
            try store.record(.started(RunStart(mode: .dryRun, plan: .productionCut, document: "d", target: nil,
                                               operatorName: "ops", signing: "stub")), run: "r\(run)", actor: "ops")
            try store.record([.phaseStarted(phase: "identity_guards"), .log(phase: "identity_guards", stream: "stdout", text: "run \(run)")],
                             run: "r\(run)", actor: "runner")
            if run % 3 == 0 { try store.record(.aborted(by: "ops", reason: "enough"), run: "r\(run)", actor: "ops") }
        }
        return (path, store)
    }

    private static func opened(_ path: String) throws -> RunStore {
        try RunStore(journal: SQLiteJournal(path: path), checkpoints: CheckpointPolicy(opensFromCheckpoint: true, interval: nil))
    }

    private static func fromTheStart(_ path: String) throws -> RunLedger {
        try RunStore(journal: SQLiteJournal(path: path), checkpoints: .fromTheStart).ledger
    }

    private static func edit(_ path: String, _ sql: String) throws {
        try DatabaseQueue(path: path).write { try $0.execute(sql: sql) }
    }

    @Test func aStoreAppendingPastTheIntervalWritesACheckpointAndTheNextOpeningStartsThere() throws {
        let (path, store) = try Self.journal(runs: 20, interval: 10)
        let sequences = try store.journal.checkpointSequences()
        #expect(sequences.count >= 5, "a checkpoint every 10 events or so: \(sequences)")
        let opened = try Self.opened(path)
        #expect(opened.openedFromCheckpoint == sequences.last)
        #expect(opened.ignoredCheckpoints.isEmpty)
        #expect(try opened.ledger == Self.fromTheStart(path))
        #expect(opened.ledger == store.ledger)
    }

    @Test func aStoreFoldsOnFromItsCheckpointAsItAppends() throws {
        let (path, _) = try Self.journal(runs: 10, interval: 7)
        let opened = try Self.opened(path)
        try opened.record(.aborted(by: "ops", reason: "later"), run: "r1", actor: "ops")
        #expect(try opened.ledger == Self.fromTheStart(path))
    }

    @Test func anEditedCheckpointIsPassedOverForTheOneBefore() throws {
        let (path, store) = try Self.journal(runs: 20, interval: 10)
        let sequences = try store.journal.checkpointSequences()
        try Self.edit(path, "UPDATE checkpoint SET state = replace(state, 'ops', 'eve') WHERE sequence = \(sequences.last!)")
        let opened = try Self.opened(path)
        #expect(opened.ignoredCheckpoints == [.sealBroken(sequence: sequences.last!)])
        #expect(opened.openedFromCheckpoint == sequences[sequences.count - 2])
        #expect(try opened.ledger == Self.fromTheStart(path))
    }

    @Test func aTruncatedCheckpointAndOneMovedToAnotherEventAreNotUsed() throws {
        let (path, store) = try Self.journal(runs: 6, interval: 10)
        let sequences = try store.journal.checkpointSequences()
        try Self.edit(path, """
            UPDATE checkpoint SET state = substr(state, 1, length(state) / 2) WHERE sequence = \(sequences[0]);
            UPDATE checkpoint SET sequence = sequence + 1 WHERE sequence = \(sequences.last!);
            """)
        let opened = try Self.opened(path)
        #expect(opened.openedFromCheckpoint == nil, "no checkpoint holds: folded from the first event")
        // The seal covers the event's number: moved, it no longer holds.
        #expect(opened.ignoredCheckpoints == [.sealBroken(sequence: sequences.last! + 1), .sealBroken(sequence: sequences[0])])
        #expect(try opened.ledger == Self.fromTheStart(path))
    }

    @Test func noCheckpointIsWrittenWhenTheIntervalIsNone() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-\(UUID().uuidString)/journal.sqlite").path
        let store = try RunStore(journal: SQLiteJournal(path: path), checkpoints: CheckpointPolicy.fromEnvironment(["GATEHOUSE_CHECKPOINT_EVERY": "0"]))
        for run in 0..<5 {
            try store.record(.started(RunStart(mode: .dryRun, plan: .productionCut, document: "d", target: nil,
                                               operatorName: "ops", signing: "stub")), run: "r\(run)", actor: "ops")
        }
        #expect(try store.journal.checkpointSequences().isEmpty)
        #expect(CheckpointPolicy.fromEnvironment([:]).interval == CheckpointPolicy.defaultInterval)
        #expect(CheckpointPolicy.fromEnvironment(["GATEHOUSE_CHECKPOINT_EVERY": "25"]).interval == 25)
    }
}
