import Foundation
import GatehouseCore
import GatehouseEngine
import GRDB
import Testing

/// Runs through the real binary: dry runs, LIVE runs with the kill-switch, drift, policy,
/// concurrent approvals and tampered journals.
@Suite(.serialized)
struct RunEndToEndTests {
    @Test func aDryRunWritesNothingAndProvesIt() throws {
        let sandbox = try RunSandbox()
        #expect(try sandbox.gatehouse(["init"]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: sandbox.targetPath))
        // When a dry run goes through both gates
        let runner = try sandbox.start(["run", "--dry-run"])
        #expect(try sandbox.drive(runner) == 0, "\(runner.output)")
        // Then the target's bytes are unchanged and the run proved counts and SHA equal
        #expect(try Data(contentsOf: URL(fileURLWithPath: sandbox.targetPath)) == before)
        let run = try sandbox.onlyRun()
        #expect(run.outcome == .closed)
        #expect(run.facts.preCounts == run.facts.postCounts)
        #expect(run.facts.preStateSHA == run.facts.postStateSHA)
        #expect(run.facts.wouldInsert == 8 && run.facts.inserted == 0)
        #expect(run.phase("backup")?.status == .skipped)
        #expect(run.decisions.map(\.decision.gate) == ["SG_1", "SG_2"])
        #expect(try sandbox.gatehouse(["verify"]).status == 0)
    }

    @Test func liveWaitsForTheSwitchThenWritesEachUnitOnceAndASecondApplyWritesNothing() throws {
        let sandbox = try RunSandbox()
        _ = try sandbox.gatehouse(["init"])
        let runner = try sandbox.start(["run", "--live"])
        // Given a LIVE run approved at SG_1 with the switch off
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        let approve = try sandbox.gatehouse(["approve", run.shortID, "SG_1", "--as", "demo"])
        #expect(approve.status == 0, "\(approve.stderr)")
        // Then it refuses to write, journals the refusal, and waits
        let refused = try sandbox.waitFor("the refusal") { store in
            store.ledger[run.id]?.refusals.first { $0.code == "live_with_switch_off" }
        }
        #expect(refused.message.contains("kill-switch is off"))
        #expect(try sandbox.counts()["unit"] == 0)
        let status = try sandbox.gatehouse(["killswitch", "status"])
        #expect(status.stdout.contains("OFF"))
        // When a sovereign enables the switch for it (the confirmation must repeat the run id)
        #expect(try sandbox.gatehouse(["killswitch", "enable", run.id, "--confirm", "nope", "--as", "demo"]).status == 2)
        let enabled = try sandbox.gatehouse(["killswitch", "enable", run.id, "--confirm", run.id, "--as", "demo"])
        #expect(enabled.status == 0, "\(enabled.stderr)")
        #expect(enabled.stdout.contains("[ok]   approvals present: SG_1 by demo (stub, INSECURE)"))
        #expect(try sandbox.drive(runner) == 0, "\(runner.output)")
        // Then it wrote each candidate once, took a backup, and the switch is off again
        let closed = try #require(try sandbox.store().ledger[run.id])
        #expect(closed.outcome == .closed)
        #expect(try sandbox.counts() == ["document": 3, "unit": 8, "cut_marker": 1])
        let backup = try #require(closed.facts.backupPath)
        #expect(try SQLiteContextPack.sha256(ofFile: backup) == closed.facts.backupSHA256)
        // ... readable by its owner alone, read back as the pre-state before the apply
        #expect((try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(closed.facts.backupContentSHA256 == closed.facts.preStateSHA && closed.facts.preStateSHA != nil)
        #expect(try sandbox.store().ledger.killSwitchHolder == nil)

        // When a second LIVE run cuts the same document
        let second = try sandbox.start(["run", "--live"])
        #expect(try sandbox.drive(second) == 0, "\(second.output)")
        // Then the idempotency marker makes its apply write nothing
        let again = try #require(try sandbox.store().ledger.newestFirst.first)
        #expect(again.facts.inserted == 0)
        #expect(again.facts.alreadyAppliedBy == run.id)
        #expect(try sandbox.counts() == ["document": 3, "unit": 8, "cut_marker": 1])

        // And restoring the first run's backup puts the target back to its pre-state
        let restore = try sandbox.gatehouse(["restore", run.id, "--as", "demo", "--confirm", "RESTORE \(run.shortID)"])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try SQLiteContextPack(path: sandbox.targetPath, readOnly: true).snapshot().sha256 == closed.facts.preStateSHA)
        #expect(try sandbox.gatehouse(["verify"]).status == 0)
    }

    @Test func driftBetweenSnapshotAndBackupFailsTheRunBeforeApplyAndWritesNothing() throws {
        let sandbox = try RunSandbox()
        _ = try sandbox.gatehouse(["init"])
        let runner = try sandbox.start(["run", "--live"])
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        // Given someone changes the target after the pre-state snapshot
        let queue = try DatabaseQueue(path: sandbox.targetPath)
        try queue.write { db in try db.execute(sql: "UPDATE document SET title = title || ' (edited)' WHERE id = 'constitution'") }
        try queue.close()
        let before = try sandbox.counts()
        // When the run is approved and enabled
        #expect(try sandbox.drive(runner) == 4, "\(runner.output)")
        // Then the backup, read back, is not the pre-state: the run fails there, before apply,
        // nothing is written and the switch is off
        let failed = try #require(try sandbox.store().ledger[run.id])
        guard case .failed("backup", let reason) = failed.outcome else {
            Issue.record("expected a failure at backup, got \(String(describing: failed.outcome))")
            return
        }
        #expect(reason.contains("not the pre-state") && reason.contains("the target changed since the pre-state snapshot; nothing was applied"), "\(reason)")
        #expect(failed.phase("apply")?.status == .pending)
        #expect(try sandbox.counts() == before)
        #expect(!failed.switchOn)
        #expect(try sandbox.store().ledger.killSwitchHolder == nil)
    }

    @Test func theShippedO5ProgrammeRefusesLiveUntilItsPreconditionsHold() throws {
        let sandbox = try RunSandbox(liveReady: false)
        let runner = try sandbox.start(["run", "--live"])
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        #expect(try sandbox.gatehouse(["approve", run.shortID, "SG_1", "--as", "demo"]).status == 0)
        // The checklist says what is missing, line by line
        let checklist = try sandbox.gatehouse(["killswitch", "checklist", run.shortID])
        #expect(checklist.status == 1)
        #expect(checklist.stdout.contains("[NOT]  GAP-3 closed: GAP-3 is open (close it: gatehouse gap close GAP-3)"))
        #expect(checklist.stdout.contains("[NOT]  macro O7 done: GATE-O7 is blocked, not pass"))
        #expect(checklist.stdout.contains("[NOT]  ruling for xhigh gate GATE-O8"))
        #expect(checklist.stdout.contains("[ok]   approvals present: SG_1 by demo (stub, INSECURE)"))
        // When a sovereign tries to flip it anyway
        let enable = try sandbox.gatehouse(["killswitch", "enable", run.shortID, "--confirm", "ENABLE LIVE \(run.shortID)", "--as", "demo"])
        // Then it is refused with the reasons, the refusal is journaled and nothing was written
        #expect(enable.status == 6)
        #expect(enable.stderr.contains("9 preconditions are not met") && enable.stderr.contains("GAP-8 closed"))
        let refusal = try sandbox.waitFor("the refusal") { $0.ledger[run.id]?.refusals.first { $0.code == "preconditions_unmet" } }
        #expect(refusal.attempted == "killswitch.enabled" && refusal.actor == "demo")
        #expect(try sandbox.store().ledger.killSwitchHolder == nil)
        #expect(try sandbox.counts()["unit"] == 0)
        runner.kill(SIGTERM)
        #expect(try runner.wait() == 143)
    }

    @Test func aSignatureCriticalDocumentIsRefusedLiveUnderStubSigning() throws {
        let sandbox = try RunSandbox()
        let result = try sandbox.gatehouse(["run", "--live", "--document", "constitution"])
        #expect(result.status == 4)
        #expect(result.stderr.contains("refused by policy"))
        #expect(try sandbox.onlyRun().outcome == .failed(phase: "select_document", reason: try sandbox.onlyRun().phase("select_document")!.note!))
        #expect(try sandbox.counts()["unit"] == 0)
    }

    @Test func twoProcessesApprovingOneGateAtOnceExactlyOneCounts() throws {
        let sandbox = try RunSandbox()
        let runner = try sandbox.start(["run", "--dry-run"])
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        // When two approvers run `gatehouse approve` at the same instant
        let alice = try sandbox.start(["approve", run.id, "SG_1", "--as", "demo"])
        let bob = try sandbox.start(["approve", run.id, "SG_1", "--as", "demo"])
        let statuses = [try alice.wait(), try bob.wait()]
        // Then one is recorded and the other is told it came too late
        #expect(statuses.sorted() == [0, 6], "\(alice.output)\n\(bob.output)")
        #expect((alice.output + bob.output).contains("too late"))
        let state = try #require(try sandbox.store().ledger[run.id])
        #expect(state.decisions.count == 1 && state.refusals.count == 1)
        runner.kill(SIGTERM)
        #expect(try runner.wait() == 143)
    }

    @Test func sigtermStopsTheRunnerSafelyAndResumeFinishesTheRun() throws {
        let sandbox = try RunSandbox()
        let runner = try sandbox.start(["run", "--live"])
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        // When the runner gets SIGTERM while waiting
        runner.kill(SIGTERM)
        #expect(try runner.wait() == 143)
        // Then the journal says it stopped and the run waits to be resumed
        let stopped = try #require(try sandbox.store().ledger[run.id])
        #expect(!stopped.runnerAttached && !stopped.switchOn)
        #expect(try sandbox.gatehouse(["status", run.id]).stdout.contains("runner gone at SG_1: nothing moves until `gatehouse resume \(run.shortID)`"))
        // And resume takes it to the end
        let resumed = try sandbox.start(["resume", run.shortID])
        #expect(try sandbox.drive(resumed) == 0, "\(resumed.output)")
        #expect(try sandbox.counts()["unit"] == 8)
        // Resuming a closed run runs nothing, says so, and journals the check (the idempotent resume)
        let again = try sandbox.gatehouse(["resume", run.id])
        #expect(again.status == 0 && again.stdout.contains("nothing to run; the target is as the run left it"), "\(again.stdout)")
        let checked = try #require(try sandbox.store().ledger[run.id])
        #expect(checked.resumeChecks.count == 1 && checked.resumeChecks.last?.check.targetUnchanged == true)
        #expect(!checked.refusals.contains { $0.code == "run_ended" }, "\(checked.refusals)")
    }

    @Test func abortEndsTheRunAndItsRunner() throws {
        let sandbox = try RunSandbox()
        let runner = try sandbox.start(["run", "--dry-run"])
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        #expect(try sandbox.gatehouse(["abort", run.id, "--reason", "wrong document"]).status == 0)
        #expect(try runner.wait() == 5)
        #expect(try sandbox.gatehouse(["abort", run.id, "--reason", "again"]).status == 6)
        #expect(try sandbox.gatehouse(["approve", run.id, "SG_1", "--as", "demo"]).status == 6)
    }

    @Test func statusAndLogTellTheRunsStory() throws {
        let sandbox = try RunSandbox()
        let runner = try sandbox.start(["run", "--dry-run"])
        #expect(try sandbox.drive(runner) == 0)
        let run = try sandbox.onlyRun()
        // status lists the run; as JSON it parses and carries the phases and facts
        let listed = try sandbox.gatehouse(["status"]).stdout.split(separator: "\n").first { $0.hasPrefix(run.id) }.map(String.init)
        #expect(listed?.hasPrefix("\(run.id)  DRYRUN  production-cut  release-notes-v0.6  ") == true, "\(listed ?? "no line")")
        // A closed run needs no runner: none is shown
        #expect(listed?.hasSuffix("  -       closed") == true, "\(listed ?? "no line")")
        let json = try sandbox.gatehouse(["status", run.shortID, "--format", "json"]).stdout
        let parsed = try JSONValue.parse(json.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(parsed["outcome"] == .string("closed"))
        #expect(parsed["phases"]?.arrayValue?.count == 11)
        #expect(parsed["facts"]?["pre_sha"] == parsed["facts"]?["post_sha"])
        // log prints every event of the run in order, and --follow ends with the run
        let log = try sandbox.gatehouse(["log", run.id, "--follow"])
        #expect(log.status == 0)
        let kinds = log.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true)[4] }
        #expect(kinds.first == "run.started" && kinds.last == "run.closed")
        #expect(kinds.filter { $0 == "gate.approved" }.count == 2)
        // an unknown run is bad input
        let unknown = try sandbox.gatehouse(["status", "zzzz"])
        #expect(unknown.status == 2 && unknown.stderr.contains("no run 'zzzz'"))
    }

    // MARK: - Tampering

    /// A journal with one whole dry run in it.
    private func journalWithARun() throws -> RunSandbox {
        let sandbox = try RunSandbox()
        let runner = try sandbox.start(["run", "--dry-run"])
        #expect(try sandbox.drive(runner) == 0)
        #expect(try sandbox.gatehouse(["verify"]).status == 0)
        return sandbox
    }

    private func tamper(_ sandbox: RunSandbox, _ sql: String) throws {
        let queue = try DatabaseQueue(path: sandbox.journalPath)
        try queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }

    @Test func verifyNamesAnEditedEvent() throws {
        let sandbox = try journalWithARun()
        try tamper(sandbox, "UPDATE event SET payload = replace(payload, 'release', 'relaese') WHERE sequence = 1")
        let result = try sandbox.gatehouse(["verify"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("BROKEN at event 1") && result.stderr.contains("edited"))
    }

    @Test func verifyNamesADeletedEvent() throws {
        let sandbox = try journalWithARun()
        try tamper(sandbox, "DELETE FROM event WHERE sequence = 5")
        let result = try sandbox.gatehouse(["verify"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("BROKEN at event 5"))
    }

    @Test func verifyNamesReorderedEvents() throws {
        let sandbox = try journalWithARun()
        // Swap the stored order of events 3 and 4 (each keeps its content and its number).
        try tamper(sandbox, """
            CREATE TEMP TABLE swapped AS SELECT * FROM event WHERE sequence IN (3, 4);
            UPDATE event SET hash = 'moving-' || sequence WHERE sequence IN (3, 4);
            UPDATE event SET (time_ms, run, kind, actor, payload, previous_hash, hash) =
                (SELECT time_ms, run, kind, actor, payload, previous_hash, hash FROM swapped WHERE swapped.sequence = 7 - event.sequence)
                WHERE sequence IN (3, 4);
            """)
        let result = try sandbox.gatehouse(["verify"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("BROKEN at event 3"))
    }

    @Test func verifyNamesTheFirstMissingEventWhenTheEndIsCutOff() throws {
        let sandbox = try journalWithARun()
        let last = try sandbox.store().ledger.sequence
        // The events left link up; only the journal's record of its last event shows the cut.
        try tamper(sandbox, "DELETE FROM event WHERE sequence > \(last - 2)")
        let result = try sandbox.gatehouse(["verify"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("BROKEN at event \(last - 1): event \(last - 1) is missing"), "\(result.stderr)")
    }

    @Test func verifyNamesTheEventAfterAnInsertedEventHashedByTheJournalsRules() throws {
        let sandbox = try journalWithARun()
        let events = try SQLiteJournal(path: sandbox.journalPath).events(after: 0)
        // A forged approval as event 4, chained to event 3 and hashed exactly as the journal would.
        let forged = JournalEvent(sequence: 4, timeMilliseconds: events[2].timeMilliseconds, runID: events[2].runID,
                                  kind: "gate.approved", actor: "mallory", payload: .object([:]), previousHash: events[2].hash)
        try tamper(sandbox, """
            UPDATE event SET sequence = sequence + 1000000 WHERE sequence >= 4;
            UPDATE event SET sequence = sequence - 999999 WHERE sequence >= 1000000;
            INSERT INTO event VALUES (4, \(forged.timeMilliseconds), '\(forged.runID)', '\(forged.kind)', 'mallory', '{}', '\(forged.previousHash)', '\(forged.hash)');
            """)
        // Then the forged event fits where it stands, and the old event 4, now 5, no longer does
        let result = try sandbox.gatehouse(["verify"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("BROKEN at event 5: its previous_hash does not match the hash of event 4"), "\(result.stderr)")
    }

    @Test func aFieldOfTheWrongTypeIsAnErrorNotACrash() throws {
        let sandbox = try journalWithARun()
        try tamper(sandbox, "UPDATE event SET time_ms = 'soon' WHERE sequence = 6")
        let verify = try sandbox.gatehouse(["verify"])
        #expect(verify.status == 3)
        #expect(verify.stderr.contains("BROKEN at event 6: its time_ms is text, not an integer: the event was edited"), "\(verify.stderr)")
        // status cannot fold the runs: it says why, and exits 2 (bad input), not with a trap
        let status = try sandbox.gatehouse(["status"])
        #expect(status.status == 2)
        #expect(status.stderr.contains("journal event 6 cannot be read: its time_ms is text, not an integer"), "\(status.stderr)")
    }
}
