import Foundation
import GatehouseCore
import GatehouseTestSupport
import GRDB
import Testing
@testable import GatehouseEngine

/// The runner in-process, against a journal that other "processes" write to between its steps.
struct RunnerTests {
    /// A journal that runs `beforeAppend` (once) ahead of the next append whose entries match:
    /// another process writing at the worst possible instant.
    final class InterposingJournal: Journal, @unchecked Sendable {
        let inner: SQLiteJournal
        private let lock = NSLock()
        private var hook: (match: (JournalEntry) -> Bool, action: (SQLiteJournal) throws -> Void)?

        init(_ inner: SQLiteJournal) { self.inner = inner }

        func interpose(before match: @escaping (JournalEntry) -> Bool, _ action: @escaping (SQLiteJournal) throws -> Void) {
            lock.lock(); hook = (match, action); lock.unlock()
        }

        func append(after sequence: Int64, _ decide: ([JournalEvent]) throws -> [JournalEntry]) throws -> [JournalEvent] {
            // Peek at what the caller would append now; if it matches, let the other writer in first.
            let unseen = try inner.events(after: sequence == .max ? try inner.headSequence() : sequence)
            let wanted = (try? decide(unseen)) ?? []
            lock.lock()
            let pending = hook.flatMap { hook in wanted.contains(where: hook.match) ? hook : nil }
            if pending != nil { hook = nil }
            lock.unlock()
            if let pending { try pending.action(inner) }
            return try inner.append(after: sequence, decide)
        }

        func events(after sequence: Int64) throws -> [JournalEvent] { try inner.events(after: sequence) }
        func headSequence() throws -> Int64 { try inner.headSequence() }
        func verify() throws -> ChainVerification { try inner.verify() }
    }

    private struct Fixture {
        let directory: String
        let journal: InterposingJournal
        let store: RunStore
        let target: String

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString)").path
            journal = InterposingJournal(try SQLiteJournal(path: directory + "/journal.sqlite"))
            store = try RunStore(journal: journal)
            target = directory + "/pack.sqlite"
            _ = try SQLiteContextPack.create(path: target)
        }

        func runner(_ run: String, stop: StopSignal = StopSignal(), output: @escaping (String) -> Void = { _ in }) -> Runner {
            let cut = ProductionCutSteps(
                openTarget: { [target] readOnly in try SQLiteContextPack(path: target, readOnly: readOnly) },
                backupDirectory: directory + "/backups", verifyJournal: { [journal] in try journal.verify() })
            return Runner(store: store, runID: run, cut: cut,
                          shell: ShellPhaseExecutor(workingDirectory: directory, environment: [:]),
                          stop: stop, faults: FaultInjection(point: nil), pollInterval: 0.005, output: output)
        }

        func start(_ run: String, mode: RunMode) throws {
            try store.record(.started(RunStart(mode: mode, plan: .productionCut, document: "release-notes-v0.6", target: target,
                                               operatorName: "ops", signing: "stub")), run: run, actor: "ops")
        }
    }

    /// Approves every gate and (for LIVE) enables the switch from another thread until the run ends.
    /// After 15 s it gives up and stops the runner, so a runner that hangs fails the test.
    private func sovereign(_ journalPath: String, run: String, stop: StopSignal, enablesSwitch: Bool = true,
                           until done: @escaping @Sendable () -> Bool) -> Thread {
        let thread = Thread {
            guard let store = try? RunStore(journal: SQLiteJournal(path: journalPath)) else { return }
            let deadline = Date().addingTimeInterval(15)
            while !done() {
                if Date() > deadline { stop.raise(SIGTERM) }
                _ = try? store.refresh()
                if let state = store.ledger[run] {
                    switch state.nextStep {
                    case .awaitDecision(let gate):
                        try? store.record(.gateApproved(TestDecisions.decision(gate, by: "s")), run: run, actor: "s")
                    case .awaitKillSwitch where enablesSwitch:
                        try? store.record(.killSwitchEnabled(by: "s"), run: run, actor: "s")
                    default: break
                    }
                }
                Thread.sleep(forTimeInterval: 0.002)
            }
        }
        thread.start()
        return thread
    }

    @Test func aSwitchEnabledJustBeforeTheRunnerAsksStillLetsThePhaseRun() throws {
        let fixture = try Fixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        try fixture.start("r1", mode: .live)
        // Given the switch is turned on by someone else at the instant the runner asks to start backup
        // (with the switch off, what the runner would append is the refusal of phase.started)
        fixture.journal.interpose(before: { $0.kind == "run.refused" && $0.payload["attempted"] == .string("phase.started") }) { inner in
            let enable = RunEvent.killSwitchEnabled(by: "s")
            _ = try inner.append(JournalEntry(runID: "r1", kind: enable.kind, actor: "s", payload: enable.payload))
        }
        let finished = Flag()
        let stop = StopSignal()
        let helper = sovereign(fixture.directory + "/journal.sqlite", run: "r1", stop: stop, enablesSwitch: false) { finished.isSet }
        defer { finished.set(); _ = helper }
        // When the runner drives the run
        let ending = try fixture.runner("r1", stop: stop).drive()
        // Then it performs the phase instead of waiting for a switch that is already on
        #expect(ending == .finished(.closed))
        #expect(try SQLiteContextPack(path: fixture.target, readOnly: true).snapshot().counts["unit"] == 8)
    }

    @Test func aStopRequestRecordsThatTheRunnerStoppedAndTurnsTheSwitchOff() throws {
        let fixture = try Fixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        try fixture.start("r1", mode: .dryRun)
        let stop = StopSignal()
        stop.raise(SIGTERM)
        let cut = ProductionCutSteps(openTarget: { [target = fixture.target] readOnly in try SQLiteContextPack(path: target, readOnly: readOnly) },
                                     backupDirectory: fixture.directory, verifyJournal: { [journal = fixture.journal] in try journal.verify() })
        let runner = Runner(store: fixture.store, runID: "r1", cut: cut,
                            shell: ShellPhaseExecutor(workingDirectory: fixture.directory, environment: [:]),
                            stop: stop, faults: FaultInjection(point: nil), output: { _ in })
        #expect(try runner.drive() == .stopped(signal: SIGTERM))
        let state = try #require(fixture.store.ledger["r1"])
        #expect(!state.runnerAttached && !state.switchOn && state.nextStep == .awaitResume)
    }
}

/// A flag set from one thread and read from another.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
