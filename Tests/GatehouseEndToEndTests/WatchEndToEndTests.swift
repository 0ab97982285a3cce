import Foundation
import GatehouseCore
import GatehouseEngine
import Testing

/// `gatehouse watch` in a real terminal following a runner in another window.
@Suite(.serialized)
struct WatchEndToEndTests {
    @Test func aWatcherFollowsADryRunToItsCloseOutAndChangesNothing() throws {
        let sandbox = try RunSandbox()
        let environment = sandbox.environment.merging(["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"]) { $1 }
        // Given a watcher at 80x24 opened before there is any journal
        let tmux = try TmuxSession(command: "'\(Binary.path)' watch; echo EXITED $?; sleep 600", width: 80, height: 24,
                                   environment: environment)
        defer { tmux.close() }
        try tmux.waitFor("No runs in the journal yet.")
        #expect(try tmux.capture().contains("read-only"))

        // When a dry run starts in a second window
        try tmux.openWindow("runner", command: "'\(Binary.path)' run --dry-run; echo RUNNER $?; sleep 600", environment: environment)
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        // Then the watcher shows it waiting at SG_1, the phases before it done
        // (a capture can catch a frame half written: wait for the whole of it)
        let waiting = try tmux.waitFor("the frame waiting for SG_1") { screen in
            screen.contains("Waiting for SG_1") && line(of: "validate", in: screen)?.contains("done") == true
        }
        #expect(waiting.contains("run \(run.shortID)") && waiting.contains("DRYRUN") && waiting.contains("SWITCH OFF"))
        for phase in ["identity_guards", "pre_state_snapshot", "select_document", "cut_candidates", "validate"] {
            #expect(line(of: phase, in: waiting)?.contains("done") == true, "\(phase):\n\(waiting)")
        }

        // And no key of the watcher changes anything
        let before = try sandbox.store().ledger.sequence
        for key in ["a", "d", "x", "y", "K", "r", "Enter", "Escape"] { try tmux.send(key) }
        try tmux.send("3")
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try sandbox.store().ledger.sequence == before)
        #expect(try sandbox.store().ledger.order.count == 1)

        // When the sovereigns approve from the command line
        #expect(try sandbox.gatehouse(["approve", run.id, "SG_1", "--as", "demo"]).status == 0)
        try tmux.waitFor("Waiting for SG_2")
        #expect(try sandbox.gatehouse(["approve", run.id, "SG_2", "--as", "demo"]).status == 0)

        // Then the watcher shows every phase done (backup skipped) and the run closed out
        let closed = try tmux.waitFor("Closed out")
        for phase in RunPlan.productionCut.phases.map(\.id) {
            let expected = phase == "backup" ? "skipped" : "done"
            #expect(line(of: phase, in: closed)?.contains(expected) == true, "\(phase):\n\(closed)")
        }
        try tmux.waitFor("RUNNER 0", window: "runner")
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
    }

    private func line(of phase: String, in screen: String) -> String? {
        screen.split(separator: "\n").first { $0.contains(" \(phase) ") }.map(String.init)
    }
}

extension TmuxSession {
    /// Waits until window `name` shows `text`.
    func waitFor(_ text: String, window name: String, timeout: TimeInterval = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try capture(window: name)
            if screen.contains(text) { return }
            usleep(50_000)
        }
        throw E2EError("timed out waiting for '\(text)' in window \(name); it showed:\n\(screen)")
    }
}
