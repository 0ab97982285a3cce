import GatehouseCore
import GatehouseTestSupport
import Testing

/// A run's close-out is signed by the sovereign who approves its last gate: their approval
/// carries the close-out statement, and a close-out journaled with that signature holds only
/// while it is that statement.
struct CloseOutSignatureTests {
    private let alice = SoftwareSSHKey()

    /// A dry run whose one sovereign, alice, signs with `signer`, approved at both gates; then
    /// closed out with `closeOut` made from the run as it stands before it.
    private func closedRun(signer: (RunState, String) throws -> GateDecision,
                           closeOut: (RunState) -> RunFacts) throws -> (run: RunState, ledger: RunLedger) {
        var driver = LedgerDriver()
        let sovereign = Sovereign(name: "alice", provider: "ssh", publicKey: alice.line, gates: ["SG_1", "SG_2"])
        driver.send(.started(RunStart(mode: .dryRun, plan: .productionCut, document: "d", target: nil, operatorName: "ops",
                                      signing: "ssh", sovereigns: [sovereign])))
        for gate in ["SG_1", "SG_2"] {
            while let state = driver.ledger["run-1"], let next = state.nextPendingPhase, next.phase.id != gate {
                let phase = next.phase.id
                driver.send(.phaseStarted(phase: phase))
                var facts = phase == "select_document" ? RunFacts(documentDigest: "d1", signatureCritical: false) : RunFacts()
                if phase == "pre_state_snapshot" { facts.preStateSHA = "pre" }
                if phase == "verify" { facts.postStateSHA = "pre" }
                #expect(driver.send(.phaseCompleted(phase: phase, facts: facts)) == nil)
            }
            driver.send(.phaseStarted(phase: gate))
            #expect(driver.send(.gateApproved(try signer(driver.ledger["run-1"]!, gate))) == nil)
        }
        let run = try #require(driver.ledger["run-1"])
        driver.send(.phaseStarted(phase: "sign_and_close_out"))
        #expect(driver.send(.phaseCompleted(phase: "sign_and_close_out", facts: closeOut(run))) == nil)
        return (try #require(driver.ledger["run-1"]), driver.ledger)
    }

    private func signed(by key: SoftwareSSHKey) -> (RunState, String) throws -> GateDecision {
        { run, gate in
            let statement = ApprovalStatement.make(run: run, gate: gate, approve: true, by: "alice", reason: "", signedAt: 1, nonce: gate)
            return try TestDecisions.decision(gate, by: "alice", statement: statement, signer: .ssh(key))
        }
    }

    /// The close-out as the runner journals it: the statement, with the signature of the
    /// approval that carries it.
    private func asTheRunnerJournalsIt(_ run: RunState) -> RunFacts {
        let decision = CloseOutStatement.signingDecision(of: run)!
        return RunFacts(closeoutStatement: CloseOutStatement.make(run: run), closeoutProvider: decision.provider,
                        closeoutSignature: decision.signature, closeoutInsecure: false)
    }

    @Test func theLastApprovalCarriesTheCloseOutAndItsSignatureHoldsForIt() throws {
        let (run, ledger) = try closedRun(signer: signed(by: alice), closeOut: asTheRunnerJournalsIt)
        let sg2 = try #require(run.decisions.last?.decision)
        #expect(sg2.gate == "SG_2" && run.decisions.first?.decision.statement[CloseOutStatement.member] == nil)
        #expect(sg2.statement[CloseOutStatement.member] == .object(try #require(run.facts.closeoutStatement)))
        #expect(run.facts.closeoutStatement?["approvals"] == .array(["SG_1", "SG_2"].map { .object(["gate": .string($0), "by": .string("alice")]) }))
        #expect(CloseOutStatement.verdict(of: run) == .verified)
        #expect(JournalAudit(ledger).closeOutsVerified == 1 && JournalAudit(ledger).isClean)
    }

    @Test func aCloseOutOtherThanTheSignedOneOrRelabelledFails() throws {
        // Another post-state than the one the approver signed
        let (edited, ledger) = try closedRun(signer: signed(by: alice)) { run in
            var facts = asTheRunnerJournalsIt(run)
            facts.closeoutStatement?["post_sha"] = .string("tampered")
            return facts
        }
        guard case .failed(let reason)? = CloseOutStatement.verdict(of: edited) else {
            Issue.record("an edited close-out verified")
            return
        }
        #expect(reason == "the close-out is not the statement SG_2's approval by alice signed")
        #expect(JournalAudit(ledger).failures.map(\.kind) == ["run.closed_out"])

        // The stub's close-out claimed as the sovereign's
        let relabelled = try closedRun(signer: signed(by: alice)) { run in
            let statement = CloseOutStatement.make(run: run)
            return RunFacts(closeoutStatement: statement, closeoutProvider: "ssh", closeoutSignature: StubSigning.sign(statement), closeoutInsecure: false)
        }
        #expect(CloseOutStatement.verdict(of: relabelled.run) != .verified)
    }

    @Test func aStubCloseOutIsInsecureAsBefore() throws {
        let stub = try closedRun(signer: signed(by: alice)) { run in
            let statement = CloseOutStatement.make(run: run)
            return RunFacts(closeoutStatement: statement, closeoutProvider: StubSigning.providerName,
                            closeoutSignature: StubSigning.sign(statement), closeoutInsecure: true)
        }
        #expect(CloseOutStatement.verdict(of: stub.run) == .insecure)
    }
}
