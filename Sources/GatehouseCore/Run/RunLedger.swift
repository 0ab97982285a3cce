/// The state of every run in a journal: a pure fold of its events.
///
/// ``check(_:run:)`` is the state machine's one rule book: the engine asks it before appending
/// anything, and the fold asks it again for every event it reads, so an event that should
/// never have been journaled (a hand-edited file, a bug) cannot change any state — it is kept
/// as an anomaly instead.
public struct RunLedger: Sendable, Equatable, Codable {
    /// Every run, by id.
    public private(set) var runs: [String: RunState] = [:]
    /// Run ids in the order they started.
    public private(set) var order: [String] = []
    /// The sequence number of the last event folded in.
    public private(set) var sequence: Int64 = 0
    /// Journaled events the state machine did not accept, with why.
    public private(set) var anomalies: [Anomaly] = []
    /// The run the kill-switch is on for, if any.
    public private(set) var killSwitchHolder: String?
    /// The programmes' signed acts and the runs that closed out (the `programme.*` events).
    public private(set) var programme = ProgrammeLedger()
    /// The last large value a payload held, as read: mostly the plan a `run.started` pinned,
    /// which the next run of the same programme pins again.
    private var lastLargeValue = JSONValueMemo()

    /// What a checkpoint keeps: the fold, not the parser's cache.
    private enum CodingKeys: String, CodingKey {
        case runs, order, sequence, anomalies, killSwitchHolder, programme
    }

    /// A journaled event that could not be applied.
    public struct Anomaly: Sendable, Equatable, Codable {
        public var sequence: Int64
        public var runID: String
        public var kind: String
        /// Who journaled it.
        public var actor: String
        public var reason: String
    }

    public init() {}

    /// The fold of `events`, in order.
    public init<Events: Sequence<JournalEvent>>(events: Events) {
        for event in events { apply(event) }
    }

    /// The run with this id, if any.
    public subscript(id: String) -> RunState? { runs[id] }

    /// The runs, newest first.
    public var newestFirst: [RunState] { order.reversed().compactMap { runs[$0] } }

    /// The run that started last, without copying the others (as `newestFirst.first` would).
    public var newest: RunState? { order.last.flatMap { runs[$0] } }

    /// This ledger with only run `id` in it, and who holds the kill-switch: enough for the
    /// state machine to check and fold that run's events, without copying every other run.
    public func isolating(_ id: String) -> RunLedger {
        var isolated = RunLedger()
        if let state = runs[id] {
            isolated.runs[id] = state
            isolated.order = [id]
        }
        isolated.sequence = sequence
        isolated.killSwitchHolder = killSwitchHolder
        isolated.programme = programme
        return isolated
    }

    /// The run ids that start with `prefix`: how a person names a run on the command line.
    public func runs(matching prefix: String) -> [String] {
        if runs[prefix] != nil { return [prefix] }
        return order.filter { $0.hasPrefix(prefix) }
    }

    // MARK: - Folding

    /// Folds one journaled event in; an unreadable or illegal one becomes an anomaly.
    public mutating func apply(_ event: JournalEvent) {
        sequence = max(sequence, event.sequence)
        let payload: JSONMembers
        do {
            payload = try JSONMembers.parse(event.payload, reusing: &lastLargeValue)
        } catch {
            anomalies.append(Anomaly(sequence: event.sequence, runID: event.runID, kind: event.kind, actor: event.actor, reason: "\(error)"))
            return
        }
        if event.kind.hasPrefix(ProgrammeEvent.kindPrefix) {
            guard let programmeEvent = ProgrammeEvent(kind: event.kind, payload: { payload[$0] }, text: event.payload) else {
                anomalies.append(Anomaly(sequence: event.sequence, runID: event.runID, kind: event.kind, actor: event.actor,
                                         reason: "unknown programme event kind or incomplete payload"))
                return
            }
            if let refusal = apply(programmeEvent, sequence: event.sequence, time: event.timeMilliseconds) {
                anomalies.append(Anomaly(sequence: event.sequence, runID: event.runID, kind: event.kind, actor: event.actor,
                                         reason: refusal.description))
            }
            return
        }
        guard let runEvent = RunEvent(kind: event.kind, payload: payload) else {
            anomalies.append(Anomaly(sequence: event.sequence, runID: event.runID, kind: event.kind, actor: event.actor,
                                     reason: "unknown event kind or incomplete payload"))
            return
        }
        if let refusal = apply(runEvent, run: event.runID, actor: event.actor, sequence: event.sequence,
                               time: event.timeMilliseconds) {
            anomalies.append(Anomaly(sequence: event.sequence, runID: event.runID, kind: event.kind, actor: event.actor, reason: refusal.message))
        }
    }

    /// Applies `event` to `run` if the state machine allows it; returns the refusal otherwise.
    @discardableResult
    public mutating func apply(_ event: RunEvent, run id: String, actor: String, sequence: Int64, time: Int64) -> RunRefusal? {
        self.sequence = max(self.sequence, sequence)
        if case .started(let start) = event {
            if let refusal = check(event, run: id, time: time) { return refusal }
            runs[id] = RunState(id: id, start: start, startedAt: time, sequence: sequence)
            order.append(id)
            return nil
        }
        // Looked up once, checked where it is and changed in place: neither a second lookup
        // nor a copy of the run (its log tail alone is 200 lines) per event.
        guard let index = runs.index(forKey: id) else { return .unknownRun(id) }
        let outcome = Self.checkAndAdvance(&runs.values[index], event, killSwitchHolder: killSwitchHolder, programme: programme,
                                           actor: actor, sequence: sequence, time: time)
        let holder: Bool
        switch outcome {
        case .failure(let refusal): return refusal
        case .success(let holds): holder = holds
        }
        if holder {
            killSwitchHolder = id
        } else if killSwitchHolder == id {
            killSwitchHolder = nil
        }
        if case .closed = event { programme.noteClosed(runs.values[index], sequence: sequence) }
        if case .parityChecked = event { programme.noteParity(runs.values[index], sequence: sequence) }
        return nil
    }

    /// Applies a programme event if the rules allow it; returns the refusal otherwise.
    @discardableResult
    public mutating func apply(_ event: ProgrammeEvent, sequence: Int64, time: Int64) -> ProgrammeRefusal? {
        self.sequence = max(self.sequence, sequence)
        let runs = self.runs
        return programme.apply(event, sequence: sequence, time: time) { runs[$0] }
    }

    /// Why a programme event may not be journaled now, or nil when it may.
    public func check(_ event: ProgrammeEvent) -> ProgrammeRefusal? {
        programme.check(event) { runs[$0] }
    }

    /// Checks `event` against the run in `state` and, if the rules allow it, changes the run;
    /// returns whether the run holds the kill-switch after it, or the refusal.
    private static func checkAndAdvance(_ state: inout RunState, _ event: RunEvent, killSwitchHolder: String?,
                                        programme: ProgrammeLedger, actor: String,
                                        sequence: Int64, time: Int64) -> Result<Bool, RunRefusal> {
        if let refusal = check(event, state: state, killSwitchHolder: killSwitchHolder, programme: programme, time: time) {
            return .failure(refusal)
        }
        return .success(advance(&state, event, actor: actor, sequence: sequence, time: time))
    }

    /// Changes `state` by `event` (which the rules allowed); returns whether the run holds the
    /// kill-switch after it.
    private static func advance(_ state: inout RunState, _ event: RunEvent, actor: String, sequence: Int64, time: Int64) -> Bool {
        state.lastSequence = sequence
        state.lastTime = time
        let wasEnded = state.isEnded
        evolve(&state, event, actor: actor, sequence: sequence, time: time)
        if !wasEnded && state.isEnded { state.ending = EventMark(sequence: sequence, time: time) }
        return state.switchOn
    }

    /// `event` applied to `state`: each case is the change ``RunState`` makes for it.
    private static func evolve(_ state: inout RunState, _ event: RunEvent, actor: String, sequence: Int64, time: Int64) {
        switch event {
        case .started: break
        case .phaseStarted(let phase): state.startPhase(phase, at: time)
        case .phaseCompleted(let phase, let facts): state.completePhase(phase, facts: facts, at: time)
        case .phaseFailed(let phase, let reason): state.failPhase(phase, reason: reason, at: time)
        case .phaseSkipped(let phase, let reason): state.skipPhase(phase, reason: reason, at: time)
        case .phaseProgress(let phase, let done, let total): state.progress = PhaseProgress(phase: phase, done: done, total: total)
        case .gateApproved(let decision): state.recordDecision(decision, approved: true, sequence: sequence, time: time)
        case .gateRejected(let decision): state.recordDecision(decision, approved: false, sequence: sequence, time: time)
        case .killSwitchEnabled(let enable): state.recordSwitchEnable(enable, sequence: sequence, time: time)
        case .killSwitchDisabled: state.switchOn = false
        case .runnerLost(let reason), .runnerStopped(let reason): state.detachRunner(reason: reason)
        case .resumed: state.reattachRunner()
        case .aborted(let by, let reason): state.abort(by: by, reason: reason, at: time)
        case .closed: state.close()
        case .refused(let attempted, let refusal): state.recordRefusal(attempted: attempted, refusal, actor: actor, sequence: sequence, time: time)
        case .log(let phase, let stream, let text): state.appendLog(LogLine(phase: phase, stream: stream, text: text, sequence: sequence, time: time))
        case .output(let batch): state.appendOutput(batch, sequence: sequence, time: time)
        case .targetRestored(let restore): state.recordRestore(backup: restore.backup, sha256: restore.sha256)
        case .phaseReverted(let phase, _, let succeeded, _): if succeeded { state.revertedPhases.append(phase) }
        case .resumeNoOp(let check): state.resumeChecks.append(RecordedResumeCheck(check: check, sequence: sequence, time: time))
        case .parityChecked(let check): state.parityChecks.append(RecordedParityCheck(check: check, sequence: sequence, time: time))
        case .restoreDrilled(let drill): state.drills.append(RecordedRestoreDrill(drill: drill, sequence: sequence, time: time))
        }
    }

    // MARK: - The rules

    /// Why `event` may not happen to `run` at `time` (milliseconds since 1970), or nil when it may.
    public func check(_ event: RunEvent, run id: String, time: Int64 = 0) -> RunRefusal? {
        if case .started = event {
            return runs[id] == nil ? nil : .runExists(id)
        }
        guard let index = runs.index(forKey: id) else { return .unknownRun(id) }
        return Self.check(event, state: runs.values[index], killSwitchHolder: killSwitchHolder, programme: programme, time: time)
    }

    /// Why `event` may not happen to the run in `state`, or nil when it may.
    /// (Static, and given who holds the switch, so that the fold checks a run where it is
    /// stored, without a copy.)
    private static func check(_ event: RunEvent, state: RunState, killSwitchHolder: String?, programme: ProgrammeLedger,
                              time: Int64) -> RunRefusal? {
        let id = state.id
        switch event {
        case .log, .output, .refused, .phaseProgress:
            return nil
        case .targetRestored(let restore):
            // A restore rolls back what an ended run wrote; while it runs, nothing may.
            guard state.isEnded else {
                return .phaseOutOfTurn(run: id, phase: "restore", situation: "the run has not ended; abort it first")
            }
            if let holder = killSwitchHolder { return .restoreInvalid(run: id, reason: "the kill-switch is on for run \(holder); restore only while no run may write") }
            return RestoreCheck.refusal(restore, run: state)
        case .phaseReverted(let phase, _, _, _):
            // A revert undoes what a phase of an ended run changed, once.
            guard state.isEnded else {
                return .phaseOutOfTurn(run: id, phase: phase, situation: "the run has not ended; abort it first")
            }
            guard state.phase(phase)?.status == .done, state.phase(phase)?.phase.mutates == true else {
                return .phaseOutOfTurn(run: id, phase: phase, situation: "it did not complete a change to revert")
            }
            return state.revertedPhases.contains(phase)
                ? .phaseOutOfTurn(run: id, phase: phase, situation: "it was reverted already") : nil
        case .resumeNoOp:
            // Only a run that has ended resumes to nothing; any other resume runs it.
            return state.isEnded ? nil : .phaseOutOfTurn(run: id, phase: "resume",
                                                         situation: "the run has not ended; a resume takes it up")
        case .restoreDrilled:
            // A drill reads the backup the run took, whenever it has one; it changes nothing.
            return state.facts.backupPath == nil ? .phaseOutOfTurn(run: id, phase: "drill", situation: "the run has taken no backup") : nil
        case .parityChecked:
            // A verdict is of a whole run: one that has ended.
            return state.isEnded ? nil : .phaseOutOfTurn(run: id, phase: "parity",
                                                         situation: "the run has not ended; compare it once it has")
        default:
            break
        }
        if let outcome = state.outcome { return .runEnded(run: id, outcome: outcome.word) }

        switch event {
        case .started, .log, .output, .refused, .phaseProgress, .targetRestored, .phaseReverted, .resumeNoOp, .parityChecked, .restoreDrilled: return nil
        case .phaseStarted(let phase): return checkStart(state, phase)
        case .phaseSkipped(let phase, _): return checkSkip(state, phase)
        case .phaseCompleted(let phase, _), .phaseFailed(let phase, _): return checkEnd(state, phase)
        case .gateApproved(let decision): return checkDecision(state, decision, approve: true, time: time)
        case .gateRejected(let decision): return checkDecision(state, decision, approve: false, time: time)
        case .killSwitchEnabled(let enable): return checkEnable(state, enable, killSwitchHolder: killSwitchHolder, programme: programme)
        case .killSwitchDisabled: return state.switchOn ? nil : .switchUnchanged(run: id, on: false)
        case .runnerLost, .runnerStopped, .resumed, .aborted: return nil
        case .closed: return checkClose(state)
        }
    }

    /// A phase may start in its turn, with a runner attached, and (LIVE, changing the target)
    /// only while the switch is on.
    private static func checkStart(_ state: RunState, _ phase: String) -> RunRefusal? {
        guard state.runnerAttached else { return .needsResume(run: state.id) }
        if let refusal = checkTurn(state, phase, verb: "start") { return refusal }
        let record = state.phase(phase)!
        if record.phase.mutates && state.mode == .live && !state.switchOn {
            return .liveWithSwitchOff(run: state.id, phase: phase)
        }
        return nil
    }

    /// Only a dry run skips, and never a gate.
    private static func checkSkip(_ state: RunState, _ phase: String) -> RunRefusal? {
        guard state.runnerAttached else { return .needsResume(run: state.id) }
        if let refusal = checkTurn(state, phase, verb: "skip") { return refusal }
        if state.mode == .live {
            return .phaseOutOfTurn(run: state.id, phase: phase, situation: "a LIVE run never skips a phase")
        }
        if state.phase(phase)?.phase.gate != nil {
            return .phaseOutOfTurn(run: state.id, phase: phase, situation: "a sovereign gate is never skipped")
        }
        return nil
    }

    /// A running phase ends by completing or failing; a gate only by a decision.
    private static func checkEnd(_ state: RunState, _ phase: String) -> RunRefusal? {
        guard let record = state.phase(phase) else {
            return .phaseOutOfTurn(run: state.id, phase: phase, situation: "the plan has no such phase")
        }
        guard record.status == .running else {
            return .phaseOutOfTurn(run: state.id, phase: phase, situation: "it is \(record.status.rawValue), not running")
        }
        if record.phase.gate != nil {
            return .phaseOutOfTurn(run: state.id, phase: phase, situation: "a gate ends only by a sovereign's decision")
        }
        return nil
    }

    /// A decision at the gate the run waits at, signed as the run's pinned sovereigns require.
    private static func checkDecision(_ state: RunState, _ decision: GateDecision, approve: Bool, time: Int64) -> RunRefusal? {
        guard state.waitingGate == decision.gate else {
            return .gateNotPending(run: state.id, gate: decision.gate, situation: gateSituation(state, decision.gate))
        }
        if let invalid = DecisionCheck.refusal(decision, approve: approve, run: state, time: time) { return invalid }
        // A gate after the backup, when the programme requires it, waits for the backup to prove
        // it restores: its last drill passed (one that failed since, say on an altered file, undoes it).
        if approve, state.mode == .live, state.start.backupDrillRequired, let backup = state.facts.backupPath,
           state.drills.last(where: { $0.drill.backup == backup })?.drill.passed != true {
            return .backupNotDrilled(run: state.id, gate: decision.gate, lastDrill: state.drills.last?.drill.summary)
        }
        return nil
    }

    /// The switch goes on for one attached LIVE run whose checklist is met, by a valid signed enable.
    private static func checkEnable(_ state: RunState, _ enable: SwitchEnable, killSwitchHolder: String?,
                                    programme: ProgrammeLedger) -> RunRefusal? {
        let id = state.id
        if state.mode == .dryRun { return .switchForDryRun(run: id) }
        if let holder = killSwitchHolder, holder != id { return .switchHeldByAnotherRun(run: id, holder: holder) }
        if state.switchOn { return .switchUnchanged(run: id, on: true) }
        guard state.runnerAttached else { return .needsResume(run: id) }
        if let invalid = SwitchEnableCheck.refusal(enable, run: state) { return invalid }
        let unmet = LiveChecklist.unmet(state, programme: programme)
        return unmet.isEmpty ? nil : .preconditionsUnmet(run: id, unmet: unmet)
    }

    /// A run closes out once every phase is done or skipped.
    private static func checkClose(_ state: RunState) -> RunRefusal? {
        if let running = state.runningPhase {
            return .phasesRemaining(run: state.id, phases: [running.phase.id])
        }
        let remaining = state.phases.filter { $0.status != .done && $0.status != .skipped }.map(\.phase.id)
        return remaining.isEmpty ? nil : .phasesRemaining(run: state.id, phases: remaining)
    }

    /// Whether `phase` is the one to start (or skip) next.
    ///
    /// By index into the phases, copying a record only for a refusal's words: the fold asks
    /// this of every phase event it reads.
    private static func checkTurn(_ state: RunState, _ phase: String, verb: String) -> RunRefusal? {
        let phases = state.phases
        guard let index = state.phaseIndex(phase) else {
            return .phaseOutOfTurn(run: state.id, phase: phase, situation: "the plan has no such phase")
        }
        if let running = state.runningPhaseIndex {
            let blocker = phases[running].phase
            return .phaseOutOfTurn(run: state.id, phase: phase,
                                   situation: "cannot \(verb) it while '\(blocker.id)' is \(blocker.gate == nil ? "running" : "waiting")")
        }
        let next = state.nextPendingPhaseIndex
        guard let next, phases[next].phase.id == phase else {
            return .phaseOutOfTurn(run: state.id, phase: phase,
                                   situation: "it is \(phases[index].status.rawValue); the next phase is \(next.map { phases[$0].phase.id } ?? "none")")
        }
        return nil
    }

    /// Where the run stands with respect to `gate`, in words.
    private static func gateSituation(_ state: RunState, _ gate: String) -> String {
        guard let record = state.phase(gate), record.phase.gate != nil else {
            return "its plan has no gate \(gate)"
        }
        if let decided = state.decisions.last(where: { $0.decision.gate == gate }) {
            return "\(gate) was already \(decided.approved ? "approved" : "rejected") by \(decided.decision.by) (event \(decided.sequence)); this decision came too late"
        }
        if let running = state.runningPhase {
            return running.phase.gate != nil ? "it waits at \(running.phase.id)" : "it is running '\(running.phase.id)'"
        }
        return "it has not reached \(gate) yet (next phase: \(state.nextPendingPhase?.phase.id ?? "none"))"
    }
}
