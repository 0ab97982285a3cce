import Foundation
import GatehouseCore
import GatehouseEngine
import Testing

/// Sovereigns with ed25519 keys, through the real binary: keygen, approve --key, forgeries.
@Suite(.serialized)
struct SignedApprovalEndToEndTests {
    @Test func anEd25519SovereignSignsWithTheirKeyAndNoOtherKeyWorks() throws {
        let sandbox = try RunSandbox()
        // Given two key pairs from `gatehouse keygen`, and a programme naming alice only
        let keygen = try sandbox.gatehouse(["keygen", "alice", "--out", sandbox.directory + "/alice.key"])
        #expect(keygen.status == 0, "\(keygen.stderr)")
        let publicKey = try #require(keygen.stdout.split(separator: "\n").first { $0.contains("public_key: ") }?
            .split(separator: " ").last.map(String.init))
        #expect(try sandbox.gatehouse(["keygen", "eve", "--out", sandbox.directory + "/eve.key"]).status == 0)
        #expect(try sandbox.gatehouse(["keygen", "alice", "--out", sandbox.directory + "/alice.key"]).status != 0)
        let o5 = EmbeddedProgramme.o5
        let programme = String(o5[..<o5.range(of: "\n# Not from the source document")!.lowerBound]) + """

            sovereigns:
              - {name: alice, provider: ed25519, public_key: "\(publicKey)", gates: [SG_1, SG_2]}

            """
        let file = sandbox.directory + "/signed.yaml"
        try programme.write(toFile: file, atomically: true, encoding: .utf8)

        let runner = try sandbox.start(["run", "--dry-run", "--programme", file])
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        #expect(run.start.sovereigns.first?.publicKey == publicKey)

        // When eve signs as alice, or the demo stub sovereign tries, or alice's key is readable by others
        let forged = try sandbox.gatehouse(["approve", run.id, "SG_1", "--as", "alice", "--key", sandbox.directory + "/eve.key"])
        #expect(forged.status == 2 && forged.stderr.contains("is not alice's"))
        let stranger = try sandbox.gatehouse(["approve", run.id, "SG_1", "--as", "demo"])
        #expect(stranger.status == 2 && stranger.stderr.contains("'demo' is not a sovereign"))
        chmod(sandbox.directory + "/alice.key", 0o644)
        let leaky = try sandbox.gatehouse(["approve", run.id, "SG_1", "--as", "alice", "--key", sandbox.directory + "/alice.key"])
        #expect(leaky.status == 2 && leaky.stderr.contains("can be read by others"))
        chmod(sandbox.directory + "/alice.key", 0o600)
        #expect(try sandbox.store().ledger[run.id]?.waitingGate == "SG_1")

        // Then alice's own key approves both gates and the run closes out
        for gate in ["SG_1", "SG_2"] {
            _ = try sandbox.waitFor(gate) { $0.ledger[run.id]?.waitingGate == gate ? true : nil }
            let approve = try sandbox.gatehouse(["approve", run.id, gate, "--as", "alice", "--key", sandbox.directory + "/alice.key"])
            #expect(approve.status == 0 && approve.stdout.contains("ed25519 signature"), "\(approve.stderr)")
        }
        #expect(try runner.wait() == 0, "\(runner.output)")
        let closed = try #require(try sandbox.store().ledger[run.id])
        #expect(closed.decisions.allSatisfy { $0.decision.provider == "ed25519" && $0.decision.by == "alice" })
    }
}
