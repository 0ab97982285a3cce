import Foundation
import GatehouseCore
import GatehouseEngine
import GRDB
import Testing
@testable import GatehouseTUI

/// A dashboard opening a journal with checkpoints of the fold: it starts at the newest one that
/// holds and walks the chain from its event (so opening costs what came after it, not the whole
/// journal), and says when it passed one over.
struct JournalFollowerCheckpointTests {
    private let folder = FileManager.default.temporaryDirectory.appendingPathComponent("follower-checkpoint-\(UUID().uuidString)").path
    private var journalPath: String { folder + "/journal.sqlite" }

    /// A journal of `runs` short dry runs, with a checkpoint every 6 events; returns the
    /// checkpoints' event numbers.
    private func journal(runs: Int) throws -> [Int64] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let store = try RunStore(journal: SQLiteJournal(path: journalPath), checkpoints: CheckpointPolicy(opensFromCheckpoint: true, interval: 6))
        for run in 0..<runs {
            try store.record(.started(RunStart(mode: .dryRun, plan: .productionCut, document: "d", target: nil, operatorName: "ops",
                                               signing: "stub")), run: "r\(run)", actor: "ops")
            try store.record([.phaseStarted(phase: "identity_guards"), .log(phase: "identity_guards", stream: "stdout", text: "run \(run)")],
                             run: "r\(run)", actor: "runner")
        }
        return try store.journal.checkpointSequences()
    }

    private func tamper(_ sql: String) throws {
        try DatabaseQueue(path: journalPath).write { try $0.execute(sql: sql) }
    }

    private func opened() -> DashboardContext {
        var follower = JournalFollower(path: journalPath, readOnly: true, open: JournalFollower.sqliteFile(journalPath))
        var context = DashboardContext(readOnly: true)
        follower.poll(into: &context)
        return context
    }

    private func fromTheStart() throws -> RunLedger {
        try RunStore(journal: SQLiteJournal(readingOnly: journalPath), checkpoints: .fromTheStart).ledger
    }

    @Test func itWalksTheChainFromTheNewestCheckpointNotFromTheFirstEvent() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let checkpoints = try journal(runs: 8)
        let newest = try #require(checkpoints.last)
        // Given an event before the newest checkpoint edited (which only a walk from the first event finds)
        try tamper("UPDATE event SET actor = 'eve' WHERE sequence = 2")
        // Then the opening trusts the checkpoint as it trusts the chain after it: the runs are shown, intact
        let context = opened()
        #expect(context.journalTrust == .intact(count: 24, head: try #require(try SQLiteJournal(readingOnly: journalPath).eventHash(at: 24))))
        #expect(context.ledger.sequence == 24 && context.ledger.order.count == 8)
        #expect(context.ignoredCheckpoints.isEmpty)
        // While `gatehouse verify`'s walk from the first event finds it
        guard case .broken(2, _) = try SQLiteJournal(readingOnly: journalPath).verify() else {
            Issue.record("the edit before checkpoint \(newest) was not found by a whole walk")
            return
        }
    }

    @Test func anEventEditedAfterTheNewestCheckpointIsFound() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let newest = try #require(try journal(runs: 9).last)
        #expect(newest < 26, "an event after the checkpoint to edit: \(newest)")
        try tamper("UPDATE event SET actor = 'eve' WHERE sequence = 26")
        guard case .broken(26, _) = opened().journalTrust else {
            Issue.record("the edit after checkpoint \(newest) was not found on opening")
            return
        }
    }

    @Test func aCheckpointPassedOverIsShownAndTheRunsAreTheFoldFromTheEventsBeforeIt() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let checkpoints = try journal(runs: 8)
        try tamper("UPDATE checkpoint SET seal = 'forged' WHERE sequence = \(checkpoints.last!)")
        let context = opened()
        #expect(context.ignoredCheckpoints == [.sealBroken(sequence: checkpoints.last!)])
        #expect(context.ledger == (try fromTheStart()))
        #expect(context.journalTrust == .intact(count: 24, head: try #require(try SQLiteJournal(readingOnly: journalPath).eventHash(at: 24))))
    }
}
