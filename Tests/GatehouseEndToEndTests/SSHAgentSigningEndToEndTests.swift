import Foundation
import GatehouseCore
import GatehouseEngine
import GatehouseTestSupport
import Testing

/// A sovereign pinned by an OpenSSH key signs from their SSH agent (a real `ssh-agent` the test
/// starts): the gates and the kill-switch of a LIVE run through the CLI and on the dashboard
/// under tmux, each signature checked in-process and by `ssh-keygen -Y verify`; without the
/// agent or the key, nothing is journaled.
@Suite(.serialized)
struct SSHAgentSigningEndToEndTests {
    /// A sandbox whose programme's one sovereign is `alice`, pinned by `line` (provider ssh).
    private func sandbox(aliceKey line: String) throws -> RunSandbox {
        let sovereigns = """
            sovereigns:
              - name: alice
                provider: ssh
                public_key: "\(line)"
                gates: [SG_1, SG_2, GATE-O6, GATE-O7, GATE-O8, GATE-CRYPTO, GATE-DEPLOY-ARCH]

            """
        return try RunSandbox.withSovereigns(sovereigns)
    }

    @Test func aLiveRunIsApprovedAndEnabledWithKeysInTheAgentAndOpenSSHAcceptsEverySignature() throws {
        let agent = try SSHAgentProcess()
        defer { agent.close() }
        let alice = try agent.makeKey("alice")
        try agent.add(alice.path)
        let sandbox = try sandbox(aliceKey: alice.line)
        let runner = try sandbox.start(["run", "--live"])
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        #expect(run.start.signing == "ssh")

        let first = try sandbox.gatehouse(["approve", run.id, "SG_1", "--as", "alice"], environment: agent.environment)
        #expect(first.status == 0 && first.stdout.contains("(ssh signature)"), "\(first.stdout)\(first.stderr)")
        _ = try sandbox.waitFor("the kill-switch request") { if case .awaitKillSwitch = $0.ledger[run.id]?.nextStep { true } else { nil } }
        let enable = try sandbox.gatehouse(["killswitch", "enable", run.id, "--confirm", run.id, "--as", "alice"],
                                           environment: agent.environment)
        #expect(enable.status == 0, "\(enable.stdout)\(enable.stderr)")
        _ = try sandbox.waitFor("SG_2") { $0.ledger[run.id]?.waitingGate == "SG_2" ? true : nil }
        let second = try sandbox.gatehouse(["approve", run.id, "SG_2", "--as", "alice"], environment: agent.environment)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(try runner.wait() == 0, "\(runner.output)")

        let closed = try #require(try sandbox.store().ledger[run.id])
        #expect(closed.outcome == .closed)
        // The close-out is signed for real: by alice's SG_2 approval, which carries it
        #expect(closed.facts.closeoutProvider == "ssh" && closed.facts.closeoutInsecure == false)
        #expect(closed.decisions.last?.decision.statement[CloseOutStatement.member] == closed.facts.closeoutStatement.map(JSONValue.object))
        let verify = try sandbox.gatehouse(["verify"])
        #expect(verify.status == 0 && verify.stdout.contains("1 close-out signed by a sovereign, verified"), "\(verify.stdout)\(verify.stderr)")
        let signed = closed.signedActs
        #expect(signed.count == 3)
        for (signature, statement, provider) in signed {
            #expect(provider == "ssh")
            #expect(try OpenSSHVerify.accepts(signature, of: statement, by: alice.line), "ssh-keygen -Y verify refused \(signature)")
        }
    }

    @Test func theDashboardSignsTheGatesAndTheKillSwitchWithTheKeyInTheAgent() throws {
        let agent = try SSHAgentProcess()
        defer { agent.close() }
        let alice = try agent.makeKey("alice", type: "ecdsa")
        try agent.add(alice.path)
        let sandbox = try sandbox(aliceKey: alice.line)
        let closed = try DashboardSigning.liveRunWalked(in: sandbox, by: "alice", provider: "ssh", environment: agent.environment)
        #expect(closed.outcome == .closed)
        #expect(try sandbox.gatehouse(["verify"]).status == 0)
        let signed = closed.signedActs
        #expect(signed.count == 3)
        for (signature, statement, _) in signed {
            #expect(try OpenSSHVerify.accepts(signature, of: statement, by: alice.line), "ssh-keygen -Y verify refused \(signature)")
        }
    }

    @Test func withoutTheAgentOrThePinnedKeyInItNothingIsSignedOrJournaled() throws {
        let agent = try SSHAgentProcess()
        defer { agent.close() }
        let alice = try agent.makeKey("alice")
        let mallory = try agent.makeKey("mallory")
        let sandbox = try sandbox(aliceKey: alice.line)
        let runner = try sandbox.start(["run", "--dry-run"])
        defer { runner.kill(SIGKILL) }
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        let events = try sandbox.store().journal.events(after: 0).count
        func approve(_ environment: [String: String]) throws -> (status: Int32, stdout: String, stderr: String) {
            try sandbox.gatehouse(["approve", run.id, "SG_1", "--as", "alice"], environment: environment)
        }
        // No agent named
        let none = try approve(["SSH_AUTH_SOCK": ""])
        #expect(none.status == 2 && none.stderr.contains("no SSH agent: SSH_AUTH_SOCK is not set"), "\(none.stderr)")
        // An agent that is not running
        let gone = try approve(["SSH_AUTH_SOCK": agent.directory + "/nobody.sock"])
        #expect(gone.status == 2 && gone.stderr.contains("is not running"), "\(gone.stderr)")
        // The agent holds no key, then only another one
        let empty = try approve(agent.environment)
        #expect(empty.status == 2 && empty.stderr.contains("is not in the SSH agent") && empty.stderr.contains("it holds no key"), "\(empty.stderr)")
        try agent.add(mallory.path)
        let other = try approve(agent.environment)
        let malloryKey = try SSHPublicKey(line: mallory.line)
        #expect(other.status == 2 && other.stderr.contains("it holds ssh-ed25519 \(malloryKey.fingerprint)") && other.stderr.contains("ssh-add"),
                "\(other.stderr)")
        #expect(try sandbox.store().journal.events(after: 0).count == events)
        #expect(try sandbox.store().ledger[run.id]?.waitingGate == "SG_1")
        // Then with alice's key loaded it signs
        try agent.add(alice.path)
        let signed = try approve(agent.environment)
        #expect(signed.status == 0, "\(signed.stderr)")
    }
}
