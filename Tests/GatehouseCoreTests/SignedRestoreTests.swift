import Crypto
import GatehouseCore
import GatehouseTestSupport
import Testing

/// A restore writes over the target, so it holds only on a sovereign's signed decision to put
/// back this run's backup, with the phrase typed right, once the run has ended and while no
/// run may write. Everything else is refused, and the refusal is recorded.
struct SignedRestoreTests {
    private let alice = Ed25519Signing.generate()
    private let mallory = Ed25519Signing.generate()

    /// A ledger whose LIVE run `r1` took its backup and was then aborted; `r2` waits at SG_1.
    private func abortedAfterBackup() throws -> LedgerDriver {
        let sovereigns = [Sovereign(name: "alice", provider: "ed25519", publicKey: Ed25519Signing.publicKeyText(alice.publicKey),
                                    gates: ["SG_1", "SG_2"])]
        var driver = LedgerDriver()
        for run in ["r1", "r2"] {
            driver.send(.started(RunStart(mode: .live, plan: .productionCut, document: "d", target: "/tmp/pack.sqlite", operatorName: "olga",
                                          signing: "ed25519", sovereigns: sovereigns)), to: run)
            for phase in RunPlan.productionCut.phases.prefix(5) {
                driver.send(.phaseStarted(phase: phase.id), to: run)
                var established = facts(phase.id)
                if phase.id == "pre_state_snapshot" { established.preStateSHA = "pre-\(run)" }
                if phase.id == "cut_candidates" { established.candidatesDigest = "cand-\(run)" }
                driver.send(.phaseCompleted(phase: phase.id, facts: established), to: run)
            }
            driver.send(.phaseStarted(phase: "SG_1"), to: run)
        }
        let waiting = try #require(driver.ledger["r1"])
        #expect(driver.send(.gateApproved(try TestDecisions.approval(of: waiting, gate: "SG_1", signer: .ed25519(alice))), to: "r1") == nil)
        let approved = try #require(driver.ledger["r1"])
        let statement = SwitchStatement.make(run: approved, by: "alice", signedAt: 1, nonce: "n")
        let enableRefusal = driver.send(.killSwitchEnabled(try TestDecisions.enable(by: "alice", statement: statement, signer: .ed25519(alice))), to: "r1")
        #expect(enableRefusal == nil, "\(String(describing: enableRefusal))")
        driver.send(.phaseStarted(phase: "backup"), to: "r1")
        #expect(driver.send(.phaseCompleted(phase: "backup", facts: RunFacts(json: [
            "backup_path": .string("/b/r1.sqlite"), "backup_sha256": .string("bsha"), "backup_content_sha256": .string("pre-r1"),
        ])), to: "r1") == nil)
        #expect(driver.send(.aborted(by: "olga", reason: "rolled back"), to: "r1") == nil)
        return driver
    }

    /// The reason `restore` of `r1` is refused, or nil when it is recorded.
    private func refusal(_ driver: inout LedgerDriver, _ restore: TargetRestore) -> String? {
        guard let refusal = driver.send(.targetRestored(restore), to: "r1") else { return nil }
        #expect(refusal.code == "restore_invalid" || refusal.code == "phase_out_of_turn", "\(refusal)")
        return refusal.message
    }

    @Test func aSovereignsSignedRestoreWithThePhraseIsRecorded() throws {
        var driver = try abortedAfterBackup()
        let run = try #require(driver.ledger["r1"])
        #expect(RestoreStatement.phrase(for: run) == "RESTORE \(run.shortID)")
        let restore = try TestDecisions.restore(of: run, by: "alice", signer: .ed25519(alice))
        #expect(refusal(&driver, restore) == nil)
        #expect(driver.ledger["r1"]?.facts.restoredFrom == "/b/r1.sqlite")
    }

    @Test func anUnsignedOrMisattributedRestoreIsRefused() throws {
        var driver = try abortedAfterBackup()
        let run = try #require(driver.ledger["r1"])
        var unsigned = try TestDecisions.restore(of: run, by: "alice", signer: .ed25519(alice))
        unsigned.decision = nil
        #expect(refusal(&driver, unsigned)?.contains("carries no signed decision") == true)
        var otherName = try TestDecisions.restore(of: run, by: "alice", signer: .ed25519(alice))
        otherName.by = "olga"
        #expect(refusal(&driver, otherName)?.contains("signed by alice but done by olga") == true)
        let stranger = try TestDecisions.restore(of: run, by: "mallory", signer: .ed25519(mallory))
        #expect(refusal(&driver, stranger)?.contains("not a sovereign") == true)
        let forged = try TestDecisions.restore(of: run, by: "alice", signer: .ed25519(mallory))
        #expect(refusal(&driver, forged) != nil)
        let stub = try TestDecisions.restore(of: run, by: "alice", signer: .stub)
        #expect(refusal(&driver, stub) != nil)
        #expect(driver.ledger["r1"]?.facts.restoredFrom == nil)
    }

    @Test func aWrongPhraseOrAnotherBackupIsRefused() throws {
        var driver = try abortedAfterBackup()
        let run = try #require(driver.ledger["r1"])
        let lazy = try TestDecisions.restore(of: run, by: "alice", typed: "yes", signer: .ed25519(alice))
        #expect(refusal(&driver, lazy)?.contains("the phrase typed was 'yes', not 'RESTORE \(run.shortID)'") == true)
        var elsewhere = try TestDecisions.restore(of: run, by: "alice", signer: .ed25519(alice))
        elsewhere.backup = "/b/other.sqlite"
        #expect(refusal(&driver, elsewhere)?.contains("not of the backup the run took") == true)
        var otherDigest = try TestDecisions.restore(of: run, by: "alice", signer: .ed25519(alice))
        otherDigest.sha256 = "other"
        #expect(refusal(&driver, otherDigest)?.contains("not of the backup the run took") == true)
        // A decision signed for r1 does not restore r2's backup, nor one altered after signing.
        var altered = try TestDecisions.restore(of: run, by: "alice", signer: .ed25519(alice))
        altered.decision?.statement["backup"] = .string("/b/other.sqlite")
        #expect(refusal(&driver, altered)?.contains("signature") == true)
    }

    @Test func aRestoreWaitsForTheRunToEndAndForTheSwitchToBeOff() throws {
        var driver = try abortedAfterBackup()
        // While r2 holds the kill-switch, nothing is put back under it.
        let waiting = try #require(driver.ledger["r2"])
        #expect(driver.send(.gateApproved(try TestDecisions.approval(of: waiting, gate: "SG_1", signer: .ed25519(alice))), to: "r2") == nil)
        let approved = try #require(driver.ledger["r2"])
        let statement = SwitchStatement.make(run: approved, by: "alice", signedAt: 2, nonce: "m")
        #expect(driver.send(.killSwitchEnabled(try TestDecisions.enable(by: "alice", statement: statement, signer: .ed25519(alice))), to: "r2") == nil)
        let run = try #require(driver.ledger["r1"])
        let restore = try TestDecisions.restore(of: run, by: "alice", signer: .ed25519(alice))
        #expect(refusal(&driver, restore)?.contains("the kill-switch is on for run r2") == true)
        // ... and a run that has not ended is not restored over.
        let r2 = try #require(driver.ledger["r2"])
        #expect(driver.send(.targetRestored(try TestDecisions.restore(of: r2, by: "alice", signer: .ed25519(alice))), to: "r2")?.code
            == "phase_out_of_turn")
        #expect(driver.send(.aborted(by: "olga", reason: "done"), to: "r2") == nil)
        #expect(refusal(&driver, restore) == nil)
    }
}
