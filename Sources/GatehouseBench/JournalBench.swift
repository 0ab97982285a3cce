import Foundation
import GatehouseCore
import GatehouseEngine

/// The journal: hash-chained events appended per second (one durable commit each, in batches,
/// and through the state machine's check), and the time to rebuild run state from it.
public struct JournalBench {
    public var quick: Bool
    public init(quick: Bool) { self.quick = quick }

    private func withJournal<T>(_ body: (SQLiteJournal, String) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("journal-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/journal.sqlite"
        return try body(try SQLiteJournal(path: path), path)
    }

    private static func entry(_ index: Int) -> JournalEntry {
        JournalEntry(runID: "r", kind: "log", actor: "bench",
                     payload: .object(["phase": .string("apply"), "stream": .string("stdout"), "text": .string("line \(index)")]))
    }

    /// Events per second, one durable transaction each (median of three runs).
    public func singleCommits() throws -> Double {
        let count = quick ? 200 : 3000
        return try Statistics.median((0..<3).map { _ in
            try withJournal { journal, _ in
                let start = Monotonic.now()
                for index in 0..<count { _ = try journal.append(Self.entry(index)) }
                return Double(count) / (Monotonic.now() - start)
            }
        })
    }

    /// Events per second appended in batches of 1,000 per transaction (median of three runs).
    public func batched() throws -> Double {
        let count = quick ? 5_000 : 200_000
        return try Statistics.median((0..<3).map { _ in
            try withJournal { journal, _ in
                let start = Monotonic.now()
                for batch in stride(from: 0, to: count, by: 1000) {
                    _ = try journal.append(after: .max) { _ in (batch..<min(count, batch + 1000)).map(Self.entry) }
                }
                return Double(count) / (Monotonic.now() - start)
            }
        })
    }

    /// Log lines per second recorded through `RunStore` (the state machine's check, then one
    /// durable append each): the runner's path for a chatty shell phase.
    public func checkedRecords() throws -> Double {
        let count = quick ? 200 : 2000
        return try Statistics.median((0..<3).map { _ in
            try withJournal { journal, _ in
                let store = try RunStore(journal: journal)
                try store.record(.started(RunStart(mode: .dryRun, plan: .productionCut, document: nil, target: nil,
                                                   operatorName: "bench", signing: "stub")), run: "r", actor: "bench")
                try store.record(.phaseStarted(phase: "identity_guards"), run: "r", actor: "bench")
                let start = Monotonic.now()
                for index in 0..<count {
                    try store.record(.log(phase: "identity_guards", stream: "stdout", text: "line \(index)"), run: "r", actor: "bench")
                }
                return Double(count) / (Monotonic.now() - start)
            }
        })
    }

    /// Seconds to read `count` events from the journal file and fold them into run state, as a
    /// dashboard or runner does when it opens the journal (`RunStore`: each event folded as it
    /// is read, past the first 20,000 on a second thread),
    /// to read them alone (folding nothing), and to fold alone, from events already in memory
    /// (medians of three).
    public func replay(count: Int) throws -> (readAndFold: Double, read: Double, fold: Double) {
        try withJournal { journal, _ in
            var written = 0
            var run = 0
            while written < count {
                let entries = Self.closedRun("run-\(run)", logLines: 74)
                _ = try journal.append(after: .max) { _ in Array(entries.prefix(count - written)) }
                written += min(entries.count, count - written)
                run += 1
            }
            var readAndFold: [Double] = []
            var read: [Double] = []
            var fold: [Double] = []
            for _ in 0..<3 {
                let start = Monotonic.now()
                let store = try RunStore(journal: journal)
                readAndFold.append(Monotonic.now() - start)
                try check(store.ledger, count: count, runs: run)
            }
            for _ in 0..<3 {
                var last: Int64 = 0
                let start = Monotonic.now()
                try journal.eventsForFolding(after: 0) { last = $0.sequence }
                read.append(Monotonic.now() - start)
                guard last == count else { throw BenchError("reading \(count) events ended at event \(last)") }
            }
            let events = try journal.events(after: 0)
            for _ in 0..<3 {
                let start = Monotonic.now()
                let ledger = RunLedger(events: events)
                fold.append(Monotonic.now() - start)
                try check(ledger, count: count, runs: run)
            }
            return (Statistics.median(readAndFold), Statistics.median(read), Statistics.median(fold))
        }
    }

    private func check(_ ledger: RunLedger, count: Int, runs: Int) throws {
        guard ledger.sequence == count, ledger.anomalies.isEmpty, ledger.order.count == runs else {
            throw BenchError("replay of \(count) events gave \(ledger.sequence) events, \(ledger.order.count) runs, \(ledger.anomalies.count) anomalies")
        }
    }

    /// The events of a dry run from start to close-out with `logLines` lines of output.
    static func closedRun(_ run: String, logLines: Int) -> [JournalEntry] {
        var events: [RunEvent] = [.started(RunStart(mode: .dryRun, plan: .productionCut, document: "d", target: nil,
                                                    operatorName: "bench", signing: "stub"))]
        for phase in RunPlan.productionCut.phases {
            if let gate = phase.gate {
                let statement: [String: JSONValue] = ["gate": .string(gate)]
                events += [.phaseStarted(phase: gate), .gateApproved(GateDecision(gate: gate, by: "bench", reason: "", statement: statement,
                                                                                  provider: "stub", signature: StubSigning.sign(statement)))]
            } else if phase.id == "backup" {
                events.append(.phaseSkipped(phase: phase.id, reason: "dry run"))
            } else {
                events.append(.phaseStarted(phase: phase.id))
                if phase.id == "apply" {
                    events += (0..<logLines).map { .log(phase: "apply", stream: "stdout", text: "unit \($0) would be inserted") }
                }
                events.append(.phaseCompleted(phase: phase.id, facts: phase.id == "select_document" ? RunFacts(signatureCritical: false) : RunFacts()))
            }
        }
        events.append(.closed)
        return events.map { JournalEntry(runID: run, kind: $0.kind, actor: "bench", payload: $0.payload) }
    }
}
