import Foundation
import GatehouseCore
import GatehouseEngine
import GatehouseBench
import GatehousePostgres
import GatehouseTestSupport
import PostgresNIO
import Testing

/// The journal on PostgreSQL through the real binary: runners, approvers and `verify` on one
/// database, as they would be on different hosts.
///
/// Needs the test server of `scripts/test.sh` (GATEHOUSE_TEST_POSTGRES and PGPASSWORD, which
/// the spawned processes inherit); GATEHOUSE_SKIP_POSTGRES=1 skips it on purpose.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["GATEHOUSE_SKIP_POSTGRES"] != "1", "GATEHOUSE_SKIP_POSTGRES=1"))
struct PostgresJournalEndToEndTests {
    @Test func twoRunnersOnOnePostgreSQLJournalNeverForkTheChain() throws {
        let database = try scratchDatabase("e2e")
        defer { database.drop() }
        let sandbox = try RunSandbox()
        let journal = database.location.description
        let environment = ["GATEHOUSE_JOURNAL": journal]
        #expect(try sandbox.gatehouse(["init"]).status == 0)
        // Given two runner processes on the one PostgreSQL journal, started at once
        let first = try sandbox.start(["run", "--dry-run"], environment: environment)
        let second = try sandbox.start(["run", "--dry-run"], environment: environment)
        let store = try RunStore(journal: PostgresJournal(location: database.location))
        // When both wait at SG_1, and a third process approves each gate of each run
        let deadline = Date().addingTimeInterval(60)
        while store.ledger.newestFirst.filter({ $0.waitingGate == "SG_1" }).count < 2 {
            guard Date() < deadline, first.exitStatus == nil, second.exitStatus == nil else {
                throw E2EError("the runners did not both reach SG_1; output:\n\(first.output)\n\(second.output)")
            }
            Thread.sleep(forTimeInterval: 0.02)
            try store.refresh()
        }
        while first.exitStatus == nil || second.exitStatus == nil {
            guard Date() < deadline else { throw E2EError("the runners did not end; output:\n\(first.output)\n\(second.output)") }
            for run in store.ledger.newestFirst {
                if case .awaitDecision(let gate) = run.nextStep {
                    try? store.record(.gateApproved(TestDecisions.approval(of: run, gate: gate)), run: run.id, actor: "sovereign")
                }
            }
            Thread.sleep(forTimeInterval: 0.02)
            try store.refresh()
        }
        // Then both runs closed out
        #expect(first.exitStatus == 0, "\(first.output)")
        #expect(second.exitStatus == 0, "\(second.output)")
        try store.refresh()
        let runs = store.ledger.newestFirst
        #expect(runs.count == 2 && runs.allSatisfy { $0.outcome == .closed })
        // And their events interleave in one chain that `gatehouse verify` finds unbroken
        let events = try store.journal.events(after: 0)
        let spans = runs.map { run in
            let mine = events.filter { $0.runID == run.id }.map(\.sequence)
            return (mine.min() ?? 0)...(mine.max() ?? 0)
        }
        #expect(spans.count == 2 && spans[0].overlaps(spans[1]))
        let verify = try sandbox.gatehouse(["verify"], environment: environment)
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.hasPrefix("\(journal): OK, \(events.count) events"))
        // And `gatehouse status` reads the same journal from the environment
        let status = try sandbox.gatehouse(["status"], environment: environment)
        #expect(runs.allSatisfy { status.stdout.contains($0.id) && status.stdout.contains("closed") })
    }

    @Test func aRunnerOnPostgreSQLWritesCheckpointsThatVerifyChecksAndFindsForged() throws {
        let database = try scratchDatabase("e2echeckpoint")
        defer { database.drop() }
        let sandbox = try RunSandbox()
        let environment = ["GATEHOUSE_JOURNAL": database.location.description, "GATEHOUSE_CHECKPOINT_EVERY": "4"]
        #expect(try sandbox.gatehouse(["init"]).status == 0)
        // Given a dry run on a PostgreSQL journal, its runner writing a checkpoint every 4 events
        let runner = try sandbox.start(["run", "--dry-run"], environment: environment)
        let store = try RunStore(journal: PostgresJournal(location: database.location), checkpoints: .fromTheStart)
        let deadline = Date().addingTimeInterval(60)
        while runner.exitStatus == nil {
            guard Date() < deadline else { throw E2EError("the run did not end; output:\n\(runner.output)") }
            if let run = store.ledger.newestFirst.first, case .awaitDecision(let gate) = run.nextStep {
                try? store.record(.gateApproved(TestDecisions.approval(of: run, gate: gate)), run: run.id, actor: "sovereign")
            }
            Thread.sleep(forTimeInterval: 0.02)
            try store.refresh()
        }
        #expect(runner.exitStatus == 0, "\(runner.output)")
        // Then verify compares each with the fold at its event, and an opening starts at the newest
        let stored = try store.journal.checkpointSequences()
        #expect(stored.count >= 3, "\(stored)")
        let verify = try sandbox.gatehouse(["verify"], environment: environment)
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("; checkpoints: \(stored.count) checked, every one the fold at its event"), "\(verify.stdout)")
        let opened = try RunStore(journal: PostgresJournal(location: database.location), checkpoints: CheckpointPolicy(opensFromCheckpoint: true, interval: nil))
        #expect(opened.openedFromCheckpoint == stored.last)
        #expect(opened.ledger == store.ledger)
        // When the newest is edited (the operator renamed) and sealed again to match
        let sequence = try #require(stored.last)
        let original = try #require(try store.journal.checkpoint(at: sequence))
        let state = Array(String(decoding: original.state, as: UTF8.self).replacingOccurrences(of: "\"tester\"", with: "\"mallory\"").utf8)
        #expect(state != original.state)
        let seal = LedgerCheckpoint.seal(sequence: sequence, eventHash: original.eventHash, format: original.format, state: state)
        let session = try PostgresSession.connect(to: database.location, applicationName: "gatehouse-tests forge")
        defer { session.close() }
        try session.execute("""
            UPDATE gatehouse_journal.checkpoint SET state = \(ByteBuffer(bytes: state)), seal = \(seal) WHERE sequence = \(sequence)
            """)
        // Then verify finds it: the seal holds, the fold does not
        let forged = try sandbox.gatehouse(["verify"], environment: environment)
        #expect(forged.status == 3)
        #expect(forged.stderr.contains("the checkpoint at event \(sequence) is not the fold of the journal through that event"), "\(forged.stderr)")
    }

    @Test func aSecondRunnerOfTheSameRunIsRefusedWhileTheFirstLives() throws {
        let database = try scratchDatabase("e2elock")
        defer { database.drop() }
        let sandbox = try RunSandbox()
        let environment = ["GATEHOUSE_JOURNAL": database.location.description]
        #expect(try sandbox.gatehouse(["init"]).status == 0)
        let runner = try sandbox.start(["run", "--dry-run"], environment: environment)
        let store = try RunStore(journal: PostgresJournal(location: database.location))
        let deadline = Date().addingTimeInterval(30)
        while store.ledger.newestFirst.first?.waitingGate != "SG_1" {
            guard Date() < deadline, runner.exitStatus == nil else { throw E2EError("the runner did not reach SG_1:\n\(runner.output)") }
            Thread.sleep(forTimeInterval: 0.02)
            try store.refresh()
        }
        let run = try #require(store.ledger.newestFirst.first)
        // When another process resumes the run while its runner lives (its server-side lock held)
        let resume = try sandbox.gatehouse(["resume", run.id], environment: environment)
        // Then it is refused, naming the runner that holds it
        #expect(resume.status == 6)
        #expect(resume.stderr.contains("already has a runner (gatehouse runner pid \(runner.pid)@"), "\(resume.stderr)")
        // And once that runner is gone, the run is found lost and can be resumed
        runner.kill(SIGKILL)
        _ = try runner.wait()
        let status = try sandbox.gatehouse(["killswitch", "enable", run.id, "--confirm", run.id, "--as", "demo"], environment: environment)
        #expect(status.status == 6, "\(status.stdout)\n\(status.stderr)")
        try store.refresh()
        #expect(store.ledger[run.id]?.runnerAttached == false, "the lost runner was not recorded: \(status.stderr)")
    }
}

/// A database of its own for one test on the PostgreSQL test server (the one `scripts/test.sh`
/// starts), dropped by the caller.
func scratchDatabase(_ label: String) throws -> PostgresScratch {
    guard var server = try PostgresScratch.server() else {
        throw E2EError("no PostgreSQL server for the tests: GATEHOUSE_TEST_POSTGRES is not set; run `bash scripts/test.sh` (it starts one), or set GATEHOUSE_SKIP_POSTGRES=1 to skip these tests")
    }
    server.sslMode = .disable
    return try PostgresScratch(label, on: server)
}
