/// What a runner does next for a run, decided from its state alone.
///
/// The runner performs the step and journals what happened; then it asks again. Whether a
/// step may write is decided here, once: only a LIVE run, only a phase marked as mutating,
/// only while the kill-switch is on for the run.
public enum RunStep: Sendable, Equatable {
    /// Start and perform this phase. `writes` says whether it may change the target.
    case perform(PlanPhase, writes: Bool)
    /// Record the phase as not applying to this run (a backup in a dry run).
    case skip(PlanPhase, reason: String)
    /// Start the gate phase: from then on the run waits for a sovereign.
    case openGate(PlanPhase)
    /// Wait for a sovereign's decision at this gate.
    case awaitDecision(gate: String)
    /// A LIVE run is about to change the target and the kill-switch is off: wait for it.
    case awaitKillSwitch(PlanPhase)
    /// A phase is running (performed by a runner right now, or interrupted without record).
    case phaseInProgress(PlanPhase)
    /// The runner went away; nothing goes on until the run is resumed.
    case awaitResume
    /// Every phase is done: sign and close out.
    case closeOut
    /// The run has ended.
    case finished(RunOutcome)
}

extension RunState {
    /// The next step for this run.
    public var nextStep: RunStep {
        if let outcome { return .finished(outcome) }
        guard runnerAttached else { return .awaitResume }
        if let running = runningPhase {
            if let gate = running.phase.gate { return .awaitDecision(gate: gate) }
            return .phaseInProgress(running.phase)
        }
        guard let next = nextPendingPhase?.phase else { return .closeOut }
        if next.gate != nil { return .openGate(next) }
        if mode == .dryRun, case .builtin(let step) = next.action, step.skippedInDryRun {
            return .skip(next, reason: "dry run: nothing will be written, so no backup is taken")
        }
        let writes = mode == .live && next.mutates
        if writes && !switchOn { return .awaitKillSwitch(next) }
        return .perform(next, writes: writes)
    }
}

extension BuiltinStep {
    /// Whether a dry run skips the step because it only makes sense before writing.
    public var skippedInDryRun: Bool { self == .backup }
}
