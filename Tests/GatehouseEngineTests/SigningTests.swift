import Foundation
import GatehouseCore
import GatehouseTestSupport
import Testing
@testable import GatehouseEngine

/// Private key files, and signers chosen by the sovereigns a run pinned.
struct SigningTests {
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)").path

    @Test func keygenWritesAnOwnerOnlyKeyAndNeverOverwrites() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/alice.key"
        let publicKey = try PrivateKeyFile.create(name: "alice", at: path)
        #expect(publicKey.hasPrefix("ed25519:") && Ed25519Signing.publicKey(fromText: publicKey) != nil)
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        // The key read back is the one whose public half was printed
        #expect(Ed25519Signing.publicKeyText(try PrivateKeyFile.read(path).publicKey) == publicKey)
        #expect(throws: SigningError.self) { try PrivateKeyFile.create(name: "alice", at: path) }
    }

    @Test func aKeyOthersCanReadIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/alice.key"
        _ = try PrivateKeyFile.create(name: "alice", at: path)
        chmod(path, 0o644)
        do {
            _ = try PrivateKeyFile.read(path)
            Issue.record("a 0644 key was accepted")
        } catch let error as SigningError {
            #expect(error.description.contains("can be read by others (mode 644)") && error.description.contains("chmod 600"))
        }
    }

    private func refusal(_ body: () throws -> Void) -> String? {
        do { try body() } catch { return "\(error)" }
        return nil
    }

    @Test func aKeySealedUnderAPassphraseOpensWithItAndWithNothingElse() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/alice.key"
        let publicKey = try PrivateKeyFile.create(name: "alice", at: path, passphrase: "correct horse")
        #expect(PrivateKeyFile.isProtected(path))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("gatehouse-ed25519-private-key-v2-scrypt\nalice\nscrypt:32768:8:1:") && text.split(separator: "\n").count == 4)
        var asked: [String] = []
        let key = try PrivateKeyFile.read(path) { file in asked.append(file); return "correct horse" }
        #expect(Ed25519Signing.publicKeyText(key.publicKey) == publicKey && asked == [path])
        #expect(refusal { _ = try PrivateKeyFile.read(path) { _ in "wrong horse" } } == "the passphrase for \(path) is wrong (or the file was altered); nothing was signed")
        #expect(refusal { _ = try PrivateKeyFile.read(path) }?.contains("is protected by a passphrase and there is no terminal") == true)
        // The name line is bound to the sealed key: another name does not open it
        try text.replacingOccurrences(of: "\nalice\n", with: "\neve\n").write(toFile: path, atomically: false, encoding: .utf8)
        #expect(refusal { _ = try PrivateKeyFile.read(path) { _ in "correct horse" } }?.contains("is wrong (or the file was altered)") == true)
        #expect(refusal { _ = try PrivateKeyFile.create(name: "bob", at: directory + "/bob.key", passphrase: "") }?.contains("the passphrase is empty") == true)
    }

    @Test(.enabled(if: getuid() == 0, "chown to another user needs root"))
    func aKeyThatIsNotTheUsersOwnIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/alice.key"
        _ = try PrivateKeyFile.create(name: "alice", at: path)
        #expect(chown(path, 65534, 65534) == 0)
        #expect(refusal { _ = try PrivateKeyFile.read(path) }?.contains("belongs to user 65534, not to you (user 0)") == true)
    }

    @Test func aSignerUsesTheSovereignsProviderAndRefusesAnotherKey() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let alicePublic = try PrivateKeyFile.create(name: "alice", at: directory + "/alice.key")
        _ = try PrivateKeyFile.create(name: "eve", at: directory + "/eve.key")
        var ledger = RunLedger()
        ledger.apply(.started(RunStart(mode: .dryRun, plan: .productionCut, document: nil, target: nil, operatorName: "o", signing: "stub",
                                       sovereigns: [Sovereign(name: "alice", provider: "ed25519", publicKey: alicePublic, gates: ["SG_1"]),
                                                    Sovereign(name: "demo", provider: "stub", publicKey: nil, gates: ["SG_1"])])),
                     run: "r", actor: "o", sequence: 1, time: 1)
        let run = try #require(ledger["r"])
        let statement: [String: JSONValue] = ["run": .string("r")]
        let signer = try SovereignSigner.forSovereign("alice", of: run, keyFile: directory + "/alice.key")
        #expect(signer.provider == "ed25519")
        #expect(Ed25519Signing.verify(try signer.sign(statement), of: statement, publicKey: alicePublic))
        #expect(try SovereignSigner.forSovereign("demo", of: run, keyFile: nil).provider == "stub")
        #expect(throws: SigningError.self) { try SovereignSigner.forSovereign("alice", of: run, keyFile: directory + "/eve.key") }
        #expect(throws: SigningError.self) { try SovereignSigner.forSovereign("alice", of: run, keyFile: nil) }
        #expect(throws: SigningError.self) { try SovereignSigner.forSovereign("mallory", of: run, keyFile: nil) }
    }

    @Test func aForgedDecisionIsRefusedAndTheRefusalJournaled() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try RunStore(journal: SQLiteJournal(path: directory + "/journal.sqlite"))
        try store.record(.started(RunStart(mode: .dryRun, plan: .productionCut, document: nil, target: nil, operatorName: "o", signing: "stub",
                                           sovereigns: [Sovereign(name: "demo", provider: "stub", publicKey: nil, gates: ["SG_1"])])),
                         run: "r", actor: "o")
        for phase in RunPlan.productionCut.phases.prefix(5) {
            try store.record([.phaseStarted(phase: phase.id), .phaseCompleted(phase: phase.id, facts: RunFacts())], run: "r", actor: "runner")
        }
        try store.record(.phaseStarted(phase: "SG_1"), run: "r", actor: "runner")
        let forged = try TestDecisions.approval(of: store.ledger["r"]!, gate: "SG_1", by: "demo", signedAt: 0, nonce: "n",
                                                signer: .forged(signature: "stub-sha256:00"))
        #expect(throws: RunRefusal.self) { try store.record(.gateApproved(forged), run: "r", actor: "mallory") }
        let refusal = try #require(store.ledger["r"]?.refusals.last)
        #expect(refusal.code == "approval_invalid" && refusal.actor == "mallory" && refusal.message.contains("does not verify"))
        #expect(store.ledger["r"]?.waitingGate == "SG_1")
    }
}
