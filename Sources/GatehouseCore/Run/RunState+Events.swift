/// The change each journaled event makes to a run's state, as the fold applies it (after the
/// rules in ``RunLedger`` accepted the event).
extension RunState {
    mutating func startPhase(_ phase: String, at time: Int64) {
        let switchOn = switchOn
        updatePhase(phase) {
            $0.status = .running
            $0.startedAt = time
            $0.endedAt = nil
            $0.attempts += 1
            $0.startedWithSwitchOn = switchOn
        }
        progress = nil
    }

    mutating func completePhase(_ phase: String, facts established: RunFacts, at time: Int64) {
        updatePhase(phase) {
            $0.status = .done
            $0.endedAt = time
            $0.facts = established
            if $0.attempts > 1 { $0.note = "done on attempt \($0.attempts) (an earlier attempt was interrupted)" }
        }
        // Later phases win.
        facts.merge(established)
        progress = nil
    }

    mutating func failPhase(_ phase: String, reason: String, at time: Int64) {
        updatePhase(phase) {
            $0.status = .failed
            $0.endedAt = time
            $0.note = reason
        }
        outcome = .failed(phase: phase, reason: reason)
        switchOn = false
        progress = nil
    }

    mutating func skipPhase(_ phase: String, reason: String, at time: Int64) {
        updatePhase(phase) {
            $0.status = .skipped
            $0.startedAt = time
            $0.endedAt = time
            $0.note = reason
        }
    }

    /// A sovereign's decision at a gate: an approval ends the gate's phase, a rejection the run.
    mutating func recordDecision(_ decision: GateDecision, approved: Bool, sequence: Int64, time: Int64) {
        updatePhase(decision.gate) {
            $0.status = approved ? .done : .failed
            $0.endedAt = time
            if !approved { $0.note = "rejected by \(decision.by): \(decision.reason)" }
        }
        decisions.append(RecordedDecision(decision: decision, approved: approved, sequence: sequence, time: time))
        if !approved {
            outcome = .rejected(gate: decision.gate, by: decision.by, reason: decision.reason)
            switchOn = false
        }
    }

    mutating func recordSwitchEnable(_ enable: SwitchEnable, sequence: Int64, time: Int64) {
        switchOn = true
        switchEnables.append(RecordedSwitchEnable(enable: enable, sequence: sequence, time: time))
    }

    /// The runner went away (lost or stopped): the switch goes off, a running phase waits to run again.
    mutating func detachRunner(reason: String) {
        runnerAttached = false
        switchOn = false
        interruptRunningPhase("interrupted: \(reason)")
    }

    /// A runner took the run up again; the switch stays off until enabled anew.
    mutating func reattachRunner() {
        runnerAttached = true
        switchOn = false
        interruptRunningPhase("interrupted: the runner went away; runs again")
    }

    mutating func abort(by: String, reason: String, at time: Int64) {
        for index in phases.indices where phases[index].status == .running {
            phases[index].status = .failed
            phases[index].endedAt = time
            phases[index].note = "aborted"
        }
        outcome = .aborted(by: by, reason: reason)
        switchOn = false
        progress = nil
    }

    mutating func close() {
        outcome = .closed
        switchOn = false
    }

    mutating func recordRefusal(attempted: String, _ refusal: RunRefusal, actor: String, sequence: Int64, time: Int64) {
        refusals.append(RecordedRefusal(attempted: attempted, code: refusal.code, message: refusal.message,
                                        actor: actor, sequence: sequence, time: time))
    }

    /// A line of output: kept in the tail (the last ``logTailLimit``) and counted.
    mutating func appendLog(_ line: LogLine) {
        logTail.append(line)
        if logTail.count > Self.logTailLimit { logTail.removeFirst(logTail.count - Self.logTailLimit) }
        logCount += 1
    }

    /// A batch of command output: the lines it ends (with what earlier batches of its stream
    /// left unfinished) join the tail and the count; a stream's last batch ends its last line.
    mutating func appendOutput(_ batch: OutputBatch, sequence: Int64, time: Int64) {
        var lines: [ArraySlice<UInt8>] = []
        outputLines.add(batch) { lines.append($0) }
        guard !lines.isEmpty else { return }
        // Only the tail's worth of them becomes text.
        let kept = lines.suffix(Self.logTailLimit).map {
            LogLine(phase: batch.phase, stream: batch.stream, text: OutputLineSplitter.text($0), sequence: sequence, time: time)
        }
        logTail.append(contentsOf: kept)
        if logTail.count > Self.logTailLimit { logTail.removeFirst(logTail.count - Self.logTailLimit) }
        logCount += lines.count
    }

    mutating func recordRestore(backup: String, sha256: String) {
        facts.restoredFrom = backup
        facts.restoredSHA256 = sha256
    }

    private mutating func updatePhase(_ phase: String, _ change: (inout PhaseRecord) -> Void) {
        if let index = phaseIndex(phase) { change(&phases[index]) }
    }

    /// A running phase (not a gate) goes back to pending: it runs again when the run goes on.
    private mutating func interruptRunningPhase(_ note: String) {
        for index in phases.indices where phases[index].status == .running && phases[index].phase.gate == nil {
            phases[index].status = .pending
            phases[index].note = note
        }
        progress = nil
    }
}
