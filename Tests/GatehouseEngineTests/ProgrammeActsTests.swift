import Foundation
import GatehouseCore
import Testing
@testable import GatehouseEngine

/// Programme acts through the engine: signed with a sovereign's ed25519 key, journaled in
/// SQLite, and checked again when the journal is read back.
struct ProgrammeActsTests {
    private let folder = FileManager.default.temporaryDirectory.appendingPathComponent("programme-acts-\(UUID().uuidString)").path

    /// The embedded programme with `demo` signing by ed25519 with the key at `keyPath`.
    private func programme(keyPath: String) throws -> Programme {
        let publicKey = try PrivateKeyFile.create(name: "demo", at: keyPath)
        var programme = ProgrammeLoader.embedded()
        programme.sovereigns[0] = Sovereign(name: "demo", provider: Ed25519Signing.providerName, publicKey: publicKey,
                                            gates: programme.sovereigns[0].gates)
        programme.sourceDigest = "ed25519-programme"
        return programme
    }

    @Test func anEd25519SignOffIsJournaledAndVerifiesWhenTheJournalIsReadBack() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let key = folder + "/demo.key"
        let programme = try programme(keyPath: key)
        let journal = folder + "/journal.sqlite"
        let acts = ProgrammeActs(store: try RunStore(journal: SQLiteJournal(path: journal)), programme: programme)
        // A key is needed, and must be the sovereign's
        #expect(throws: SigningError.self) { try acts.conditionMet(gate: "GATE-O6", condition: nil, evidence: "e", as: "demo", keyFile: nil) }
        try acts.conditionMet(gate: "GATE-O6", condition: nil, evidence: "review package", as: "demo", keyFile: key)
        let signed = try acts.signOff(gate: "GATE-O6", pass: true, reason: "", as: "demo", keyFile: key)
        #expect(signed.provider == Ed25519Signing.providerName)
        // Read back from the file: each act's signature checked over its statement as journaled
        let reread = try RunStore(journal: SQLiteJournal(readingOnly: journal)).ledger
        #expect(reread.anomalies.isEmpty)
        let entry = reread.programme.board(ProgrammeCharter(programme)).entry("GATE-O6")
        #expect(entry?.status == .pass && entry?.passes.map(\.act.provider) == [Ed25519Signing.providerName])
        #expect(JournalAudit(reread).verified == 2)
    }

    @Test func anActSignedWithAnotherKeyIsRefusedAndTheRefusalJournaled() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let programme = try programme(keyPath: folder + "/demo.key")
        let store = try RunStore(journal: SQLiteJournal(path: folder + "/journal.sqlite"))
        let acts = ProgrammeActs(store: store, programme: programme)
        try acts.pin(actor: "test")
        // A statement signed by a key that is not demo's
        let other = Ed25519Signing.generate()
        let statement = ProgrammeStatement.closeGap("GAP-3", charter: acts.charter, run: nil, evidence: "done", reference: nil,
                                                    by: "demo", signedAt: 1, nonce: "n")
        let forged = ProgrammeAct(statement: statement, provider: Ed25519Signing.providerName,
                                  signature: try Ed25519Signing.sign(statement, with: other))
        #expect(throws: ProgrammeRefusal.self) { try store.record(.act(forged), actor: "demo") }
        #expect(store.ledger.programme.book(of: "O5").refusals.first?.refusal.reason.contains("does not verify against demo's key") == true)
        #expect(try acts.board().gap("GAP-3").closed == false)
    }
}
