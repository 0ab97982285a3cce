import Foundation
import GatehouseCore
import GatehouseEngine
import GatehouseTestSupport
import Testing

/// A sovereign pinned by an OpenPGP key signs through the real gpg, with a key in a throw-away
/// GNUPGHOME: a LIVE run approved, enabled and closed out through the CLI and the dashboard, every signature
/// checked in-process and by `gpg --verify`; without the secret key, or without gpg, nothing
/// is signed or journaled.
@Suite(.serialized)
struct OpenPGPSigningEndToEndTests {
    /// A sandbox whose programme's one sovereign is `bob`, pinned by `keys`' key (provider
    /// openpgp), the armoured key in the programme or, with `inFile`, in a file beside it.
    private func sandbox(bob keys: GnuPGHome, inFile: Bool = false) throws -> RunSandbox {
        let armored = try keys.gpg(["--batch", "--armor", "--export", keys.fingerprint]).output
        let block = "    openpgp_key: |\n" + armored.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n")
        let sovereigns = """
            sovereigns:
              - name: bob
                provider: openpgp
                public_key: \(keys.fingerprint)
                gates: [SG_1, SG_2, GATE-O6, GATE-O7, GATE-O8, GATE-CRYPTO, GATE-DEPLOY-ARCH]
            \(inFile ? "    openpgp_key_file: bob.asc" : block)

            """
        return try RunSandbox.withSovereigns(sovereigns, beside: inFile ? ["bob.asc": armored] : [:])
    }

    /// Whether the real `gpg --verify` accepts `signature` (as journaled) over the statement.
    private func gpgAccepts(_ signature: String, of statement: [String: JSONValue], keys: GnuPGHome) throws -> Bool {
        let packet = try #require(OpenPGPSigning.packet(fromText: signature))
        let file = keys.directory + "/statement-\(UUID().uuidString.prefix(8))"
        try Data(ApprovalStatement.signedBytes(statement)).write(to: URL(fileURLWithPath: file))
        try Data(packet).write(to: URL(fileURLWithPath: file + ".sig"))
        return try keys.gpg(["--batch", "--verify", file + ".sig", file]).status == 0
    }

    @Test func aLiveRunIsApprovedEnabledAndClosedOutWithAnOpenPGPKeyAndGpgAcceptsEverySignature() throws {
        let keys = try GnuPGHome(name: "Bob Sovereign")
        defer { keys.close() }
        let sandbox = try sandbox(bob: keys)
        let runner = try sandbox.start(["run", "--live"])
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        #expect(run.start.signing == "openpgp" && run.start.sovereigns.first?.openPGPKey?.contains("BEGIN PGP PUBLIC KEY BLOCK") == true)

        let first = try sandbox.gatehouse(["approve", run.id, "SG_1", "--as", "bob"], environment: keys.environment)
        #expect(first.status == 0 && first.stdout.contains("(openpgp signature)"), "\(first.stdout)\(first.stderr)")
        _ = try sandbox.waitFor("the kill-switch request") { if case .awaitKillSwitch = $0.ledger[run.id]?.nextStep { true } else { nil } }
        let enable = try sandbox.gatehouse(["killswitch", "enable", run.id, "--confirm", run.id, "--as", "bob"], environment: keys.environment)
        #expect(enable.status == 0, "\(enable.stdout)\(enable.stderr)")
        _ = try sandbox.waitFor("SG_2", timeout: 30) { $0.ledger[run.id]?.waitingGate == "SG_2" ? true : nil }
        let second = try sandbox.gatehouse(["approve", run.id, "SG_2", "--as", "bob"], environment: keys.environment)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(try runner.wait() == 0, "\(runner.output)")

        let closed = try #require(try sandbox.store().ledger[run.id])
        #expect(closed.outcome == .closed && closed.facts.closeoutProvider == "openpgp" && closed.facts.closeoutInsecure == false)
        let verify = try sandbox.gatehouse(["verify"])
        #expect(verify.status == 0 && verify.stdout.contains("1 close-out signed by a sovereign, verified"), "\(verify.stdout)\(verify.stderr)")
        let signed = closed.signedActs
        #expect(signed.count == 3)
        for (signature, statement, _) in signed {
            #expect(try gpgAccepts(signature, of: statement, keys: keys), "gpg --verify refused \(signature)")
        }
    }

    @Test func theDashboardSignsTheGatesAndTheKillSwitchWithTheOpenPGPKeyAFileBesideTheProgrammePins() throws {
        let keys = try GnuPGHome(name: "Bob Sovereign")
        defer { keys.close() }
        let sandbox = try sandbox(bob: keys, inFile: true)
        let closed = try DashboardSigning.liveRunWalked(in: sandbox, by: "bob", provider: "openpgp", environment: keys.environment)
        #expect(closed.outcome == .closed && closed.facts.closeoutProvider == "openpgp")
        #expect(try sandbox.gatehouse(["verify"]).status == 0)
        let signed = closed.signedActs
        for (signature, statement, _) in signed {
            #expect(try gpgAccepts(signature, of: statement, keys: keys), "gpg --verify refused \(signature)")
        }
    }

    @Test func withoutTheSecretKeyOrWithoutGpgNothingIsSignedOrJournaled() throws {
        let keys = try GnuPGHome(name: "Bob Sovereign")
        defer { keys.close() }
        let sandbox = try sandbox(bob: keys)
        let runner = try sandbox.start(["run", "--dry-run"])
        defer { runner.kill(SIGKILL) }
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        let events = try sandbox.store().journal.events(after: 0).count
        // A keyring that has bob's public key only (as any verifier's would)
        let stranger = try GnuPGHome(name: "Someone Else")
        defer { stranger.close() }
        let exported = keys.directory + "/bob.pub"
        #expect(try keys.gpg(["--batch", "--yes", "--output", exported, "--export", keys.fingerprint]).status == 0)
        #expect(try stranger.gpg(["--batch", "--import", exported]).status == 0)
        let noSecret = try sandbox.gatehouse(["approve", run.id, "SG_1", "--as", "bob"], environment: stranger.environment)
        #expect(noSecret.status == 2 && noSecret.stderr.contains("has no secret key in gpg's keyring (GNUPGHOME=\(stranger.directory))")
                && noSecret.stderr.contains("insert the OpenPGP card"), "\(noSecret.stderr)")
        let noGpg = try sandbox.gatehouse(["approve", run.id, "SG_1", "--as", "bob"], environment: keys.environment.merging(["PATH": "/nonexistent"]) { $1 })
        #expect(noGpg.status == 2 && noGpg.stderr.contains("apt-get install gnupg"), "\(noGpg.stderr)")
        #expect(try sandbox.store().journal.events(after: 0).count == events)
        let signed = try sandbox.gatehouse(["approve", run.id, "SG_1", "--as", "bob"], environment: keys.environment)
        #expect(signed.status == 0, "\(signed.stderr)")
    }
}
