import Foundation
import GatehouseCore
import GatehouseEngine
import GRDB
import Testing

/// The sovereign's keyboard flows in the real dashboard under tmux: review, approve or reject,
/// the typed phrase; the kill-switch checklist, its refusal, and the flip to LIVE.
@Suite(.serialized)
struct SovereignFlowEndToEndTests {
    private func dashboard(_ sandbox: RunSandbox, as name: String = "demo") throws -> TmuxSession {
        let environment = sandbox.environment.merging(["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"]) { $1 }
        let tmux = try TmuxSession(command: "'\(Binary.path)' --as \(name); echo EXITED $?; sleep 600", width: 80, height: 24,
                                   environment: environment)
        try tmux.waitFor("1 Matrix")
        return tmux
    }

    /// Approves (or rejects) the gate the newest run waits at, from the Approvals tab.
    private func decide(_ gate: String, of run: RunState, in tmux: TmuxSession, reject reason: String? = nil) throws {
        try tmux.send("4")
        try tmux.waitFor("\(gate)        \(run.shortID)")
        try tmux.send("Enter")
        try tmux.waitFor("Review \(gate) of run \(run.id)")
        if let reason {
            try tmux.send("r")
            try tmux.waitFor("Why is \(gate) rejected?")
            try tmux.send("-l", reason)
            try tmux.send("Enter")
        } else {
            try tmux.send("a")
        }
        try tmux.waitFor("type \(gate) \(run.shortID):")
        try tmux.send("-l", "\(gate) \(run.shortID)")
        try tmux.send("Enter")
        try tmux.waitFor("\(gate) \(reason == nil ? "approved" : "rejected") by demo")
        try tmux.send("Escape")
    }

    @Test func aDryRunStartedFromTheDashboardIsApprovedThroughTheKeyboardAndClosesOut() throws {
        let sandbox = try RunSandbox()
        _ = try sandbox.gatehouse(["init"])
        let tmux = try dashboard(sandbox)
        defer { tmux.close() }
        // Given a dry run started with d, waiting at SG_1
        try tmux.send("3")
        try tmux.send("d")
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }

        // When the approver reviews SG_1 from the Approvals tab
        try tmux.send("4")
        try tmux.waitFor("SG_1        \(run.shortID) DRYRUN release-notes-v0.6")
        try tmux.send("Enter")
        // Then the review shows what the approval covers
        // (waiting for the page's last line: a capture taken mid-draw has only the top of it)
        let review = try tmux.waitFor("Signing as  demo (stub, INSECURE)")
        for expected in ["Review SG_1 of run \(run.id)", "DRYRUN: nothing is written", "Candidates  8: Preamble, Highlights, Dashboard",
                         "Pre-state   SHA-256 \(run.facts.preStateSHA!.prefix(16))", "Result      would insert 8",
                         "Option      OPT-3 · macro O7 (then, high)", "Matrix row  OPT-3 post-deploy live dry-run │ ★★★★☆",
                         "Signing as  demo (stub, INSECURE)"] {
            #expect(review.contains(expected), "\(expected)\n\(review)")
        }
        // And Esc cancels with nothing recorded
        let before = try sandbox.store().ledger.sequence
        try tmux.send("Escape")
        try tmux.waitFor("cancelled; nothing was recorded")
        // And a wrong phrase is refused and may be retried, still with nothing recorded
        try tmux.send("Enter")
        try tmux.waitFor("Review SG_1")
        try tmux.send("a")
        try tmux.send("-l", "SG_1 deadbeef")
        try tmux.send("Enter")
        try tmux.waitFor("that is not the phrase; type SG_1 \(run.shortID) exactly")
        #expect(try sandbox.store().ledger.sequence == before)
        try tmux.send("-l", "SG_1 \(run.shortID)")
        try tmux.send("Enter")
        // Then the signed approval is journaled and the run goes on to SG_2
        try tmux.waitFor("SG_1 approved by demo (stub signature, INSECURE)")
        try tmux.send("Escape")
        let atSG2 = try sandbox.waitFor("SG_2") { $0.ledger[run.id].flatMap { $0.waitingGate == "SG_2" ? $0 : nil } }
        #expect(atSG2.approval(of: "SG_1")?.decision.by == "demo")

        // When SG_2 is approved the same way, the run closes out
        try decide("SG_2", of: run, in: tmux)
        let closed = try sandbox.waitFor("the close-out") { $0.ledger[run.id].flatMap { $0.outcome == .closed ? $0 : nil } }
        #expect(closed.decisions.map(\.decision.gate) == ["SG_1", "SG_2"])
        try tmux.send("3")
        try tmux.waitFor("Closed out")
        // And the Audit tab lists both signed decisions with their verification
        try tmux.send("5")
        let audit = try tmux.waitFor("run.closed")
        #expect(audit.components(separatedBy: "gate.approved").count - 1 == 2, "\(audit)")
        #expect(audit.contains("INSECURE (stub) SG_1") && audit.contains("INSECURE (stub) SG_2"))
        #expect(try sandbox.gatehouse(["verify"]).status == 0)
    }

    @Test func aRejectionTypedInTheDashboardEndsTheRunWithItsReason() throws {
        let sandbox = try RunSandbox()
        _ = try sandbox.gatehouse(["init"])
        let runner = try sandbox.start(["run", "--dry-run"])
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        let tmux = try dashboard(sandbox)
        defer { tmux.close() }
        try decide("SG_1", of: run, in: tmux, reject: "candidate 3 is wrong")
        #expect(try runner.wait() == 4)
        #expect(try sandbox.store().ledger[run.id]?.outcome == .rejected(gate: "SG_1", by: "demo", reason: "candidate 3 is wrong"))
    }

    @Test func theKillSwitchFlowIsRefusedWhileAPreconditionIsUnmet() throws {
        // Given a LIVE run of the shipped O5 programme (GAP-3..8 open), approved at SG_1
        let sandbox = try RunSandbox(liveReady: false)
        _ = try sandbox.gatehouse(["init"])
        let runner = try sandbox.start(["run", "--live"])
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        #expect(try sandbox.gatehouse(["approve", run.id, "SG_1", "--as", "demo"]).status == 0)
        let tmux = try dashboard(sandbox)
        defer { tmux.close() }
        // When the approver opens the checklist with K
        try tmux.send("3")
        try tmux.waitFor("LIVE refused: kill-switch off")
        try tmux.send("K")
        // Then each precondition is shown met or not, with why (waiting for the page's last
        // line: a capture taken mid-draw shows the title before the lines below it)
        let checklist = try tmux.waitFor("LIVE cannot be enabled while a line is red (9 unmet)")
        #expect(checklist.contains("Enable LIVE for run \(run.id)"))
        #expect(checklist.contains("✗ GAP-3 closed — GAP-3 is open"))
        #expect(checklist.contains("✗ macro O6 done — GATE-O6 is blocked, not pass"))
        #expect(checklist.contains("✓ approvals present — SG_1 by demo (stub, INSECURE)"))
        // And asking to go on is refused with the reason; nothing is journaled and the switch stays off
        let before = try sandbox.store().ledger.sequence
        try tmux.send("Enter")
        try tmux.waitFor("refused: 9 preconditions are not met (the red lines); LIVE stays off")
        #expect(try sandbox.store().ledger.sequence == before)
        #expect(try sandbox.store().ledger.killSwitchHolder == nil)
        try tmux.send("Escape")
        try tmux.waitFor("cancelled; nothing was recorded")
        runner.kill(SIGTERM)
        #expect(try runner.wait() == 143)
    }

    @Test func withEveryPreconditionMetTheTypedPhraseFlipsTheSwitchAndTheLiveRunClosesOut() throws {
        // Given a LIVE run of a programme whose preconditions hold, approved at SG_1 in the dashboard
        let sandbox = try RunSandbox()
        _ = try sandbox.gatehouse(["init"])
        let runner = try sandbox.start(["run", "--live"])
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        let tmux = try dashboard(sandbox)
        defer { tmux.close() }
        try decide("SG_1", of: run, in: tmux)
        _ = try sandbox.waitFor("the kill-switch wait") { $0.ledger[run.id].flatMap { $0.situation == "waiting for the kill-switch" ? $0 : nil } }

        // When the approver opens the checklist from the Approvals tab
        try tmux.waitFor("KILL-SWITCH \(run.shortID) LIVE")
        try tmux.send("Enter")
        let checklist = try tmux.waitFor("Every precondition is met.")
        #expect(!checklist.contains("✗"), "\(checklist)")
        #expect(checklist.contains("✓ ruling for xhigh gate GATE-O8 — recorded by architecture board on"))
        try tmux.send("Enter")
        try tmux.waitFor("To enable LIVE, type ENABLE LIVE \(run.shortID):")
        // A wrong phrase is refused, then the right one asks a last y/N, and N cancels
        try tmux.send("-l", "ENABLE LIVE")
        try tmux.send("Enter")
        try tmux.waitFor("that is not the phrase; type ENABLE LIVE \(run.shortID) exactly")
        try tmux.send("-l", "ENABLE LIVE \(run.shortID)")
        try tmux.send("Enter")
        try tmux.waitFor("Enable LIVE for run \(run.shortID)? It may then write to the target. y/N")
        try tmux.send("n")
        try tmux.waitFor("cancelled; nothing was recorded")
        #expect(try sandbox.store().ledger.killSwitchHolder == nil)
        try tmux.send("Enter")
        try tmux.waitFor("Every precondition is met.")
        try tmux.send("Enter")
        try tmux.send("-l", "ENABLE LIVE \(run.shortID)")
        try tmux.send("Enter")
        try tmux.waitFor("y/N")
        try tmux.send("y")
        // Then the signed enable is journaled and the header shows the switch on
        try tmux.waitFor("kill-switch ON for run \(run.shortID)")
        let enables = try #require(try sandbox.store().ledger[run.id]).switchEnables
        #expect(enables.map(\.enable.by) == ["demo"] && enables[0].enable.statement["phrase"] == .string("ENABLE LIVE \(run.shortID)"))
        try tmux.send("Escape")

        // When SG_2 is approved after apply and verify, the LIVE run closes out and the switch is off again
        _ = try sandbox.waitFor("SG_2", timeout: 30) { $0.ledger[run.id].flatMap { $0.waitingGate == "SG_2" ? $0 : nil } }
        #expect(try tmux.capture().contains("SWITCH ON \(run.shortID)"))
        try decide("SG_2", of: run, in: tmux)
        #expect(try runner.wait() == 0, "\(runner.output)")
        #expect(try sandbox.counts() == ["document": 3, "unit": 8, "cut_marker": 1])
        #expect(try sandbox.store().ledger.killSwitchHolder == nil)
        try tmux.send("3")
        let done = try tmux.waitFor("Closed out")
        #expect(done.contains("SWITCH OFF"))
    }

    @Test func anEndedLiveRunsBackupIsRestoredFromTheRunsTabWithThePhraseAndAYes() throws {
        // Given a LIVE run that wrote the target and closed out
        let sandbox = try RunSandbox()
        _ = try sandbox.gatehouse(["init"])
        let runner = try sandbox.start(["run", "--live"])
        #expect(try sandbox.drive(runner) == 0, "\(runner.output)")
        let run = try #require(try sandbox.store().ledger.newestFirst.first)
        let pre = try #require(run.facts.preStateSHA)
        #expect(try SQLiteContextPack(path: sandbox.targetPath, readOnly: true).snapshot().sha256 != pre)
        let tmux = try dashboard(sandbox)
        defer { tmux.close() }
        // When the sovereign asks for its restore on the Runs tab
        try tmux.send("3")
        try tmux.waitFor("R restore")
        try tmux.send("R")
        let review = try tmux.waitFor("Enter to type the phrase")
        #expect(review.contains("Restore the target of run \(run.id) from its backup"), "\(review)")
        #expect(review.contains("it holds now is replaced") && review.contains("Run         LIVE · closed"), "\(review)")
        try tmux.send("Enter")
        try tmux.waitFor("To restore, type RESTORE \(run.shortID):")
        try tmux.send("-l", "RESTORE \(run.shortID)")
        try tmux.send("Enter")
        try tmux.waitFor("replacing what it holds now? y/N")
        try tmux.send("y")
        // Then it is signed, put back and journaled, and the result says the pre-state is back
        try tmux.waitFor("the run's pre-state. Any key closes.")
        #expect(try SQLiteContextPack(path: sandbox.targetPath, readOnly: true).snapshot().sha256 == pre)
        #expect(try sandbox.store().ledger[run.id]?.facts.restoredFrom == run.facts.backupPath)
        let log = try sandbox.gatehouse(["log", run.id])
        #expect(log.stdout.contains("by demo (stub): content SHA-256 now \(pre)"), "\(log.stdout)")
    }

    @Test func nothingIsSignedOnAJournalWhoseChainIsBroken() throws {
        let sandbox = try RunSandbox()
        _ = try sandbox.gatehouse(["init"])
        // Given a dry run waiting at SG_1 in a journal whose first event was edited
        _ = try sandbox.start(["run", "--dry-run"])
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        let queue = try DatabaseQueue(path: sandbox.journalPath)
        try queue.write { db in try db.execute(sql: "UPDATE event SET actor = 'someone else' WHERE sequence = 1") }
        try queue.close()
        let tmux = try dashboard(sandbox)
        defer { tmux.close() }
        try tmux.waitFor("JOURNAL BROKEN #1")
        // When the sovereign goes through the whole approval
        try tmux.send("4")
        try tmux.waitFor("SG_1        \(run.shortID)")
        try tmux.send("Enter")
        try tmux.waitFor("Review SG_1 of run \(run.id)")
        try tmux.send("a")
        try tmux.waitFor("type SG_1 \(run.shortID):")
        try tmux.send("-l", "SG_1 \(run.shortID)")
        try tmux.send("Enter")
        // Then the dashboard refuses to sign, and the journal holds no decision
        try tmux.waitFor("nothing was signed. Run `gatehouse verify`.")
        #expect(try sandbox.store().ledger[run.id]?.decisions.isEmpty == true)
    }
}
