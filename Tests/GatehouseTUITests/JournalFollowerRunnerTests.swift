import Foundation
import GatehouseCore
import GatehouseEngine
import Testing
@testable import GatehouseTUI

/// What a dashboard's follower does with the runner locks on each read: a watcher shows a gone
/// runner; a dashboard that may write also records it lost, once.
struct JournalFollowerRunnerTests {
    /// Runner liveness whose answers the test sets.
    final class SetLiveness: RunnerLiveness, @unchecked Sendable {
        private let lock = NSLock()
        private var answers: [String: RunnerPresence] = [:]

        func set(_ run: String, _ presence: RunnerPresence) {
            lock.withLock { answers[run] = presence }
        }

        func claim(run: String) throws -> any RunnerClaim {
            throw RunnerLockError.held(run: run, holder: "the test")
        }

        func presence(of runs: [String]) -> [String: RunnerPresence] {
            lock.withLock { Dictionary(uniqueKeysWithValues: runs.map { ($0, answers[$0] ?? .alive(nil)) }) }
        }
    }

    private let folder = FileManager.default.temporaryDirectory.appendingPathComponent("follower-\(UUID().uuidString)").path
    private var journalPath: String { folder + "/journal.sqlite" }
    private static let runner = RunnerIdentity(host: "ops-1", pid: 4242)

    /// A journal with one dry run, as its runner started it.
    private func journalWithARun() throws -> RunStore {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let store = try RunStore(journal: SQLiteJournal(path: journalPath))
        try store.record(.started(RunStart(mode: .dryRun, plan: .productionCut, document: "d", target: nil, operatorName: "ops",
                                           signing: "stub")), run: "r1", actor: "ops")
        return store
    }

    private func follower(readOnly: Bool, _ liveness: SetLiveness) -> JournalFollower {
        JournalFollower(path: journalPath, readOnly: readOnly, open: JournalFollower.sqliteFile(journalPath),
                        liveness: liveness, actor: "alice")
    }

    @Test func aWatcherShowsAGoneRunnerAndWritesNothing() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try journalWithARun()
        let liveness = SetLiveness()
        var follower = follower(readOnly: true, liveness)
        var context = DashboardContext(readOnly: true)
        let changed1 = follower.poll(into: &context)
        #expect(changed1)
        #expect(context.runners == ["r1": .alive(nil)])
        // When the runner dies, the next read shows it gone, and only that changed
        liveness.set("r1", .gone(Self.runner))
        let changed2 = follower.poll(into: &context)
        #expect(changed2)
        #expect(context.runners == ["r1": .gone(Self.runner)])
        #expect(context.runner(context.ledger["r1"]!) == .gone(Self.runner))
        let changed3 = follower.poll(into: &context)
        #expect(!changed3)
        // And the journal holds nothing new
        #expect(try store.journal.headSequence() == 1)
    }

    @Test func aDashboardThatMayWriteRecordsAGoneRunnerLostOnce() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try journalWithARun()
        let liveness = SetLiveness()
        var follower = follower(readOnly: false, liveness)
        var context = DashboardContext()
        follower.poll(into: &context)
        liveness.set("r1", .gone(Self.runner))
        let changed4 = follower.poll(into: &context)
        #expect(changed4)
        // Then the journal says the runner was lost, by the dashboard's user, and the screen shows it
        let events = try store.journal.events(after: 1)
        #expect(events.map(\.kind) == ["run.runner_lost"] && events.first?.actor == "alice")
        #expect(context.ledger["r1"]?.runnerAttached == false)
        #expect(context.runner(context.ledger["r1"]!)?.isGone == true)
        // And a second look records nothing more
        follower.poll(into: &context)
        #expect(try store.journal.headSequence() == 2)
    }

    @Test func aRunnerThatCannotBeSeenIsNeverRecordedLost() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try journalWithARun()
        let liveness = SetLiveness()
        liveness.set("r1", .unknown(RunnerIdentity(host: "ops-2", pid: 9)))
        var follower = follower(readOnly: false, liveness)
        var context = DashboardContext()
        follower.poll(into: &context)
        #expect(try store.journal.headSequence() == 1)
        #expect(context.runner(context.ledger["r1"]!) == .unknown(RunnerIdentity(host: "ops-2", pid: 9)))
    }

    @Test func aReadBetweenLooksLeavesTheLocksAloneUnlessTheRunsWithARunnerChanged() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try journalWithARun()
        let liveness = SetLiveness()
        var follower = follower(readOnly: true, liveness)
        var context = DashboardContext(readOnly: true)
        follower.poll(into: &context)
        // When the runner dies and the loop reads without a look (mid-second, mid-burst)
        liveness.set("r1", .gone(Self.runner))
        try store.record(.phaseStarted(phase: "identity_guards"), run: "r1", actor: "ops")
        #expect(follower.poll(into: &context, lookingAtRunners: false))
        // Then the new event is shown, and the runner as it was last seen
        #expect(context.ledger.sequence == 2)
        #expect(context.runners == ["r1": .alive(nil)])
        // But a run that starts between looks is looked at at once, with the others
        liveness.set("r2", .alive(RunnerIdentity(host: "ops-1", pid: 77)))
        try store.record(.started(RunStart(mode: .dryRun, plan: .productionCut, document: "d", target: nil, operatorName: "ops",
                                           signing: "stub")), run: "r2", actor: "ops")
        #expect(follower.poll(into: &context, lookingAtRunners: false))
        #expect(context.runners == ["r1": .gone(Self.runner), "r2": .alive(RunnerIdentity(host: "ops-1", pid: 77))])
        // And the next look shows what the locks say
        liveness.set("r1", .alive(nil))
        #expect(follower.poll(into: &context, lookingAtRunners: true))
        #expect(context.runners["r1"] == .alive(nil))
    }
}
