import Foundation
import GatehouseCore
import Testing
@testable import GatehouseEngine

/// The `sovereigns:` and `approvals:` sections of a programme file.
struct SovereignLoadingTests {
    /// The O5 file without its own sovereigns section, so each test appends its own.
    private static let base: String = {
        let text = EmbeddedProgramme.o5
        return String(text[..<text.range(of: "\n# Not from the source document")!.lowerBound]) + "\n"
    }()
    private static let baseLines = base.components(separatedBy: "\n").count - 1
    private static let key = Ed25519Signing.publicKeyText(Ed25519Signing.generate().publicKey)

    private func load(_ text: String) -> Result<Programme, SourceErrors> {
        ProgrammeLoader.parse(Self.base + text, fileName: "p.yaml")
    }

    private func expectError(_ text: String, line: Int, _ phrase: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        expectSingleError(load(text), line: Self.baseLines + line, phrase, sourceLocation: sourceLocation)
    }

    @Test func theEmbeddedProgrammeShipsTwoStubDemoSovereignsForTheRunsAndTheProgrammesGates() {
        let programme = ProgrammeLoader.embedded()
        let gates = ["SG_1", "SG_2", "GATE-O6", "GATE-O7", "GATE-O8", "GATE-CRYPTO", "GATE-DEPLOY-ARCH"]
        #expect(programme.sovereigns == ["demo", "demo2"].map { Sovereign(name: $0, provider: "stub", publicKey: nil, gates: gates) })
        #expect(programme.approvalRules == ApprovalRules(twoPersonRule: false, operatorMayApprove: true))
    }

    @Test func sovereignsAndRulesLoad() throws {
        let programme = try load("""
            sovereigns:
              - {name: alice, provider: ed25519, public_key: "\(Self.key)", gates: [SG_1, SG_2]}
              - {name: bob, provider: stub, gates: [SG_2]}
            approvals:
              two_person_rule: true
              operator_may_approve: false
              expiry: {SG_1: 3600}

            """).get()
        #expect(programme.sovereigns.map(\.name) == ["alice", "bob"])
        #expect(programme.sovereigns[0].publicKey == Self.key)
        #expect(programme.approvalRules == ApprovalRules(twoPersonRule: true, operatorMayApprove: false, expirySeconds: ["SG_1": 3600]))
    }

    @Test func anSSHSovereignIsPinnedByTheLineOfTheirPublicKeyFile() throws {
        let line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIADsCzYReVxxUljdYC5yg3d+JijGCBJ+4M23ce4CSQ1d alice@laptop"
        let programme = try load("sovereigns:\n  - {name: alice, provider: ssh, public_key: \"\(line)\", gates: [SG_1, SG_2]}\n").get()
        #expect(programme.sovereigns == [Sovereign(name: "alice", provider: "ssh", publicKey: line, gates: ["SG_1", "SG_2"])])
    }

    @Test func badSovereignsAreReportedWhereTheyAre() {
        expectError("sovereigns:\n  - {name: a, provider: rsa, gates: [SG_1]}\n", line: 2, "must be 'stub', 'ed25519', 'ssh' or 'openpgp'")
        expectError("sovereigns:\n  - {name: a, provider: ed25519, gates: [SG_1]}\n", line: 2, "needs 'public_key'")
        expectError("sovereigns:\n  - {name: a, provider: ed25519, public_key: nope, gates: [SG_1]}\n", line: 2, "32 bytes in base64")
        expectError("sovereigns:\n  - {name: a, provider: stub, public_key: \"\(Self.key)\", gates: [SG_1]}\n", line: 2, "has no key")
        expectError("sovereigns:\n  - {name: a, provider: stub, gates: [SG_9]}\n", line: 2, "names gate 'SG_9'")
        expectError("sovereigns:\n  - {name: a, provider: stub, gates: [SG_1]}\n  - {name: a, provider: stub, gates: [SG_2]}\n",
                    line: 3, "duplicate sovereign id 'a'")
        expectError("sovereigns:\n  - {name: a, provider: ssh, gates: [SG_1]}\n", line: 2, "the line of the key's .pub file")
        expectError("sovereigns:\n  - {name: a, provider: ssh, public_key: \"ssh-rsa AAAAB3NzaC1yc2E a@b\", gates: [SG_1]}\n", line: 2,
                    "its type ssh-rsa is not accepted; use one of ssh-ed25519, ecdsa-sha2-nistp256")
        expectError("sovereigns:\n  - {name: a, provider: ssh, public_key: \"\(Self.key)\", gates: [SG_1]}\n", line: 2,
                    "is not an OpenSSH key Gatehouse accepts")
        guard case .failure(let both) = load("sovereigns:\n  - {name: a, provider: openpgp, public_key: ABCD, openpgp_key: x, gates: [SG_1]}\n") else {
            Issue.record("a fingerprint of four digits loaded")
            return
        }
        #expect(both.errors.map(\.message).contains { $0.contains("must be the OpenPGP key's fingerprint, 40 hex digits") })
        expectError("sovereigns:\n  - {name: a, provider: openpgp, public_key: \(String(repeating: "AB", count: 20)), gates: [SG_1]}\n", line: 2,
                    "needs 'openpgp_key': the armoured public key")
        expectError("sovereigns:\n  - {name: a, provider: openpgp, public_key: \(String(repeating: "AB", count: 20)), openpgp_key: nope, gates: [SG_1]}\n",
                    line: 2, "cannot be used: it is not an armoured OpenPGP public key")
        expectError("sovereigns:\n  - {name: a, provider: openpgp, public_key: \(String(repeating: "AB", count: 20)), openpgp_key_file: missing.asc, gates: [SG_1]}\n",
                    line: 2, "the OpenPGP key file 'missing.asc' of sovereign 'a' cannot be read")
        expectError("sovereigns:\n  - {name: a, provider: stub, openpgp_key: nope, gates: [SG_1]}\n", line: 2,
                    "'openpgp_key' is for a sovereign whose provider is openpgp")
        expectError("approvals:\n  expiry: {SG_1: 0}\n", line: 2, "1...31536000")
        expectError("approvals:\n  two_people: true\n", line: 2, "two_people")
    }
}
