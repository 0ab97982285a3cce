import Foundation
import GatehouseCore
import GatehouseEngine
import GatehouseTestSupport
import Testing

/// `gatehouse restore` through the real binary: it writes over the target only on a
/// sovereign's signed decision with the phrase typed out, never while any run holds the
/// kill-switch, and never beside another restore; a kill-switch enable waits for a restore.
/// Each refusal is journaled and leaves the target as it was.
@Suite(.serialized)
struct SignedRestoreEndToEndTests {
    /// The newest refusal journaled for `run`, if any.
    private func lastRefusal(_ sandbox: RunSandbox, _ run: String) throws -> RecordedRefusal? {
        try sandbox.store().ledger[run]?.refusals.last
    }

    @Test func aRestoreIsSignedTypedOutAndNeverRacesAWritingRun() throws {
        let sandbox = try RunSandbox()
        _ = try sandbox.gatehouse(["init"])
        let runner = try sandbox.start(["run", "--live"])
        #expect(try sandbox.drive(runner) == 0, "\(runner.output)")
        let run = try #require(try sandbox.store().ledger.newestFirst.first)
        let preState = try #require(run.facts.preStateSHA)
        let written = try SQLiteContextPack(path: sandbox.targetPath, readOnly: true).snapshot().sha256
        #expect(written != preState)
        let phrase = RestoreStatement.phrase(for: run)

        // Given no phrase and no terminal to ask on, nothing is done
        let unconfirmed = try sandbox.gatehouse(["restore", run.id, "--as", "demo"])
        #expect(unconfirmed.status == 2 && unconfirmed.stderr.contains("give --confirm '\(phrase)'"), "\(unconfirmed.stderr)")
        #expect(try sandbox.store().ledger[run.id]?.refusals == run.refusals)

        // When the phrase is wrong, or the signer is no sovereign of the run, it is refused and journaled
        let lazy = try sandbox.gatehouse(["restore", run.id, "--as", "demo", "--confirm", "yes"])
        #expect(lazy.status == 6 && lazy.stderr.contains("the phrase typed was 'yes', not '\(phrase)'"), "\(lazy.stderr)")
        #expect(try lastRefusal(sandbox, run.id)?.code == "restore_invalid")
        let stranger = try sandbox.gatehouse(["restore", run.id, "--as", "tester", "--confirm", phrase])
        #expect(stranger.status == 6 && stranger.stderr.contains("'tester' is not a sovereign"), "\(stranger.stderr)")

        // ... and a backup whose bytes changed since the run took it is not put back
        let backup = try #require(run.facts.backupPath)
        let original = try Data(contentsOf: URL(fileURLWithPath: backup))
        var edited = original
        edited[edited.count / 2] ^= 0xFF
        try edited.write(to: URL(fileURLWithPath: backup))
        let tampered = try sandbox.gatehouse(["restore", run.id, "--as", "demo", "--confirm", phrase])
        #expect(tampered.status == 6 && tampered.stderr.contains("SHA-256"), "\(tampered.stderr)")
        try original.write(to: URL(fileURLWithPath: backup))

        // ... and beside another restore (its lock held), it waits its turn
        var restoreLock: RunnerLock? = try RunnerLock(journal: sandbox.journalPath, run: RunActs.restoreLockName)
        let beside = try sandbox.gatehouse(["restore", run.id, "--as", "demo", "--confirm", phrase])
        #expect(beside.status == 6 && beside.stderr.contains("another restore is under way"), "\(beside.stderr)")
        #expect(try SQLiteContextPack(path: sandbox.targetPath, readOnly: true).snapshot().sha256 == written)

        // When a second LIVE run asks for the switch while a restore holds its lock, the enable is refused
        let second = try sandbox.start(["run", "--live"])
        let waiting = try sandbox.waitFor("the second run at SG_1") { store in
            store.ledger.newestFirst.first { $0.id != run.id && $0.waitingGate == "SG_1" }
        }
        try sandbox.store().record(.gateApproved(TestDecisions.approval(of: waiting, gate: "SG_1")), run: waiting.id, actor: "demo")
        _ = try sandbox.waitFor("the switch asked for") { store in
            store.ledger[waiting.id].flatMap { if case .awaitKillSwitch = $0.nextStep { true } else { nil } }
        }
        let held = try sandbox.gatehouse(["killswitch", "enable", waiting.id, "--confirm", waiting.id, "--as", "demo"])
        #expect(held.status == 6 && held.stderr.contains("while a restore is putting a target back"), "\(held.stderr)")
        #expect(try lastRefusal(sandbox, waiting.id)?.code == "restore_in_progress")
        restoreLock = nil
        _ = restoreLock

        // Then once it is free the switch goes on, and no restore happens while it is on
        let enabled = try sandbox.gatehouse(["killswitch", "enable", waiting.id, "--confirm", waiting.id, "--as", "demo"])
        #expect(enabled.status == 0, "\(enabled.stderr)")
        _ = try sandbox.waitFor("the second run at SG_2") { $0.ledger[waiting.id]?.waitingGate == "SG_2" ? true : nil }
        let underSwitch = try sandbox.gatehouse(["restore", run.id, "--as", "demo", "--confirm", phrase])
        #expect(underSwitch.status == 6 && underSwitch.stderr.contains("the kill-switch is on for run \(waiting.id)"), "\(underSwitch.stderr)")
        #expect(try sandbox.gatehouse(["abort", waiting.id, "--reason", "the test restores instead"]).status == 0)
        _ = try second.wait()
        #expect(try SQLiteContextPack(path: sandbox.targetPath, readOnly: true).snapshot().sha256 == written)

        // And the sovereign's signed, typed-out restore puts the pre-state back and says so in the journal
        let restore = try sandbox.gatehouse(["restore", run.id, "--as", "demo", "--confirm", phrase])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(restore.stdout.contains("signed by demo"))
        #expect(try SQLiteContextPack(path: sandbox.targetPath, readOnly: true).snapshot().sha256 == preState)
        let log = try sandbox.gatehouse(["log", run.id])
        #expect(log.stdout.contains("by demo (stub): content SHA-256 now \(preState)"), "\(log.stdout)")
        #expect(try sandbox.store().ledger[run.id]?.facts.restoredFrom == backup)
        #expect(try sandbox.gatehouse(["verify"]).status == 0)
    }
}
