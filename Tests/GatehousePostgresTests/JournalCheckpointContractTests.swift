import Foundation
import GatehouseCore
import GatehouseEngine
import GatehousePostgres
import GatehouseTestSupport
import Testing

/// Checkpoints of the fold are kept by both journals alike: stored beside the events, read back
/// byte for byte, opened from when they hold, passed over when edited.
@Suite("Checkpoints, on SQLite and on PostgreSQL")
struct JournalCheckpointContractTests {
    /// `runs` dry runs of a few events each, recorded by a store writing a checkpoint every
    /// `interval` events.
    private static func recordRuns(_ runs: Int, named prefix: String = "r", on journal: any Journal, interval: Int64) throws -> RunStore {
        let store = try RunStore(journal: journal, checkpoints: CheckpointPolicy(opensFromCheckpoint: true, interval: interval))
        for run in 0..<runs {
            try store.record(.started(RunStart(mode: .dryRun, plan: .productionCut, document: "d", target: nil,
                                               operatorName: "ops", signing: "stub")), run: "\(prefix)\(run)", actor: "ops")
            try store.record([.phaseStarted(phase: "identity_guards"), .log(phase: "identity_guards", stream: "stdout", text: "run \(run)")],
                             run: "\(prefix)\(run)", actor: "runner")
        }
        return store
    }

    private static func opened(_ storage: JournalStorage) throws -> RunStore {
        try RunStore(journal: storage.open(), checkpoints: CheckpointPolicy(opensFromCheckpoint: true, interval: nil))
    }

    private static func fromTheStart(_ storage: JournalStorage) throws -> RunLedger {
        try RunStore(journal: storage.open(), checkpoints: .fromTheStart).ledger
    }

    @Test(arguments: JournalKind.tested)
    func aCheckpointIsReadBackAsStoredAndTheFirstAtAnEventIsKept(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        let journal = try storage.open()
        let event = try journal.append(JournalEntry(runID: "r", kind: "note", actor: "x"))
        // Given a state holding every byte value, stored at event 1
        let state = (0...255).map(UInt8.init) + Array("{\"é\":\"🚦\"}".utf8)
        let checkpoint = LedgerCheckpoint(sequence: 1, eventHash: event.hash, format: 1, state: state,
                                          seal: LedgerCheckpoint.seal(sequence: 1, eventHash: event.hash, format: 1, state: state))
        try journal.storeCheckpoint(checkpoint) {}
        // When another checkpoint is stored at the same event
        var second = checkpoint
        second.state = Array("other".utf8)
        try journal.storeCheckpoint(second) {}
        // Then another instance reads the first back byte for byte, and the event's hash by its number
        let reader = try storage.open()
        #expect(try reader.checkpointSequences() == [1])
        #expect(try reader.checkpoint(at: 1) == checkpoint)
        #expect(try reader.checkpoint(at: 2) == nil)
        #expect(try reader.eventHash(at: 1) == event.hash)
        #expect(try reader.eventHash(at: 2) == nil)
    }

    @Test(arguments: JournalKind.tested)
    func aStoreAppendingPastTheIntervalWritesCheckpointsAndTheNextOpeningStartsAtTheNewest(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        let store = try Self.recordRuns(12, on: storage.open(), interval: 8)
        let sequences = try store.journal.checkpointSequences()
        #expect(sequences.count >= 3, "a checkpoint every 8 events or so: \(sequences)")
        let opened = try Self.opened(storage)
        #expect(opened.openedFromCheckpoint == sequences.last)
        #expect(opened.ignoredCheckpoints.isEmpty)
        #expect(try opened.ledger == Self.fromTheStart(storage))
        #expect(opened.ledger == store.ledger)
    }

    @Test(arguments: JournalKind.tested)
    func anEditedOrTruncatedCheckpointIsPassedOverAndTheFoldIsTheSame(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        let sequences = try Self.recordRuns(12, on: storage.open(), interval: 8).journal.checkpointSequences()
        let (newest, before) = (sequences[sequences.count - 1], sequences[sequences.count - 2])
        // Given the newest checkpoint cut to half its length, and the one before it given a seal of its own
        let half = kind == .sqlite ? "substr(state, 1, length(state) / 2)" : "substring(state from 1 for length(state) / 2)"
        try storage.tamper("UPDATE checkpoint SET state = \(half) WHERE sequence = \(newest)",
                           "UPDATE checkpoint SET seal = 'forged' WHERE sequence = \(before)")
        // Then an opening passes over both, newest first, and folds to the same runs
        let opened = try Self.opened(storage)
        #expect(opened.ignoredCheckpoints == [.sealBroken(sequence: newest), .sealBroken(sequence: before)])
        #expect(opened.openedFromCheckpoint == sequences.dropLast(2).last)
        #expect(try opened.ledger == Self.fromTheStart(storage))
    }

    @Test(arguments: JournalKind.tested)
    func aJournalWithoutTheCheckpointTableOpensFromTheStartAndGetsOneAtItsFirstCheckpoint(kind: JournalKind) throws {
        let storage = try JournalStorage(kind)
        defer { storage.remove() }
        // Given a journal whose checkpoint table is not there (as one from before checkpoints)
        _ = try Self.recordRuns(3, on: storage.open(), interval: 1_000)
        try storage.tamper("DROP TABLE checkpoint")
        let journal = try storage.open()
        #expect(try journal.checkpointSequences().isEmpty)
        // When a store appends past the interval
        let store = try Self.recordRuns(4, named: "later", on: journal, interval: 5)
        // Then the table is there again, with the checkpoints, and the next opening uses them
        #expect(try !store.journal.checkpointSequences().isEmpty)
        #expect(try Self.opened(storage).openedFromCheckpoint != nil)
        guard case .intact = try journal.verify() else { Issue.record("the chain no longer verifies"); return }
    }
}
