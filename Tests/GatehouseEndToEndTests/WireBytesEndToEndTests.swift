import Foundation
import GatehouseCore
import GatehouseEngine
import GatehouseTestSupport
import Testing

/// What the dashboard writes to its terminal, counted byte by byte (tmux pipe-pane): nothing
/// while idle, a few dozen bytes for a gauge tick.
@Suite(.serialized)
struct WireBytesEndToEndTests {
    private func watcher(_ sandbox: RunSandbox) throws -> TmuxSession {
        let environment = sandbox.environment.merging(["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"]) { $1 }
        return try TmuxSession(command: "'\(Binary.path)' watch; echo EXITED $?; sleep 600", width: 80, height: 24,
                               environment: environment)
    }

    private func bytes(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.intValue ?? 0
    }

    /// A LIVE run in the journal, applying its units (no runner: the test writes the events).
    private func applyingRun(_ sandbox: RunSandbox) throws -> (RunStore, String) {
        let store = try RunStore(journal: SQLiteJournal(path: sandbox.journalPath))
        let run = "0123456789ab"
        try store.record(.started(RunStart(mode: .live, plan: .productionCut, document: "release-notes-v0.6", target: nil,
                                           operatorName: "ops", signing: "stub")), run: run, actor: "ops")
        for phase in RunPlan.productionCut.phases.prefix(while: { $0.id != "apply" }) {
            if let gate = phase.gate {
                try store.record([.phaseStarted(phase: gate), .gateApproved(TestDecisions.decision(gate, by: "alice"))], run: run, actor: "alice")
            } else {
                if phase.mutates { try store.record(.killSwitchEnabled(by: "alice"), run: run, actor: "alice") }
                let facts = phase.id == "select_document" ? RunFacts(signatureCritical: false) : RunFacts()
                try store.record([.phaseStarted(phase: phase.id), .phaseCompleted(phase: phase.id, facts: facts)], run: run, actor: "runner")
            }
        }
        try store.record([.phaseStarted(phase: "apply"), .phaseProgress(phase: "apply", done: 1, total: 8)], run: run, actor: "runner")
        return (store, run)
    }

    @Test func anIdleWatcherWritesNothing() throws {
        let sandbox = try RunSandbox()
        let runner = try sandbox.start(["run", "--dry-run"])
        #expect(try sandbox.drive(runner) == 0)
        let tmux = try watcher(sandbox)
        defer { tmux.close() }
        try tmux.waitFor("Closed out")
        Thread.sleep(forTimeInterval: 0.5)
        // When nothing happens for 3 seconds
        let output = sandbox.directory + "/idle.bytes"
        try tmux.recordOutput(to: output)
        Thread.sleep(forTimeInterval: 3)
        try tmux.stopRecording()
        // Then not one byte went to the terminal
        #expect(bytes(output) == 0)
    }

    @Test func aGaugeTickCostsAFewDozenBytes() throws {
        let sandbox = try RunSandbox()
        let (store, run) = try applyingRun(sandbox)
        let tmux = try watcher(sandbox)
        defer { tmux.close() }
        try tmux.waitFor("1/8")
        Thread.sleep(forTimeInterval: 0.3)
        // When one unit more is applied
        let output = sandbox.directory + "/tick.bytes"
        try tmux.recordOutput(to: output)
        try store.record(.phaseProgress(phase: "apply", done: 2, total: 8), run: run, actor: "runner")
        try tmux.waitFor("2/8")
        Thread.sleep(forTimeInterval: 0.2)
        try tmux.stopRecording()
        // Then the terminal got the changed cells only (the gauge, the count, perhaps the
        // running phase's clock), not a repaint of the 80x24 screen
        let written = bytes(output)
        #expect(written > 0 && written < 200, "a gauge tick wrote \(written) bytes")
    }
}
