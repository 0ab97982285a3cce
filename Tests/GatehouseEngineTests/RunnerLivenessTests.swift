import Foundation
import GatehouseCore
import GatehouseTestSupport
import Testing
@testable import GatehouseEngine

/// Runner liveness beside an SQLite journal: what the lock files say of each run's runner,
/// and what a process that may write records when it finds one gone.
struct RunnerLivenessTests {
    private let folder = FileManager.default.temporaryDirectory.appendingPathComponent("liveness-\(UUID().uuidString)").path
    private var journalPath: String { folder + "/journal.sqlite" }

    private func cleanUp() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func writeLockFile(_ run: String, _ text: String) throws {
        let path = RunnerLock.path(journal: journalPath, run: run)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func aClaimedRunIsAliveAndNamesItsRunnerThenGoneOnceTheClaimGoes() throws {
        defer { cleanUp() }
        let liveness = RunnerLockFiles(journalPath: journalPath)
        var claim: (any RunnerClaim)? = try liveness.claim(run: "r1")
        #expect(liveness.presence(of: ["r1", "r2"]) == ["r1": .alive(.current), "r2": .gone(nil)])
        #expect(claim != nil)
        claim = nil
        #expect(liveness.presence(of: "r1") == .gone(.current))
    }

    @Test func aFreeLockTakenOnAnotherHostIsUnknownNotGone() throws {
        defer { cleanUp() }
        // Given a lock file a runner on another host wrote (a journal on a shared file system)
        try writeLockFile("r1", "pid 4242@build-host-7\n")
        // Then whether it lives cannot be seen from here
        #expect(RunnerLockFiles(journalPath: journalPath).presence(of: "r1") == .unknown(RunnerIdentity(host: "build-host-7", pid: 4242)))
    }

    @Test func aLockFileThatNamesNoHostIsTakenForThisOne() throws {
        defer { cleanUp() }
        try writeLockFile("r1", "pid 4242\n")
        #expect(RunnerLockFiles(journalPath: journalPath).presence(of: "r1") == .gone(nil))
    }

    @Test func aRunnerIdentityReadsBackWhatItWrites() {
        let identity = RunnerIdentity(host: "ops-1.example.org", pid: 31337)
        #expect(RunnerIdentity(parsing: identity.description + "\n") == identity)
        for text in ["", "pid", "pid @host", "pid 12@", "pid -3@host", "pid x@host", "12@host"] {
            #expect(RunnerIdentity(parsing: text) == nil, "\(text)")
        }
    }

    @Test func reapingRecordsOnlyRunsWhoseRunnerIsGone() throws {
        defer { cleanUp() }
        let store = try RunStore(journal: SQLiteJournal(path: journalPath))
        let liveness = RunnerLockFiles(journalPath: journalPath)
        let start = RunStart(mode: .dryRun, plan: .productionCut, document: "d", target: nil, operatorName: "ops", signing: "stub")
        // Given a run with a live runner, one whose runner died, and one that closed
        let held = try liveness.claim(run: "alive")
        for run in ["alive", "dead", "closed"] { try store.record(.started(start), run: run, actor: "ops") }
        try store.record(.aborted(by: "ops", reason: "done"), run: "closed", actor: "ops")
        // When a process that may write looks
        let lost = try RunLauncher.reapLostRunners(store: store, liveness: liveness, actor: "alice")
        // Then only the dead one is recorded lost, by that process's user, and only once
        #expect(lost == ["dead"])
        #expect(store.ledger["dead"]?.runnerAttached == false && store.ledger["alive"]?.runnerAttached == true)
        #expect(try RunLauncher.reapLostRunners(store: store, liveness: liveness, actor: "alice").isEmpty)
        #expect(store.ledger["dead"]?.refusals.isEmpty == true)
        withExtendedLifetime(held) {}
    }

    @Test func aRunThatEndedAfterItsRunnerWasSeenGoneIsNotRecordedLost() throws {
        defer { cleanUp() }
        let store = try RunStore(journal: SQLiteJournal(path: journalPath))
        let start = RunStart(mode: .dryRun, plan: .productionCut, document: "d", target: nil, operatorName: "ops", signing: "stub")
        try store.record(.started(start), run: "r1", actor: "ops")
        let seen = RunnerLockFiles(journalPath: journalPath).presence(of: ["r1"])
        // When the run ends (in another process) after its lock was looked at
        let other = try RunStore(journal: SQLiteJournal(path: journalPath))
        try other.record(.aborted(by: "ops", reason: "done"), run: "r1", actor: "ops")
        // Then nothing is recorded, not even a refusal
        #expect(try RunLauncher.recordLost(seen, store: store, actor: "alice").isEmpty)
        #expect(store.ledger["r1"]?.refusals.isEmpty == true && store.ledger["r1"]?.outcome != nil)
    }
}
