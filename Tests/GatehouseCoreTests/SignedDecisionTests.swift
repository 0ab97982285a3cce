import Foundation
import Crypto
import GatehouseCore
import GatehouseTestSupport
import Testing

/// Decisions at sovereign gates hold only when signed by a sovereign for that gate, with a
/// signature that verifies and a statement bound to the run as it stands. Each forgery is
/// refused, and the refusal is recorded.
struct SignedDecisionTests {
    private let alice = Ed25519Signing.generate()
    private let bob = Ed25519Signing.generate()
    private let mallory = Ed25519Signing.generate()
    private let carol = SoftwareSSHKey()

    private func sovereigns() -> [Sovereign] {
        [
            Sovereign(name: "alice", provider: "ed25519", publicKey: Ed25519Signing.publicKeyText(alice.publicKey), gates: ["SG_1", "SG_2"]),
            Sovereign(name: "bob", provider: "ed25519", publicKey: Ed25519Signing.publicKeyText(bob.publicKey), gates: ["SG_2"]),
            Sovereign(name: "demo", provider: "stub", publicKey: nil, gates: ["SG_1"]),
            Sovereign(name: "carol", provider: "ssh", publicKey: carol.line, gates: ["SG_1"]),
        ]
    }

    /// A ledger whose run `r1` (and `r2`) waits at SG_1 with a pre-state SHA and candidates.
    private func waitingAtSG1(rules: ApprovalRules = ApprovalRules()) -> LedgerDriver {
        var driver = LedgerDriver()
        for run in ["r1", "r2"] {
            driver.send(.started(RunStart(mode: .dryRun, plan: .productionCut, document: "d", target: nil, operatorName: "olga",
                                          signing: "stub", sovereigns: sovereigns(), rules: rules)), to: run)
            for phase in RunPlan.productionCut.phases.prefix(5) {
                driver.send(.phaseStarted(phase: phase.id), to: run)
                var facts: [String: JSONValue] = [:]
                if phase.id == "pre_state_snapshot" { facts["pre_sha"] = .string("sha-\(run)") }
                if phase.id == "cut_candidates" { facts["candidates_digest"] = .string("cand-\(run)") }
                driver.send(.phaseCompleted(phase: phase.id, facts: RunFacts(json: facts)), to: run)
            }
            driver.send(.phaseStarted(phase: "SG_1"), to: run)
        }
        return driver
    }

    /// A decision signed with `key` (or the stub when nil) over a statement made for `run`.
    private func decision(_ driver: LedgerDriver, run: String = "r1", gate: String = "SG_1", by name: String,
                          key: Curve25519.Signing.PrivateKey?, signedAt: Int64? = nil,
                          edit: (inout [String: JSONValue]) -> Void = { _ in }) throws -> GateDecision {
        var statement = ApprovalStatement.make(run: driver.ledger[run]!, gate: gate, approve: true, by: name, reason: "ok",
                                               signedAt: signedAt ?? driver.sequence * 1000, nonce: "n")
        edit(&statement)
        return try TestDecisions.decision(gate, by: name, reason: "ok", statement: statement, signer: key.map { .ed25519($0) } ?? .stub)
    }

    private func expectRefused(_ refusal: RunRefusal?, _ phrase: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .approvalInvalid(_, _, let reason)? = refusal else {
            Issue.record("expected the decision to be refused (\(phrase)), got \(String(describing: refusal))", sourceLocation: sourceLocation)
            return
        }
        #expect(reason.contains(phrase), "reason: \(reason)", sourceLocation: sourceLocation)
    }

    /// carol's decision at SG_1 of r1, signed by `signer` (her own key in Gatehouse's namespace unless given).
    private func sshDecision(_ driver: LedgerDriver, signer: TestSigner? = nil) throws -> GateDecision {
        let statement = ApprovalStatement.make(run: driver.ledger["r1"]!, gate: "SG_1", approve: true, by: "carol", reason: "ok",
                                               signedAt: driver.sequence * 1000, nonce: "n")
        return try TestDecisions.decision("SG_1", by: "carol", reason: "ok", statement: statement, signer: signer ?? .ssh(carol))
    }

    @Test func anSSHSovereignsSignatureInGatehousesNamespaceIsAccepted() throws {
        var driver = waitingAtSG1()
        #expect(driver.send(.gateApproved(try sshDecision(driver)), to: "r1") == nil)
        #expect(driver.ledger["r1"]?.decisions.first?.decision.provider == "ssh")
    }

    @Test func anSSHSignatureFromAnotherNamespaceAnotherKeyOrEditedIsRefused() throws {
        var driver = waitingAtSG1()
        // Made by carol's key, but for git (as `git commit -S` with an SSH key would)
        expectRefused(driver.send(.gateApproved(try sshDecision(driver, signer: .ssh(carol, namespace: "git"))), to: "r1"), "does not verify")
        // Made by another OpenSSH key in the right namespace
        expectRefused(driver.send(.gateApproved(try sshDecision(driver, signer: .ssh(SoftwareSSHKey()))), to: "r1"), "does not verify")
        // Her own, with one byte of the SSHSIG blob changed
        var edited = try sshDecision(driver)
        var blob = Array(Data(base64Encoded: String(edited.signature.dropFirst("sshsig:".count)))!)
        blob[blob.count - 10] ^= 0x01
        edited.signature = "sshsig:" + Data(blob).base64EncodedString()
        expectRefused(driver.send(.gateApproved(edited), to: "r1"), "does not verify")
        // Signed with ssh but journaled as another provider
        var relabelled = try sshDecision(driver)
        relabelled.provider = "ed25519"
        #expect(driver.send(.gateApproved(relabelled), to: "r1") != nil)
        #expect(driver.ledger["r1"]?.waitingGate == "SG_1")
    }

    @Test func aSovereignsOwnSignatureIsAccepted() throws {
        var driver = waitingAtSG1()
        #expect(driver.send(.gateApproved(try decision(driver, by: "alice", key: alice)), to: "r1") == nil)
        #expect(driver.ledger["r1"]!.approval(of: "SG_1")?.decision.by == "alice")
        #expect(driver.send(.gateApproved(try decision(driver, run: "r2", by: "demo", key: nil)), to: "r2") == nil)
    }

    @Test func aWrongKeyIsRefused() throws {
        var driver = waitingAtSG1()
        expectRefused(driver.send(.gateApproved(try decision(driver, by: "alice", key: mallory)), to: "r1"), "does not verify")
        #expect(driver.ledger["r1"]!.decisions.isEmpty)
    }

    @Test func anAlteredStatementIsRefused() throws {
        var driver = waitingAtSG1()
        var forged = try decision(driver, by: "alice", key: alice)
        forged.statement["reason"] = .string("something else")
        expectRefused(driver.send(.gateApproved(forged), to: "r1"), "does not verify")
    }

    @Test func anUnknownSignerIsRefused() throws {
        var driver = waitingAtSG1()
        expectRefused(driver.send(.gateApproved(try decision(driver, by: "mallory", key: mallory)), to: "r1"), "is not a sovereign")
    }

    @Test func aSignerNotAllowedForTheGateIsRefused() throws {
        var driver = waitingAtSG1()
        expectRefused(driver.send(.gateApproved(try decision(driver, by: "bob", key: bob)), to: "r1"), "bob may not sign SG_1")
    }

    @Test func aDecisionReplayedFromAnotherRunIsRefused() throws {
        var driver = waitingAtSG1()
        let forRunTwo = try decision(driver, run: "r2", by: "alice", key: alice)
        expectRefused(driver.send(.gateApproved(forRunTwo), to: "r1"), "signed for run r2")
    }

    @Test func aDecisionBoundToAnOldPreStateOrOldCandidatesIsRefused() throws {
        var driver = waitingAtSG1()
        expectRefused(driver.send(.gateApproved(try decision(driver, by: "alice", key: alice) { $0["pre_sha"] = .string("sha-old") }), to: "r1"),
                      "bound to pre_sha")
        expectRefused(driver.send(.gateApproved(try decision(driver, by: "alice", key: alice) { $0["candidates_digest"] = .string("old") }), to: "r1"),
                      "bound to candidates_digest")
        // And each refusal was recorded... by the engine; the ledger itself changed nothing.
        #expect(driver.ledger["r1"]!.decisions.isEmpty && driver.ledger["r1"]!.waitingGate == "SG_1")
    }

    @Test func theTwoPersonRuleRefusesTheSameSovereignOnBothGates() throws {
        var driver = waitingAtSG1(rules: ApprovalRules(twoPersonRule: true))
        #expect(driver.send(.gateApproved(try decision(driver, by: "alice", key: alice)), to: "r1") == nil)
        driver.advance("r1", to: "SG_2")
        driver.send(.phaseStarted(phase: "SG_2"), to: "r1")
        expectRefused(driver.send(.gateApproved(try decision(driver, gate: "SG_2", by: "alice", key: alice)), to: "r1"), "two-person rule")
        #expect(driver.send(.gateApproved(try decision(driver, gate: "SG_2", by: "bob", key: bob)), to: "r1") == nil)
    }

    @Test func theOperatorMayBeForbiddenToApproveTheirOwnRun() throws {
        var driver = LedgerDriver()
        driver.send(.started(RunStart(mode: .dryRun, plan: .productionCut, document: "d", target: nil, operatorName: "alice",
                                      signing: "stub", sovereigns: sovereigns(), rules: ApprovalRules(operatorMayApprove: false))), to: "r1")
        driver.advance("r1", to: "SG_1")
        driver.send(.phaseStarted(phase: "SG_1"), to: "r1")
        expectRefused(driver.send(.gateApproved(try decision(driver, by: "alice", key: alice)), to: "r1"), "started this run")
    }

    @Test func anExpiredDecisionIsRefused() throws {
        var driver = waitingAtSG1(rules: ApprovalRules(expirySeconds: ["SG_1": 60]))
        // Signed two minutes before it reaches the journal.
        let stale = try decision(driver, by: "alice", key: alice, signedAt: (driver.sequence + 1) * 1000 - 120_000)
        expectRefused(driver.send(.gateApproved(stale), to: "r1"), "expire after 60 s")
        #expect(driver.send(.gateApproved(try decision(driver, by: "alice", key: alice, signedAt: (driver.sequence + 1) * 1000 - 5_000)), to: "r1") == nil)
    }

    @Test func ed25519KeysSignAndVerifyRoundTrip() throws {
        let statement: [String: JSONValue] = ["run": .string("r"), "gate": .string("SG_1")]
        let signature = try Ed25519Signing.sign(statement, with: alice)
        let publicKey = Ed25519Signing.publicKeyText(alice.publicKey)
        #expect(Ed25519Signing.verify(signature, of: statement, publicKey: publicKey))
        #expect(!Ed25519Signing.verify(signature, of: ["run": .string("r2"), "gate": .string("SG_1")], publicKey: publicKey))
        #expect(!Ed25519Signing.verify(signature, of: statement, publicKey: Ed25519Signing.publicKeyText(bob.publicKey)))
        #expect(Ed25519Signing.publicKey(fromText: publicKey) != nil)
        #expect(Ed25519Signing.publicKey(fromText: "ed25519:short") == nil)
    }
}
