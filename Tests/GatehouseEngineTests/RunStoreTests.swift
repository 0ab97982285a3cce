import Foundation
import GatehouseCore
import GatehouseTestSupport
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
        .gateApproved(TestDecisions.decision("SG_1", by: by, statement: ["gate": .string("SG_1"), "by": .string(by)]))
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

    @Test func aLongJournalFoldsAsTheLedgerFoldsItsEventsOneByOne() throws {
        let path = Self.temporaryJournal()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let journal = try SQLiteJournal(path: path)
        // Given more events than are folded inline (the rest is folded on a second thread),
        // in many runs, one of them refused, some with a pinned plan that differs
        let count = PipelinedFold.inlineLimit + 3 * PipelinedFold.batchSize + 17
        var written = 0
        var run = 0
        while written < count {
            var events: [JournalEntry] = [JournalEntry(runID: "r\(run)", kind: "run.started", actor: "ops", payload: RunEvent.started(
                RunStart(mode: .dryRun, plan: .productionCut, document: run % 7 == 0 ? "other" : "d", target: nil, operatorName: "ops",
                         signing: "stub")).payload)]
            events += (0..<200).map { JournalEntry(runID: "r\(run)", kind: "log", actor: "runner",
                                                   payload: RunEvent.log(phase: "apply", stream: "stdout", text: "line \($0)").payload) }
            if run % 11 == 0 { events.append(JournalEntry(runID: "r\(run)", kind: "run.closed", actor: "runner")) }
            let batch = Array(events.prefix(count - written))
            _ = try journal.append(after: .max) { _ in batch }
            written += batch.count
            run += 1
        }
        // When a store opens it, and another store reads it in two steps
        let store = try RunStore(journal: journal)
        let stepwise = try RunStore(journal: SQLiteJournal(path: path))
        // Then both hold what folding every event in order gives
        let expected = RunLedger(events: try journal.events(after: 0))
        #expect(expected.sequence == Int64(count) && expected.order.count == run && !expected.anomalies.isEmpty)
        #expect(store.ledger == expected)
        #expect(stepwise.ledger == expected)
        try journal.append(JournalEntry(runID: "r1", kind: "log", actor: "runner",
                                        payload: RunEvent.log(phase: "apply", stream: "stdout", text: "late").payload))
        #expect(try store.refresh())
        #expect(store.ledger == RunLedger(events: try journal.events(after: 0)))
    }

    @Test func aReadThatFailsPartWayKeepsEveryEventItHandedOver() throws {
        let journal = FailingReadJournal()
        let store = try RunStore(journal: journal)
        // Given a journal whose read hands over more events than are folded inline, then fails
        journal.events = (1...Int64(PipelinedFold.inlineLimit + 5_000)).map { sequence in
            let event: RunEvent = sequence == 1
                ? .started(RunStart(mode: .dryRun, plan: .productionCut, document: "d", target: nil, operatorName: "ops", signing: "stub"))
                : .log(phase: "apply", stream: "stdout", text: "line \(sequence)")
            return JournalEvent(sequence: sequence, timeMilliseconds: sequence, runID: "r", kind: event.kind, actor: "ops",
                                payload: event.payload, previousHash: "")
        }
        let handed = PipelinedFold.inlineLimit + 3_000
        journal.failAfter = handed
        // When the store reads it, the failure is thrown
        #expect(throws: FailingReadJournal.ReadFailed.self) { try store.refresh() }
        // And every event handed over before it is folded, none after
        #expect(store.ledger == RunLedger(events: journal.events.prefix(handed)))
        // And the next read goes on from there
        journal.failAfter = nil
        #expect(try store.refresh())
        #expect(store.ledger == RunLedger(events: journal.events))
    }
}

/// A journal in memory whose reads fail after handing over `failAfter` events.
private final class FailingReadJournal: Journal, @unchecked Sendable {
    struct ReadFailed: Error {}
    var events: [JournalEvent] = []
    var failAfter: Int?

    func events(after sequence: Int64, _ body: (JournalEvent) throws -> Void) throws {
        for (index, event) in events.filter({ $0.sequence > sequence }).enumerated() {
            if index == failAfter { throw ReadFailed() }
            try body(event)
        }
    }

    func events(after sequence: Int64) throws -> [JournalEvent] { events.filter { $0.sequence > sequence } }
    func headSequence() throws -> Int64 { events.last?.sequence ?? 0 }
    func verify() throws -> ChainVerification { .intact(count: events.count, head: events.last?.hash ?? JournalEvent.genesisHash) }
    func append(after sequence: Int64, _ decide: ([JournalEvent]) throws -> [JournalEntry]) throws -> [JournalEvent] {
        throw ReadFailed()
    }
}
