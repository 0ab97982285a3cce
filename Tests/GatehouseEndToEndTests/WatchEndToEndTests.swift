import Foundation
import GatehouseCore
import GatehouseEngine
import GRDB
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
        // (keys are handled in order: once the Approvals tab is drawn, every key before it was)
        try tmux.send("4")
        try tmux.waitFor("read-only: sign with `gatehouse approve`")
        try tmux.send("3")
        try tmux.waitFor("Waiting for SG_1")
        #expect(try sandbox.store().ledger.sequence == before)
        #expect(try sandbox.store().ledger.order.count == 1)

        // When the sovereigns approve from the command line
        #expect(try sandbox.gatehouse(["approve", run.id, "SG_1", "--as", "demo"]).status == 0)
        try tmux.waitFor("Waiting for SG_2")
        #expect(try sandbox.gatehouse(["approve", run.id, "SG_2", "--as", "demo"]).status == 0)

        // Then the watcher shows every phase done (backup skipped) and the run closed out
        // (again, wait for the whole frame: its header can be captured before its last rows)
        let closed = try tmux.waitFor("the closed-out frame") { screen in
            screen.contains("Closed out") && line(of: "sign_and_close_out", in: screen)?.contains("done") == true
        }
        for phase in RunPlan.productionCut.phases.map(\.id) {
            let expected = phase == "backup" ? "skipped" : "done"
            #expect(line(of: phase, in: closed)?.contains(expected) == true, "\(phase):\n\(closed)")
        }
        try tmux.waitFor("RUNNER 0", window: "runner")
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
    }

    @Test func aKeyPressedAsTheJournalChangesDoesNotLoseTheRedraw() throws {
        let (sandbox, environment) = try closedDryRun()
        let tmux = try TmuxSession(command: "'\(Binary.path)' watch; echo EXITED $?; sleep 600", width: 80, height: 24,
                                   environment: environment)
        defer { tmux.close() }
        try tmux.waitFor("Closed out")
        let journal = try SQLiteJournal(path: sandbox.journalPath)
        for count in 1...5 {
            // When an event lands and, a moment later, a key that changes nothing (so the loop
            // reads both in one turn)
            try journal.append(JournalEntry(runID: "", kind: "note.unknown", actor: "test"))
            try tmux.send("z")
            // Then the screen still shows the change, without waiting for another one
            try tmux.waitFor("WARNING: \(count) journal event(s) not accepted", timeout: 3)
        }
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
    }

    // MARK: - A tampered journal (issue 8, point 2)

    /// A sandbox whose journal holds one whole dry run, and a watcher's environment for it.
    private func closedDryRun() throws -> (RunSandbox, [String: String]) {
        let sandbox = try RunSandbox()
        let runner = try sandbox.start(["run", "--dry-run"])
        #expect(try sandbox.drive(runner) == 0)
        return (sandbox, sandbox.environment.merging(["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"]) { $1 })
    }

    private func tamper(_ sandbox: RunSandbox, _ sql: String) throws {
        let queue = try DatabaseQueue(path: sandbox.journalPath)
        try queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }

    @Test func aWatcherOpenedOnATamperedJournalSaysSoOnEveryTab() throws {
        let (sandbox, environment) = try closedDryRun()
        try tamper(sandbox, "UPDATE event SET payload = replace(payload, 'release', 'relaese') WHERE sequence = 1")
        // When a watcher opens it
        let tmux = try TmuxSession(command: "'\(Binary.path)' watch; echo EXITED $?; sleep 600", width: 80, height: 24,
                                   environment: environment)
        defer { tmux.close() }
        // Then the header and the status line say the journal is broken at event 1, on every tab
        for tab in ["3", "1", "2", "4", "5"] {
            try tmux.send(tab)
            // (the whole frame: its header can be captured before its status line)
            let screen = try tmux.waitFor("the frame saying the journal is broken") { screen in
                screen.contains("JOURNAL BROKEN #1") && screen.contains("JOURNAL TAMPERED at event 1")
            }
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines[0].contains("JOURNAL BROKEN #1"), "tab \(tab):\n\(screen)")
            #expect(lines[22].contains("JOURNAL TAMPERED at event 1: state not trusted; run `gatehouse verify`."), "tab \(tab):\n\(screen)")
        }
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
    }

    @Test func aWatcherFindsAnEventForgedWhileItWatches() throws {
        let (sandbox, environment) = try closedDryRun()
        let events = try SQLiteJournal(path: sandbox.journalPath).events(after: 0)
        let tmux = try TmuxSession(command: "'\(Binary.path)' watch; echo EXITED $?; sleep 600", width: 80, height: 24,
                                   environment: environment)
        defer { tmux.close() }
        // Given a watcher showing the closed run, the journal intact
        let closed = try tmux.waitFor("Closed out")
        #expect(!closed.contains("JOURNAL"))
        // When an approval forged by the journal's own hashing rules is added behind its back
        let last = events[events.count - 1]
        let forged = JournalEvent(sequence: last.sequence + 1, timeMilliseconds: last.timeMilliseconds + 1, runID: last.runID,
                                  kind: "gate.approved", actor: "mallory", payload: .object([:]), previousHash: last.hash)
        try tamper(sandbox, "INSERT INTO event VALUES (\(forged.sequence), \(forged.timeMilliseconds), '\(forged.runID)', 'gate.approved', 'mallory', '{}', '\(forged.previousHash)', '\(forged.hash)')")
        // Then the watcher, verifying only what was appended, names it
        let screen = try tmux.waitFor("JOURNAL BROKEN #\(forged.sequence)")
        #expect(screen.contains("JOURNAL TAMPERED at event \(forged.sequence)"), "\(screen)")
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
