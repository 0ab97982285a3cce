import Foundation
import GatehouseCore

/// Walks one run through its plan: asks the state machine for the next step, performs it,
/// journals what happened, and waits at gates (and for the kill-switch) by watching the journal.
///
/// The runner holds its run's claim (``RunnerLiveness``) for as long as it lives, so other processes can
/// tell a live runner from a crashed one.
public final class Runner {
    /// Where the runner's progress lines go (the terminal, or a test's buffer).
    public typealias Output = (String) -> Void

    private let store: RunStore
    private let runID: String
    private let actor: String
    private let cut: ProductionCutSteps?
    private let shell: ShellPhaseExecutor
    private let host: HostSteps
    private let stop: StopSignal
    private let faults: FaultInjection
    private let output: Output
    private let journalWait: JournalWait
    private var announcedWait: String?

    /// A runner for `runID`, whose lock the caller already holds. It waits at gates on the
    /// journal's change notice; `pollInterval` is how often it asks a journal that has none.
    public init(store: RunStore, runID: String, actor: String = "runner", cut: ProductionCutSteps?,
                shell: ShellPhaseExecutor, stop: StopSignal, faults: FaultInjection,
                pollInterval: TimeInterval = 0.05, output: @escaping Output) {
        self.store = store
        self.runID = runID
        self.actor = actor
        self.cut = cut
        self.shell = shell
        host = HostSteps(shell: shell, directory: shell.workingDirectory)
        self.stop = stop
        self.faults = faults
        journalWait = JournalWait(journal: store.journal, stop: stop, fallback: pollInterval)
        self.output = output
    }

    /// How driving a run ended.
    public enum Ending: Equatable, Sendable {
        /// The run ended (closed, failed, aborted, rejected).
        case finished(RunOutcome)
        /// The runner was asked to stop; the run waits to be resumed.
        case stopped(signal: Int32)
    }

    /// Drives the run until it ends or the runner is asked to stop.
    /// - Throws: the journal's errors (the runner cannot go on without recording).
    public func drive() throws -> Ending {
        while true {
            try store.refresh()
            guard let state = store.ledger[runID] else { throw RunStoreError.noSuchRun(runID) }
            if case .finished(let outcome) = state.nextStep { return .finished(outcome) }
            if let signal = stop.requested {
                try record(.runnerStopped(reason: "the runner received signal \(signal) and stopped; resume with `gatehouse resume \(runID)`"))
                return .stopped(signal: signal)
            }
            switch state.nextStep {
            case .finished(let outcome):
                return .finished(outcome)
            case .awaitResume:
                throw RunnerError.notAttached(runID)
            case .phaseInProgress(let phase):
                throw RunnerError.phaseInProgress(run: runID, phase: phase.id)
            case .openGate(let phase):
                try attempt(.phaseStarted(phase: phase.id))
                faults.hit("after:phase.started:\(phase.id)")
            case .awaitDecision(let gate):
                announce("gate:\(gate)", waitingMessage(gate: gate, state: state))
                waitForJournal()
            case .awaitKillSwitch(let phase):
                if announcedWait != "switch:\(phase.id)" {
                    // Ask anyway: the state machine refuses and journals the refusal. If the
                    // switch was turned on in the meantime, the phase has started: perform it.
                    if try attempt(.phaseStarted(phase: phase.id)) {
                        try perform(phase, writes: true, alreadyStarted: true)
                        continue
                    }
                    announce("switch:\(phase.id)", "LIVE refused while the kill-switch is off: '\(phase.id)' changes the target. Waiting for `gatehouse killswitch enable \(runID) --confirm \(runID)` (or abort).")
                }
                waitForJournal()
            case .skip(let phase, let reason):
                try attempt(.phaseSkipped(phase: phase.id, reason: reason))
                say("\(phase.id): skipped (\(reason))")
                faults.hit("after:phase.skipped:\(phase.id)")
            case .perform(let phase, let writes):
                try perform(phase, writes: writes, alreadyStarted: false)
            case .closeOut:
                // Closing out turns the kill-switch off (the fold does it), as failing and aborting do.
                try attempt(.closed)
                say("closed out")
            }
        }
    }

    // MARK: - Performing a phase

    private func perform(_ phase: PlanPhase, writes: Bool, alreadyStarted: Bool) throws {
        if !alreadyStarted {
            guard try attempt(.phaseStarted(phase: phase.id)) else { return }
        }
        announcedWait = nil
        faults.hit("after:phase.started:\(phase.id)")
        say("\(phase.id): started\(writes ? " (LIVE, writes)" : "")")
        guard let current = store.ledger[runID] else { return }
        // A command plan checks again, right before a phase that changes the host, who and
        // where it is, that the host did not drift, and that the phase's scripts are the bytes
        // that were approved.
        if let refusal = host.refusal(before: phase, of: current) {
            try attempt(.phaseFailed(phase: phase.id, reason: refusal))
            say("\(phase.id): REFUSED: \(refusal)")
            return
        }
        let context = PhaseContext(
            progress: { [self] done, total in
                try? record(.phaseProgress(phase: phase.id, done: done, total: total))
            },
            log: { [self] stream, text in
                try? record(.log(phase: phase.id, stream: stream, text: text))
            },
            stopReason: { [self] in stopReason() },
            faults: faults)
        let result: PhaseResult
        switch phase.action {
        case .builtin(let step):
            guard let cut else {
                result = .failed("this runner has no context-pack target for built-in step \(step.rawValue)")
                break
            }
            result = cut.perform(step, run: current, writes: writes, context: context)
        case .command(let command):
            result = runCommand(command, phase: phase, mode: current.mode, context: context)
        case .host(let step):
            result = host.perform(step, run: current, writes: writes)
        case .gate:
            return
        }
        switch result {
        case .done(var facts):
            // What the next changing phase is checked against: the state this one left.
            if writes { facts.merge(host.stateAfter(phase, of: current)) }
            try attempt(.phaseCompleted(phase: phase.id, facts: facts))
            say("\(phase.id): done")
            faults.hit("after:phase.completed:\(phase.id)")
        case .failed(let reason):
            try attempt(.phaseFailed(phase: phase.id, reason: reason))
            say("\(phase.id): FAILED: \(reason)")
        case .stopped(let reason):
            say("\(phase.id): stopped before it finished (\(reason)); nothing of it was committed")
        }
    }

    private func runCommand(_ command: ShellCommand, phase: PlanPhase, mode: RunMode, context: PhaseContext) -> PhaseResult {
        let outcome = shell.run(command, mode: mode, runID: runID, phaseID: phase.id,
                                onBatch: { batch in try? record(.output(batch)) },
                                shouldStop: { context.stopReason() != nil })
        switch outcome {
        case .succeeded: return .done(RunFacts(exitStatus: 0))
        case .stopped: return .stopped(context.stopReason() ?? "stopped")
        default: return .failed("`\(command.command)` \(outcome.description)")
        }
    }

    /// Why the running phase must stop: a signal, or the run ended under it (an abort).
    private func stopReason() -> String? {
        if let signal = stop.requested { return "signal \(signal)" }
        if (try? store.hasNewEvents()) == true { _ = try? store.refresh() }
        if let outcome = store.ledger[runID]?.outcome { return "the run was \(outcome.word)" }
        return nil
    }

    // MARK: - Journal

    /// Records events; a refusal (the state changed under the runner) is journaled by the
    /// store and reported here as `false`, so the loop looks at the new state.
    @discardableResult
    private func attempt(_ events: [RunEvent]) throws -> Bool {
        do {
            try store.record(events, run: runID, actor: actor)
            return true
        } catch let refusal as RunRefusal {
            if case .liveWithSwitchOff = refusal { return false }
            say("refused: \(refusal.message)")
            return false
        }
    }

    @discardableResult
    private func attempt(_ event: RunEvent) throws -> Bool { try attempt([event]) }

    private func record(_ event: RunEvent) throws {
        try store.record(event, run: runID, actor: actor)
    }

    // MARK: - Waiting and output

    private func waitForJournal() {
        journalWait.wait { [store] in (try? store.hasNewEvents()) != false }
    }

    private func announce(_ key: String, _ message: String) {
        guard announcedWait != key else { return }
        announcedWait = key
        say(message)
    }

    private func waitingMessage(gate: String, state: RunState) -> String {
        var details: [String] = []
        if let candidates = state.facts.candidates { details.append("\(candidates) candidates") }
        if let sha = state.facts.preStateSHA { details.append("pre-state \(sha.prefix(12))…") }
        let suffix = details.isEmpty ? "" : " — " + details.joined(separator: ", ")
        return "waiting for \(gate)\(suffix); approve with `gatehouse approve \(state.shortID) \(gate) --as NAME` or reject with `--reject --reason TEXT`."
    }

    private func say(_ text: String) {
        output("[\(String(runID.prefix(8)))] \(text)")
    }
}

/// Why a runner cannot drive its run.
public enum RunnerError: Error, Equatable, CustomStringConvertible {
    case notAttached(String)
    case phaseInProgress(run: String, phase: String)

    public var description: String {
        switch self {
        case .notAttached(let run):
            "run \(run) has no runner attached; resume it with `gatehouse resume \(run)`"
        case .phaseInProgress(let run, let phase):
            "phase '\(phase)' of run \(run) is marked running by another runner; if that runner is gone, `gatehouse resume \(run)`"
        }
    }
}
