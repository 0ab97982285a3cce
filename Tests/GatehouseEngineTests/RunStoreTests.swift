import Foundation
import GatehouseCore
import Testing
@testable import GatehouseEngine

/// The run store: decisions made against the journal as it is at the moment of the append.
struct RunStoreTests {
    private static func temporaryJournal() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("runstore-\(UUID().uuidString)/journal.sqlite").path
    }

    private static func start(_ store: RunStore, _ run: String, mode: RunMode) throws {
        try store.record(.started(RunStart(mode: mode, plan: .productionCut, document: "release-notes-v0.6", target: nil,
                                           operatorName: "ops", signing: "stub")), run: run, actor: "ops")
    }

    private static func approval(_ by: String) -> RunEvent {
        let statement: [String: JSONValue] = ["gate": .string("SG_1"), "by": .string(by)]
        return .gateApproved(GateDecision(gate: "SG_1", by: by, reason: "", statement: statement,
                                          provider: StubSigning.providerName, signature: StubSigning.sign(statement)))
    }

    @Test func aRefusalIsJournaledAndThrown() throws {
        let path = Self.temporaryJournal()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let store = try RunStore(journal: SQLiteJournal(path: path))
        try Self.start(store, "r1", mode: .live)
        // When an approval comes before the run reached SG_1
        #expect(throws: RunRefusal.self) { try store.record(Self.approval("alice"), run: "r1", actor: "alice") }
        // Then the refusal is in the journal, with who tried
        let refusal = try #require(store.ledger["r1"]?.refusals.first)
        #expect(refusal.attempted == "gate.approved" && refusal.code == "gate_not_pending" && refusal.actor == "alice")
        #expect(store.ledger["r1"]?.decisions.isEmpty == true)
        #expect(try store.journal.verify() == .intact(count: 2, head: store.journal.events(after: 1)[0].hash))
    }

    @Test func aRunIsNamedByAUniquePrefix() throws {
        let store = try RunStore(journal: SQLiteJournal(path: Self.temporaryJournal()))
        try Self.start(store, "3f9c2a1b0000", mode: .dryRun)
        try Self.start(store, "3f9d00000000", mode: .dryRun)
        #expect(try store.resolve("3f9c").id == "3f9c2a1b0000")
        #expect(throws: RunStoreError.ambiguous("3f9", ["3f9c2a1b0000", "3f9d00000000"])) { try store.resolve("3f9") }
        #expect(throws: RunStoreError.noSuchRun("zz")) { try store.resolve("zz") }
    }
}
