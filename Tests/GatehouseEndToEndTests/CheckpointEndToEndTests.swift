import Foundation
import GatehouseCore
import GatehouseEngine
import GRDB
import Testing

/// Checkpoints of the fold written by a real runner: verified by `gatehouse verify`, a forged
/// one found there, and a runner killed while writing one leaves a journal that opens,
/// verifies and resumes.
@Suite(.serialized)
struct CheckpointEndToEndTests {
    private static let often = ["GATEHOUSE_CHECKPOINT_EVERY": "4"]

    private func dryRun(environment: [String: String] = often) throws -> (RunSandbox, Int32) {
        let sandbox = try RunSandbox()
        #expect(try sandbox.gatehouse(["init"]).status == 0)
        let runner = try sandbox.start(["run", "--dry-run"], environment: environment)
        return (sandbox, try sandbox.drive(runner))
    }

    @Test func verifyComparesEveryCheckpointWithTheFoldAtItsEvent() throws {
        let (sandbox, status) = try dryRun()
        #expect(status == 0)
        let stored = try SQLiteJournal(path: sandbox.journalPath).checkpointSequences()
        #expect(stored.count >= 3, "\(stored)")
        let verify = try sandbox.gatehouse(["verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("; checkpoints: \(stored.count) checked, every one the fold at its event"), "\(verify.stdout)")
        let opened = try sandbox.store()
        #expect(opened.openedFromCheckpoint == stored.last)
        #expect(try opened.ledger == RunStore(journal: SQLiteJournal(path: sandbox.journalPath), checkpoints: .fromTheStart).ledger)
    }

    @Test func aCheckpointEditedAndSealedAgainIsFoundByVerify() throws {
        let (sandbox, _) = try dryRun()
        let journal = try SQLiteJournal(path: sandbox.journalPath)
        let sequence = try #require(try journal.checkpointSequences().last)
        let original = try #require(try journal.checkpoint(at: sequence))
        // The operator's name changed in the fold, and the seal made again to match.
        let state = Array(String(decoding: original.state, as: UTF8.self).replacingOccurrences(of: "\"tester\"", with: "\"mallory\"").utf8)
        #expect(state != original.state)
        let seal = LedgerCheckpoint.seal(sequence: sequence, eventHash: original.eventHash, format: original.format, state: state)
        try DatabaseQueue(path: sandbox.journalPath).write { db in
            try db.execute(sql: "UPDATE checkpoint SET state = ?, seal = ? WHERE sequence = ?", arguments: [Data(state), seal, sequence])
        }
        let verify = try sandbox.gatehouse(["verify"])
        #expect(verify.status == 3)
        #expect(verify.stderr.contains("the checkpoint at event \(sequence) is not the fold of the journal through that event"), "\(verify.stderr)")
        #expect(verify.stdout.contains("1 wrong"))
    }

    @Test func aCheckpointCutShortIsReportedAndNotUsed() throws {
        let (sandbox, _) = try dryRun()
        let sequence = try #require(try SQLiteJournal(path: sandbox.journalPath).checkpointSequences().last)
        try DatabaseQueue(path: sandbox.journalPath).write { db in
            try db.execute(sql: "UPDATE checkpoint SET state = substr(state, 1, 100) WHERE sequence = ?", arguments: [sequence])
        }
        let verify = try sandbox.gatehouse(["verify"])
        #expect(verify.status == 3)
        #expect(verify.stderr.contains("the checkpoint at event \(sequence) does not match its seal: it was edited or cut short"))
        let opened = try sandbox.store()
        #expect(opened.ignoredCheckpoints == [.sealBroken(sequence: sequence)])
        #expect(opened.openedFromCheckpoint != sequence)
        let status = try sandbox.gatehouse(["status"])
        #expect(status.status == 0)
        #expect(status.stderr.contains("gatehouse: warning: the checkpoint at event \(sequence) does not match its seal: it was edited or cut short; "
                                       + "not used (the runs are read from the events instead); run `gatehouse verify`"), "\(status.stderr)")
    }

    @Test func aRunnerKilledWhileWritingACheckpointLeavesAJournalThatOpensVerifiesAndResumes() throws {
        let (sandbox, status) = try dryRun(environment: Self.often.merging(["GATEHOUSE_FAULT": "checkpoint-before-commit"]) { $1 })
        #expect(status == 137, "the runner was not killed while writing its checkpoint")
        #expect(try SQLiteJournal(path: sandbox.journalPath).checkpointSequences().isEmpty, "the checkpoint's transaction never committed")
        let verify = try sandbox.gatehouse(["verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        let crashed = try sandbox.onlyRun()
        #expect(crashed.outcome == nil)
        let resumed = try sandbox.start(["resume", crashed.id], environment: Self.often)
        #expect(try sandbox.drive(resumed) == 0, "\(resumed.output)")
        #expect(try sandbox.store().ledger[crashed.id]?.outcome == .closed)
        #expect(try sandbox.gatehouse(["verify"]).status == 0)
    }
}
