import Foundation
import GatehouseCore
import GatehouseEngine

/// A temporary folder with a journal, and a scripted dry run written into it event by event
/// (no runner process: the benchmark decides when each event lands).
public final class BenchSandbox {
    public let directory: String
    public var journalPath: String { directory + "/journal.sqlite" }
    /// The journal `gatehouse` is pointed at: the file at ``journalPath``, or a PostgreSQL location.
    public let journalLocation: String
    public let store: RunStore
    public let run = "b0b0b0b0c1c1"
    /// What else `gatehouse` needs in its environment (a PostgreSQL journal's password).
    private let extraEnvironment: [String: String]

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try RunStore(journal: SQLiteJournal(path: directory + "/journal.sqlite"))
        journalLocation = directory + "/journal.sqlite"
        extraEnvironment = [:]
    }

    /// A sandbox whose journal is `journal`, which `gatehouse` finds at `location` with
    /// `environment` added to its own.
    public init(journal: any Journal, location: String, environment: [String: String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try RunStore(journal: journal)
        journalLocation = location
        extraEnvironment = environment
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// The environment `gatehouse watch` runs with in the pseudo-terminal.
    public func environment(repaintAll: Bool = false) -> [String: String] {
        var environment = ["GATEHOUSE_JOURNAL": journalLocation, "TERM": "xterm-256color", "LANG": "C.UTF-8",
                           "HOME": directory, "XDG_CONFIG_HOME": directory, "PATH": "/usr/bin:/bin"]
        if repaintAll { environment["GATEHOUSE_REPAINT_ALL"] = "1" }
        environment.merge(extraEnvironment) { $1 }
        return environment
    }

    /// A dry run through SG_1 to its apply phase, running with progress 0 of `total`.
    public func dryRunApplying(total: Int) throws {
        try store.record(.started(RunStart(mode: .dryRun, plan: .productionCut, document: "release-notes-v0.6", target: nil,
                                           operatorName: "bench", signing: "stub")), run: run, actor: "bench")
        for phase in RunPlan.productionCut.phases.prefix(while: { $0.id != "apply" }) {
            if let gate = phase.gate {
                let statement: [String: JSONValue] = ["gate": .string(gate)]
                try store.record([.phaseStarted(phase: gate), .gateApproved(GateDecision(
                    gate: gate, by: "bench", reason: "", statement: statement, provider: "stub", signature: StubSigning.sign(statement)))],
                    run: run, actor: "bench")
            } else if phase.id == "backup" {
                try store.record(.phaseSkipped(phase: phase.id, reason: "dry run"), run: run, actor: "runner")
            } else {
                let facts = phase.id == "select_document" ? RunFacts(signatureCritical: false) : RunFacts()
                try store.record([.phaseStarted(phase: phase.id), .phaseCompleted(phase: phase.id, facts: facts)], run: run, actor: "runner")
            }
        }
        try store.record([.phaseStarted(phase: "apply"), .phaseProgress(phase: "apply", done: 0, total: total)], run: run, actor: "runner")
    }

    /// One progress tick of the apply phase.
    public func progress(_ done: Int, of total: Int) throws {
        try store.record(.phaseProgress(phase: "apply", done: done, total: total), run: run, actor: "runner")
    }

    /// A line of the apply phase's output.
    public func log(_ text: String) throws {
        try store.record(.log(phase: "apply", stream: "stdout", text: text), run: run, actor: "runner")
    }

    /// Ends the run (aborted), so nothing on screen moves any more.
    public func end() throws {
        try store.record(.aborted(by: "bench", reason: "the benchmark is done with it"), run: run, actor: "bench")
    }
}
