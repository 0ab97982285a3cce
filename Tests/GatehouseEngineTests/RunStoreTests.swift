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

    /// Walks the run to SG_1 and opens the gate.
    private static func reachSG1(_ store: RunStore, _ run: String) throws {
        for phase in RunPlan.productionCut.phases.prefix(5) {
            try store.record([.phaseStarted(phase: phase.id), .phaseCompleted(phase: phase.id, facts: [:])], run: run, actor: "runner")
        }
        try store.record(.phaseStarted(phase: "SG_1"), run: run, actor: "runner")
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

    @Test func aStoreThatHasNotReadTheLatestEventsStillDecidesOnThem() throws {
        let path = Self.temporaryJournal()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let runner = try RunStore(journal: SQLiteJournal(path: path))
        let approver = try RunStore(journal: SQLiteJournal(path: path))
        try Self.start(runner, "r1", mode: .dryRun)
        try Self.reachSG1(runner, "r1")
        // Given an approver whose view is stale (it has not refreshed since the run started)
        #expect(approver.ledger["r1"] == nil)
        // When it approves, the decision is made against the journal as it is now
        try approver.record(Self.approval("alice"), run: "r1", actor: "alice")
        #expect(approver.ledger["r1"]?.approval(of: "SG_1")?.decision.by == "alice")
    }

    @Test func twoApproversAtTheSameInstantOneCounts() throws {
        for _ in 0..<5 {
            let path = Self.temporaryJournal()
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            let setup = try RunStore(journal: SQLiteJournal(path: path))
            try Self.start(setup, "r1", mode: .dryRun)
            try Self.reachSG1(setup, "r1")
            // Given two approvers with their own connections, as two processes would have
            let names = ["alice", "bob"]
            let results = Results()
            let ready = DispatchGroup()
            ready.enter()
            ready.enter()
            // When both approve at once
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                let store = try? RunStore(journal: SQLiteJournal(path: path))
                ready.leave()
                ready.wait()
                do {
                    guard let store else { throw RunStoreError.noSuchRun("could not open the journal") }
                    try store.record(Self.approval(names[index]), run: "r1", actor: names[index])
                    results.add("ok")
                } catch let refusal as RunRefusal {
                    results.add(refusal.message)
                } catch {
                    results.add("error: \(error)")
                }
            }
            // Then exactly one approval counts and the other is told it came too late
            let outcomes = results.all
            #expect(outcomes.filter { $0 == "ok" }.count == 1)
            #expect(outcomes.contains { $0.contains("too late") })
            try setup.refresh()
            #expect(setup.ledger["r1"]?.decisions.count == 1)
            #expect(setup.ledger["r1"]?.refusals.count == 1)
            #expect(setup.ledger.anomalies.isEmpty)
            if case .broken = try setup.journal.verify() { Issue.record("the chain forked") }
        }
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

/// Strings collected from several threads.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String] = []
    func add(_ value: String) { lock.lock(); values.append(value); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return values }
}
