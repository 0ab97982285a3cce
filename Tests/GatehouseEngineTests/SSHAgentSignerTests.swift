import Foundation
import GatehouseCore
import GatehouseTestSupport
import Testing
@testable import GatehouseEngine

/// What an SSH sovereign's signer does with an agent that misbehaves: it refuses, stalls past
/// the timeout, or returns a signature that does not hold for the pinned key (another
/// namespace, an edited blob); each is an error before anything could be journaled.
struct SSHAgentSignerTests {
    private let alice = SoftwareSSHKey()
    private let statement: [String: JSONValue] = ["run": .string("r"), "gate": .string("SG_1")]

    private var run: RunState {
        var ledger = RunLedger()
        ledger.apply(.started(RunStart(mode: .dryRun, plan: .productionCut, document: nil, target: nil, operatorName: "o", signing: "ssh",
                                       sovereigns: [Sovereign(name: "alice", provider: "ssh", publicKey: alice.line, gates: ["SG_1"])])),
                     run: "r", actor: "o", sequence: 1, time: 1)
        return ledger["r"]!
    }

    /// An agent that holds alice's key and answers a signing request with `signature(data)`'s
    /// encoding (nil: SSH_AGENT_FAILURE).
    private func agent(signing signature: @escaping @Sendable ([UInt8]) -> [UInt8]?) throws -> FakeSSHAgent {
        let blob = alice.blob
        return try FakeSSHAgent { type, body in
            switch type {
            case 11: return FakeSSHAgent.identities([blob])
            case 13:
                var reader = SSHWireReader(body)
                guard (try? reader.string()) == blob, let data = try? reader.string(), let made = signature(data) else {
                    return FakeSSHAgent.message(5)
                }
                var answer = SSHWireWriter()
                answer.string(made)
                return FakeSSHAgent.message(14, answer.bytes)
            default: return FakeSSHAgent.message(5)
            }
        }
    }

    /// alice's key's signature encoding of `data`.
    private static func encoding(_ key: SoftwareSSHKey, _ data: [UInt8]) -> [UInt8] {
        var writer = SSHWireWriter()
        writer.string("ssh-ed25519")
        writer.string(Array(try! key.key.signature(for: data)))
        return writer.bytes
    }

    private func signing(with agent: FakeSSHAgent) throws -> String {
        try SovereignSigner.forSovereign("alice", of: run, keyFile: nil, environment: ["SSH_AUTH_SOCK": agent.socketPath]).sign(statement)
    }

    private func refusal(_ body: () throws -> Void) -> String? {
        do { try body() } catch { return "\(error)" }
        return nil
    }

    @Test func anAgentThatSignsAsAskedGivesASignatureThatHolds() throws {
        let key = alice
        let honest = try agent { Self.encoding(key, $0) }
        defer { honest.close() }
        #expect(SSHSigning.verify(try signing(with: honest), of: statement, publicKey: alice.line))
    }

    @Test func anAgentThatRefusesSignsNothing() throws {
        let refusing = try agent { _ in nil }
        defer { refusing.close() }
        #expect(refusal { _ = try signing(with: refusing) }?.contains("refused to sign with \(try SSHPublicKey(line: alice.line).fingerprint)") == true)
    }

    @Test func aSignatureForAnotherNamespaceOrEditedIsCaughtBeforeItIsReturned() throws {
        let key = alice
        let git = try agent { data in
            // Not the SSHSIG preamble Gatehouse sent, but one of git's namespace
            Self.encoding(key, SSHSignature.signedData(namespace: "git", message: Array(data.suffix(64))))
        }
        defer { git.close() }
        #expect(refusal { _ = try signing(with: git) }?.contains("signed, but its signature does not hold") == true)
        let edited = try agent { data in
            var made = Self.encoding(key, data)
            made[made.count - 1] ^= 0x01
            return made
        }
        defer { edited.close() }
        #expect(refusal { _ = try signing(with: edited) }?.contains("the ed25519 signature does not verify against the pinned key") == true)
    }

    @Test func anAgentThatNeverAnswersIsGivenUpOnAfterTheTimeout() throws {
        let blob = alice.blob
        let stalling = try FakeSSHAgent { type, _ in type == 11 ? FakeSSHAgent.identities([blob]) : nil }
        defer { stalling.close() }
        // Long enough for the fake to list its keys on a loaded machine; it never signs.
        let agent = SSHAgent(socketPath: stalling.socketPath, timeout: 2)
        #expect(refusal { _ = try agent.sign([1, 2, 3], with: try SSHPublicKey(line: alice.line)) }?
            .contains("did not sign with \(try SSHPublicKey(line: alice.line).fingerprint) within 2 s (a security key waits for a touch); nothing was signed") == true)
    }
}
