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

    @Test func aPassphraseProtectedKeyIsAskedForOnTheTerminalWithoutEchoAndAWrongOneSignsNothing() throws {
        let sandbox = try RunSandbox()
        let key = sandbox.directory + "/alice.key"
        let environment = sandbox.environment.merging(["LANG": "C.UTF-8", "TERM": "xterm-256color"]) { $1 }
        // Given a key made by `keygen --passphrase`, the passphrase typed twice on the terminal
        let keygen = try TmuxSession(command: "'\(Binary.path)' keygen alice --passphrase --out '\(key)'; echo KEYGEN $?; sleep 600",
                                     width: 240, height: 40, environment: environment)
        defer { keygen.close() }
        try keygen.waitFor("passphrase for the new key \(key):")
        try keygen.send("-l", "tr0ub4dor")
        try keygen.send("Enter")
        try keygen.waitFor("the same passphrase again:")
        try keygen.send("-l", "tr0ub4dor")
        try keygen.send("Enter")
        let made = try keygen.waitFor("KEYGEN 0", timeout: 20)
        #expect(!made.contains("tr0ub4dor"), "the passphrase was echoed:\n\(made)")
        #expect(made.contains("sealed under your passphrase"))
        let publicKey = try #require(made.split(separator: "\n").first { $0.contains("public_key: ") }?.split(separator: " ").last.map(String.init))
        let o5 = EmbeddedProgramme.o5
        let programme = String(o5[..<o5.range(of: "\n# Not from the source document")!.lowerBound])
            + "\nsovereigns:\n  - {name: alice, provider: ed25519, public_key: \"\(publicKey)\", gates: [SG_1, SG_2]}\n"
        let file = sandbox.directory + "/signed.yaml"
        try programme.write(toFile: file, atomically: true, encoding: .utf8)
        let runner = try sandbox.start(["run", "--dry-run", "--programme", file])
        defer { runner.kill(SIGKILL) }
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        let before = try sandbox.store().ledger.sequence

        // When alice approves and types a wrong passphrase, then the right one
        let approve = "'\(Binary.path)' approve \(run.id) SG_1 --as alice --key '\(key)'; echo APPROVE $?"
        let signing = try TmuxSession(command: "\(approve); \(approve); sleep 600", width: 240, height: 40, environment: environment)
        defer { signing.close() }
        try signing.waitFor("passphrase for \(key):")
        try signing.send("-l", "tr0ub4dour")
        try signing.send("Enter")
        let wrong = try signing.waitFor("APPROVE 2", timeout: 20)
        #expect(wrong.contains("the passphrase for \(key) is wrong"), "\(wrong)")
        #expect(try sandbox.store().ledger.sequence == before)
        _ = try signing.waitFor("the second prompt") { $0.components(separatedBy: "passphrase for \(key):").count == 3 }
        try signing.send("-l", "tr0ub4dor")
        try signing.send("Enter")
        let signed = try signing.waitFor("APPROVE 0", timeout: 20)
        #expect(signed.contains("SG_1 approved by alice (ed25519 signature)") && !signed.contains("tr0ub4dor"), "\(signed)")

        // And on the dashboard, SG_2: the passphrase asked after the phrase, never drawn
        _ = try sandbox.waitFor("SG_2") { $0.ledger[run.id]?.waitingGate == "SG_2" ? true : nil }
        let dashboard = try TmuxSession(command: "'\(Binary.path)' --as alice --key '\(key)' --programme '\(file)'; echo EXITED $?; sleep 600",
                                        width: 120, height: 30, environment: environment)
        defer { dashboard.close() }
        try dashboard.waitFor("1 Matrix")
        for attempt in ["tr0ub4dour", "tr0ub4dor"] {
            try dashboard.send("4")
            try dashboard.waitFor("SG_2        \(run.shortID)")
            try dashboard.send("Enter")
            try dashboard.waitFor("Signing as  alice (ed25519)")
            try dashboard.send("a")
            try dashboard.send("-l", "SG_2 \(run.shortID)")
            try dashboard.send("Enter")
            try dashboard.waitFor("Passphrase of \(key): _ (not shown)")
            try dashboard.send("-l", attempt)
            try dashboard.send("Enter")
            let result = try dashboard.waitFor("Any key closes.", timeout: 20)
            #expect(!result.contains(attempt), "the passphrase was drawn:\n\(result)")
            if attempt == "tr0ub4dour" {
                #expect(result.contains("cannot sign: the passphrase for") && result.contains("Nothing was recorded"), "\(result)")
                #expect(try sandbox.store().ledger[run.id]?.waitingGate == "SG_2")
            } else {
                #expect(result.contains("SG_2 approved by alice; recorded in the journal"), "\(result)")
            }
            try dashboard.send("Escape")
        }
        #expect(try runner.wait() == 0, "\(runner.output)")
    }
}
