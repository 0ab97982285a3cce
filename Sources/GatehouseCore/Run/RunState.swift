/// Everything known about one run: the fold of its journaled events.
package struct RunState: Sendable, Equatable {
    /// The run's id.
    package let id: String
    /// How the run began: mode, plan, document, operator.
    package var start: RunStart
    /// When `run.started` was journaled (milliseconds since 1970).
    package var startedAt: Int64
    /// The sequence number of `run.started`.
    package var startSequence: Int64
    /// One record per phase of the plan, in order.
    package var phases: [PhaseRecord]
    /// Whether the kill-switch is on for this run.
    package var switchOn: Bool
    /// Whether a runner has the run in hand (false after it was lost or stopped, until resumed).
    package var runnerAttached: Bool
    /// Sovereign decisions at the run's gates, in journal order.
    package var decisions: [RecordedDecision]
    /// Refused transitions, in journal order.
    package var refusals: [RecordedRefusal]
    /// Each time the kill-switch was turned on for the run, with its signature.
    package var switchEnables: [RecordedSwitchEnable]
    /// What the phases established: counts, SHA-256s, the backup, ... (later phases win).
    package var facts: RunFacts
    /// Set once the run has ended.
    package var outcome: RunOutcome?
    /// The event that ended the run.
    package var ending: EventMark?
    /// How far the running phase is, when it says.
    package var progress: PhaseProgress?
    /// The last ``logTailLimit`` lines of output.
    package var logTail: [LogLine]
    /// Every log line ever journaled for the run.
    package var logCount: Int
    /// The sequence number of the run's last event.
    package var lastSequence: Int64
    /// The time of the run's last event.
    package var lastTime: Int64

    /// How many log lines the state keeps (the journal keeps them all).
    package static let logTailLimit = 200

    /// A run as its `run.started` event makes it.
    package init(id: String, start: RunStart, startedAt: Int64, sequence: Int64) {
        self.id = id
        self.start = start
        self.startedAt = startedAt
        startSequence = sequence
        phases = start.plan.phases.map { PhaseRecord(phase: $0) }
        switchOn = false
        runnerAttached = true
        decisions = []
        refusals = []
        switchEnables = []
        facts = RunFacts()
        outcome = nil
        progress = nil
        logTail = []
        logCount = 0
        lastSequence = sequence
        lastTime = startedAt
    }

    /// The run's mode.
    package var mode: RunMode { start.mode }

    /// Whether the run has ended (closed, failed, aborted or rejected).
    package var isEnded: Bool { outcome != nil }

    /// The phase that is running (or, for a gate, waiting), if any.
    package var runningPhase: PhaseRecord? { runningPhaseIndex.map { phases[$0] } }

    /// The first phase that has not run yet, if any.
    package var nextPendingPhase: PhaseRecord? { nextPendingPhaseIndex.map { phases[$0] } }

    // The fold asks these of every phase event: written as loops over indices, which read one
    // field of each record where it is, where `firstIndex(where:)` copies each record it passes.

    /// Where ``runningPhase`` is in ``phases``.
    package var runningPhaseIndex: Int? {
        for index in phases.indices where phases[index].status == .running { return index }
        return nil
    }

    /// Where ``nextPendingPhase`` is in ``phases``.
    package var nextPendingPhaseIndex: Int? {
        for index in phases.indices where phases[index].status == .pending { return index }
        return nil
    }

    /// Where the phase with this id is in ``phases``.
    package func phaseIndex(_ id: String) -> Int? {
        for index in phases.indices where phases[index].phase.id == id { return index }
        return nil
    }

    /// The gate the run waits at, if it waits at one.
    package var waitingGate: String? { runningPhaseIndex.flatMap { phases[$0].phase.gate } }

    /// The record of the phase with this id.
    package func phase(_ id: String) -> PhaseRecord? { phaseIndex(id).map { phases[$0] } }

    /// The approval recorded for a gate, if any.
    package func approval(of gate: String) -> RecordedDecision? {
        decisions.first { $0.decision.gate == gate && $0.approved }
    }

    /// The first characters of the id, enough to tell runs apart on a screen.
    package var shortID: String { Self.shortID(id) }

    /// The first characters of a run id.
    package static func shortID(_ id: String) -> String { String(id.prefix(8)) }
}

/// One phase of a run and where it stands.
package struct PhaseRecord: Sendable, Equatable {
    package var phase: PlanPhase
    package var status: PhaseStatus
    /// When the phase last started.
    package var startedAt: Int64?
    /// When the phase ended (done, failed, skipped).
    package var endedAt: Int64?
    /// Why it failed or was skipped, or that it was interrupted.
    package var note: String?
    /// How many times it started (more than one after a crash).
    package var attempts: Int
    /// Whether the kill-switch was on for the run when the phase last started.
    package var startedWithSwitchOn: Bool

    package init(phase: PlanPhase) {
        self.phase = phase
        status = .pending
        attempts = 0
        startedWithSwitchOn = false
    }

    /// Milliseconds from start to end, once both are known.
    package var duration: Int64? {
        guard let startedAt, let endedAt else { return nil }
        return endedAt - startedAt
    }
}

/// Where a phase stands.
package enum PhaseStatus: String, Sendable, Equatable {
    case pending, running, done, failed, skipped
}

/// How a run ended.
package enum RunOutcome: Sendable, Equatable {
    /// Every phase done and the close-out signed.
    case closed
    /// A phase failed.
    case failed(phase: String, reason: String)
    /// Someone (or the runner, on drift) aborted it.
    case aborted(by: String, reason: String)
    /// A sovereign rejected a gate.
    case rejected(gate: String, by: String, reason: String)

    /// One word: closed, failed, aborted or rejected.
    package var word: String {
        switch self {
        case .closed: "closed"
        case .failed: "failed"
        case .aborted: "aborted"
        case .rejected: "rejected"
        }
    }

    /// A line that says what happened.
    package var summary: String {
        switch self {
        case .closed: "closed out"
        case .failed(let phase, let reason): "failed at \(phase): \(reason)"
        case .aborted(let by, let reason): "aborted by \(by): \(reason)"
        case .rejected(let gate, let by, let reason): "rejected at \(gate) by \(by): \(reason)"
        }
    }
}

/// A sovereign's decision as journaled.
package struct RecordedDecision: Sendable, Equatable {
    package var decision: GateDecision
    package var approved: Bool
    package var sequence: Int64
    package var time: Int64
}

/// Where an event sits in the journal.
package struct EventMark: Sendable, Equatable {
    package var sequence: Int64
    package var time: Int64
}

/// A signed kill-switch enable as journaled.
package struct RecordedSwitchEnable: Sendable, Equatable {
    package var enable: SwitchEnable
    package var sequence: Int64
    package var time: Int64
}

/// A refused transition as journaled.
package struct RecordedRefusal: Sendable, Equatable {
    /// The event kind that was refused, such as `gate.approved`.
    package var attempted: String
    package var code: String
    package var message: String
    package var actor: String
    package var sequence: Int64
    package var time: Int64
}

/// How far a running phase is.
package struct PhaseProgress: Sendable, Equatable {
    package var phase: String
    package var done: Int
    package var total: Int
}

/// A line of a phase's output.
package struct LogLine: Sendable, Equatable {
    package var phase: String
    package var stream: String
    package var text: String
    package var sequence: Int64
    package var time: Int64
}
