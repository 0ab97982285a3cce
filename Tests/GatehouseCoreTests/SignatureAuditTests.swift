import Crypto
import GatehouseCore
import GatehouseTestSupport
import Testing

/// An auditor checks every journaled signature again against the sovereigns the run pinned:
/// an ed25519 signature verifies, a stub one is INSECURE, a run without sovereigns is
/// unsigned, and anything that does not hold fails with the reason.
struct SignatureAuditTests {
    private let alice = Ed25519Signing.generate()
    private let mallory = Ed25519Signing.generate()

    private var aliceSovereign: Sovereign {
        Sovereign(name: "alice", provider: "ed25519", publicKey: Ed25519Signing.publicKeyText(alice.publicKey), gates: ["SG_1", "SG_2"])
    }

    /// Runs `r1` and `r2`, pinning `sovereigns`, driven to their close-out by `approver`.
    private func closedRuns(sovereigns: [Sovereign], approver: String, sign: TestSigner) throws -> LedgerDriver {
        var driver = LedgerDriver()
        for run in ["r1", "r2"] {
            driver.send(signedStart(sovereigns: sovereigns), to: run)
            try driver.driveToClose(run, approver: approver, sign: sign)
        }
        return driver
    }

    /// The verdict on a statement for `run` signed by `signer` with `sign`, as journaled.
    private func verdict(_ driver: LedgerDriver, run: String = "r1", statementFor statementRun: String? = nil,
                         signer: String = "alice", sign: TestSigner) throws -> SignatureVerdict {
        let statement = ApprovalStatement.make(run: driver.ledger[statementRun ?? run]!, gate: "SG_1", approve: true, by: signer,
                                               reason: "", signedAt: 0, nonce: "n")
        let (provider, signature) = try sign.sign(statement)
        return SignatureAudit.verdict(signer: signer, provider: provider, signature: signature, statement: statement,
                                      run: driver.ledger[run]!)
    }

    @Test func anEd25519SignatureOfAPinnedSovereignIsVerified() throws {
        // Given runs approved by alice with her own key
        let driver = try closedRuns(sovereigns: [aliceSovereign], approver: "alice", sign: .ed25519(alice))
        let run = try #require(driver.ledger["r1"])
        // Then every decision verifies
        #expect(run.decisions.count == 2)
        #expect(run.decisions.map { SignatureAudit.verdict($0, in: run) } == [.verified, .verified])
        #expect(SignatureVerdict.verified.label == "verified")
    }

    @Test func aStubSignatureIsInsecure() throws {
        let driver = try closedRuns(sovereigns: [demoSovereign], approver: "demo", sign: .stub)
        let run = try #require(driver.ledger["r1"])
        #expect(run.decisions.map { SignatureAudit.verdict($0, in: run) } == [.insecure, .insecure])
        #expect(SignatureVerdict.insecure.label == "INSECURE (stub)")
        #expect(!SignatureVerdict.insecure.isFailure)
    }

    @Test func aRunThatPinnedNoSovereignsIsUnsigned() throws {
        let driver = try closedRuns(sovereigns: [], approver: "anyone", sign: .stub)
        let run = try #require(driver.ledger["r1"])
        #expect(run.decisions.map { SignatureAudit.verdict($0, in: run) } == [.unsigned, .unsigned])
    }

    @Test func aSignatureByAnotherKeyFails() throws {
        let driver = try closedRuns(sovereigns: [aliceSovereign], approver: "alice", sign: .ed25519(alice))
        // When mallory's key signs a statement in alice's name
        let verdict = try verdict(driver, sign: .ed25519(mallory))
        // Then it fails, and says why
        #expect(verdict == .failed("the signature does not verify against alice's public key"))
        #expect(verdict.isFailure)
        #expect(verdict.label == "FAILED: the signature does not verify against alice's public key")
    }

    @Test func aStatementMadeForAnotherRunFails() throws {
        let driver = try closedRuns(sovereigns: [aliceSovereign], approver: "alice", sign: .ed25519(alice))
        // When alice's genuine signature over a statement for r2 is presented for r1
        let verdict = try verdict(driver, run: "r1", statementFor: "r2", sign: .ed25519(alice))
        #expect(verdict == .failed("the statement names another run or signer"))
    }

    @Test func aStubDigestThatDoesNotRecomputeFails() throws {
        let driver = try closedRuns(sovereigns: [demoSovereign], approver: "demo", sign: .stub)
        let verdict = try verdict(driver, signer: "demo", sign: .forged(signature: "stub-sha256:0000"))
        #expect(verdict == .failed("the stub digest does not recompute"))
    }

    @Test func aSignerWhoIsNotASovereignOrUsesAnotherProviderFails() throws {
        let driver = try closedRuns(sovereigns: [aliceSovereign], approver: "alice", sign: .ed25519(alice))
        #expect(try verdict(driver, signer: "mallory", sign: .ed25519(mallory)) == .failed("mallory is not a sovereign of the run"))
        #expect(try verdict(driver, sign: .stub) == .failed("signed with stub, but alice signs with ed25519"))
    }

    // MARK: - The whole journal

    @Test func theJournalAuditCountsEveryVerdict() throws {
        // Given a journal with an ed25519 run, a stub run and an unsigned run
        var driver = LedgerDriver()
        driver.send(signedStart(sovereigns: [aliceSovereign]), to: "ed")
        try driver.driveToClose("ed", approver: "alice", sign: .ed25519(alice))
        driver.send(signedStart(sovereigns: [demoSovereign]), to: "stub")
        try driver.driveToClose("stub", approver: "demo")
        driver.send(signedStart(sovereigns: []), to: "open")
        try driver.driveToClose("open", approver: "anyone")
        // Then the audit counts two of each, and nothing failed
        let audit = JournalAudit(driver.ledger)
        #expect(audit.checked == 6 && audit.failures.isEmpty && audit.isClean)
        #expect(audit.summary == "signatures: 6 checked (2 verified, 2 stub INSECURE, 2 unsigned), 0 failed")
        #expect(audit.problems.isEmpty)
    }

    @Test func anEventTheStateMachineRefusesIsAProblemTheAuditNames() throws {
        // Given a run waiting at SG_1, and a journaled approval signed with mallory's key
        var driver = LedgerDriver()
        driver.send(signedStart(sovereigns: [aliceSovereign]), to: "r1")
        for phase in RunPlan.productionCut.phases.prefix(6) {
            driver.send(.phaseStarted(phase: phase.id), to: "r1")
            if phase.gate == nil { driver.send(.phaseCompleted(phase: phase.id, facts: proofFacts(phase.id)), to: "r1") }
        }
        let forged = RunEvent.gateApproved(try TestDecisions.approval(of: driver.ledger["r1"]!, gate: "SG_1", by: "alice", signedAt: 0,
                                                                      nonce: "n", signer: .ed25519(mallory)))
        // When the fold reads it as the journal holds it
        driver.sequence += 1
        driver.ledger.apply(JournalEvent(sequence: driver.sequence, timeMilliseconds: 0, runID: "r1", kind: forged.kind,
                                         actor: "mallory", payload: forged.payload, previousHash: JournalEvent.genesisHash))
        // Then no decision was made, and the audit names the event and why
        let audit = JournalAudit(driver.ledger)
        #expect(driver.ledger["r1"]!.decisions.isEmpty)
        #expect(!audit.isClean && audit.checked == 0)
        #expect(audit.summary.hasSuffix("0 failed; 1 event refused by the state machine"))
        #expect(audit.problems.count == 1)
        #expect(audit.problems[0].hasPrefix("run r1, event \(driver.sequence): gate.approved journaled by mallory, refused by the state machine:"))
        #expect(audit.problems[0].contains("does not verify"))
    }
}
