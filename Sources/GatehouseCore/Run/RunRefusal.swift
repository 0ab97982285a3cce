/// Why the state machine refused a transition. The refusal is journaled; nothing else changes.
public enum RunRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// No run with this id in the journal.
    case unknownRun(String)
    /// A run with this id already exists.
    case runExists(String)
    /// The run has ended (closed, failed, aborted or rejected): nothing more happens to it.
    case runEnded(run: String, outcome: String)
    /// A LIVE run may not start a phase that changes the target while the kill-switch is off.
    case liveWithSwitchOff(run: String, phase: String)
    /// A decision for a gate the run is not waiting at.
    case gateNotPending(run: String, gate: String, situation: String)
    /// A phase asked to start, complete, fail or be skipped out of turn.
    case phaseOutOfTurn(run: String, phase: String, situation: String)
    /// The kill-switch is only ever enabled for a LIVE run.
    case switchForDryRun(run: String)
    /// Another run holds the kill-switch.
    case switchHeldByAnotherRun(run: String, holder: String)
    /// The switch is already in the asked position.
    case switchUnchanged(run: String, on: Bool)
    /// The runner went away; the run must be resumed before it goes on.
    case needsResume(run: String)
    /// Close-out asked while phases remain.
    case phasesRemaining(run: String, phases: [String])
    /// A decision whose signer, signature or bound values do not hold for the run as it stands.
    case approvalInvalid(run: String, gate: String, reason: String)
    /// A kill-switch enable whose signer, signature or bound values do not hold.
    case switchEnableInvalid(run: String, reason: String)
    /// A precondition for LIVE is not met (a gap open, a macro not done, no ruling, ...).
    case preconditionsUnmet(run: String, unmet: [PreconditionCheck])
    /// A restore of the run's backup that may not be done: unsigned, a wrong phrase, a switch on, digests that differ.
    case restoreInvalid(run: String, reason: String)
    /// A gate after the backup may not be approved before a drill of the backup passed, as the programme requires.
    case backupNotDrilled(run: String, gate: String, lastDrill: String?)
    /// The kill-switch may not go on while a restore is putting a target back.
    case restoreInProgress(run: String, holder: String)
    /// A refusal read back from the journal.
    case recorded(code: String, message: String)

    /// A stable machine-readable code, such as `live_with_switch_off`.
    public var code: String {
        switch self {
        case .unknownRun: "unknown_run"
        case .runExists: "run_exists"
        case .runEnded: "run_ended"
        case .liveWithSwitchOff: "live_with_switch_off"
        case .gateNotPending: "gate_not_pending"
        case .phaseOutOfTurn: "phase_out_of_turn"
        case .switchForDryRun: "switch_for_dry_run"
        case .switchHeldByAnotherRun: "switch_held_by_another_run"
        case .switchUnchanged: "switch_unchanged"
        case .needsResume: "needs_resume"
        case .phasesRemaining: "phases_remaining"
        case .approvalInvalid: "approval_invalid"
        case .switchEnableInvalid: "switch_enable_invalid"
        case .preconditionsUnmet: "preconditions_unmet"
        case .restoreInvalid: "restore_invalid"
        case .restoreInProgress: "restore_in_progress"
        case .backupNotDrilled: "backup_not_drilled"
        case .recorded(let code, _): code
        }
    }

    /// One sentence a person can act on.
    public var message: String {
        switch self {
        case .unknownRun(let run):
            "there is no run '\(run)' in the journal (list runs with `gatehouse status`)"
        case .runExists(let run):
            "a run '\(run)' already exists"
        case .runEnded(let run, let outcome):
            "run \(run) is \(outcome); nothing more can happen to it (start a new run)"
        case .liveWithSwitchOff(let run, let phase):
            "LIVE refused: the kill-switch is off, so run \(run) may not start '\(phase)' (enable it for this run: `gatehouse killswitch enable \(run) --confirm \(run)`)"
        case .gateNotPending(let run, let gate, let situation):
            "run \(run) is not waiting at \(gate): \(situation)"
        case .phaseOutOfTurn(let run, let phase, let situation):
            "phase '\(phase)' of run \(run) is out of turn: \(situation)"
        case .switchForDryRun(let run):
            "run \(run) is a dry run; the kill-switch only ever enables a LIVE run"
        case .switchHeldByAnotherRun(let run, let holder):
            "the kill-switch is held by run \(holder); it cannot be enabled for \(run) until that run ends"
        case .switchUnchanged(let run, let on):
            "the kill-switch is already \(on ? "on" : "off") for run \(run)"
        case .needsResume(let run):
            "run \(run) lost its runner; resume it first (`gatehouse resume \(run)`)"
        case .phasesRemaining(let run, let phases):
            "run \(run) cannot close out: phases not done: \(phases.joined(separator: ", "))"
        case .approvalInvalid(let run, let gate, let reason):
            "the decision on \(gate) of run \(run) is refused: \(reason)"
        case .switchEnableInvalid(let run, let reason):
            "the kill-switch enable for run \(run) is refused: \(reason)"
        case .preconditionsUnmet(let run, let unmet):
            "LIVE refused for run \(run): \(unmet.count) precondition\(unmet.count == 1 ? " is" : "s are") not met: "
                + unmet.map { "\($0.label) (\($0.why))" }.joined(separator: "; ")
        case .restoreInvalid(let run, let reason):
            "the restore of run \(run)'s backup is refused: \(reason); the target was not touched"
        case .backupNotDrilled(let run, let gate, let lastDrill):
            "\(gate) cannot be approved for run \(run): the programme requires a passing drill of its backup first "
                + "(\(lastDrill.map { "the last drill \($0)" } ?? "it has not been drilled")); run `gatehouse restore \(RunState.shortID(run)) --drill`"
        case .restoreInProgress(let run, let holder):
            "the kill-switch cannot go on for run \(run) while a restore is putting a target back (\(holder) holds the restore lock); wait for it to end"
        case .recorded(_, let message):
            message
        }
    }

    public var description: String { message }
}
