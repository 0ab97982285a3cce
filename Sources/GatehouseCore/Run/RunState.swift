/// Everything known about one run: the fold of its journaled events.
public struct RunState: Sendable, Equatable, Codable {
    /// The run's id.
    public let id: String
    /// How the run began: mode, plan, document, operator.
    public var start: RunStart
    /// When `run.started` was journaled (milliseconds since 1970).
    public var startedAt: Int64
    /// The sequence number of `run.started`.
    public var startSequence: Int64
    /// One record per phase of the plan, in order.
    public var phases: [PhaseRecord]
    /// Whether the kill-switch is on for this run.
    public var switchOn: Bool
    /// Whether a runner has the run in hand (false after it was lost or stopped, until resumed).
    public var runnerAttached: Bool
    /// Sovereign decisions at the run's gates, in journal order.
    public var decisions: [RecordedDecision]
    /// Refused transitions, in journal order.
    public var refusals: [RecordedRefusal]
    /// The phases of a command plan whose changes were undone by their revert, in that order.
    public var revertedPhases: [String] = []
    /// Each resume asked of the run after it had ended (nothing run), in journal order.
    public var resumeChecks: [RecordedResumeCheck] = []
    /// Each parity comparison journaled on the run (`compare --record-verdict`), in journal order.
    public var parityChecks: [RecordedParityCheck] = []
    /// Each restore drill of the run's backup, in journal order.
    public var drills: [RecordedRestoreDrill] = []
    /// Each time the kill-switch was turned on for the run, with its signature.
    public var switchEnables: [RecordedSwitchEnable]
    /// What the phases established: counts, SHA-256s, the backup, ... (later phases win).
    public var facts: RunFacts
    /// Set once the run has ended.
    public var outcome: RunOutcome?
    /// The event that ended the run.
    public var ending: EventMark?
    /// How far the running phase is, when it says.
    public var progress: PhaseProgress?
    /// The last ``logTailLimit`` lines of output.
    public var logTail: [LogLine]
    /// Every log line ever journaled for the run.
    public var logCount: Int
    /// The lines of the run's command output still open: what each stream's batches wrote
    /// after their last newline, until a later batch ends the line.
    public var outputLines = OutputLines()
    /// The sequence number of the run's last event.
    public var lastSequence: Int64
    /// The time of the run's last event.
    public var lastTime: Int64

    /// How many log lines the state keeps (the journal keeps them all).
    public static let logTailLimit = 200

    /// A run as its `run.started` event makes it.
    public init(id: String, start: RunStart, startedAt: Int64, sequence: Int64) {
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
    public var mode: RunMode { start.mode }

    /// Whether the run has ended (closed, failed, aborted or rejected).
    public var isEnded: Bool { outcome != nil }

    /// The phase that is running (or, for a gate, waiting), if any.
    public var runningPhase: PhaseRecord? { runningPhaseIndex.map { phases[$0] } }

    /// The first phase that has not run yet, if any.
    public var nextPendingPhase: PhaseRecord? { nextPendingPhaseIndex.map { phases[$0] } }

    // The fold asks these of every phase event: written as loops over indices, which read one
    // field of each record where it is, where `firstIndex(where:)` copies each record it passes.

    /// Where ``runningPhase`` is in ``phases``.
    public var runningPhaseIndex: Int? {
        for index in phases.indices where phases[index].status == .running { return index }
        return nil
    }

    /// Where ``nextPendingPhase`` is in ``phases``.
    public var nextPendingPhaseIndex: Int? {
        for index in phases.indices where phases[index].status == .pending { return index }
        return nil
    }

    /// Where the phase with this id is in ``phases``.
    public func phaseIndex(_ id: String) -> Int? {
        for index in phases.indices where phases[index].phase.id == id { return index }
        return nil
    }

    /// The gate the run waits at, if it waits at one.
    public var waitingGate: String? { runningPhaseIndex.flatMap { phases[$0].phase.gate } }

    /// The record of the phase with this id.
    public func phase(_ id: String) -> PhaseRecord? { phaseIndex(id).map { phases[$0] } }

    /// The approval recorded for a gate, if any.
    public func approval(of gate: String) -> RecordedDecision? {
        decisions.first { $0.decision.gate == gate && $0.approved }
    }

    /// The first characters of the id, enough to tell runs apart on a screen.
    public var shortID: String { Self.shortID(id) }

    /// The first characters of a run id.
    public static func shortID(_ id: String) -> String { String(id.prefix(8)) }
}

/// One phase of a run and where it stands.
public struct PhaseRecord: Sendable, Equatable, Codable {
    public var phase: PlanPhase
    public var status: PhaseStatus
    /// When the phase last started.
    public var startedAt: Int64?
    /// When the phase ended (done, failed, skipped).
    public var endedAt: Int64?
    /// Why it failed or was skipped, or that it was interrupted.
    public var note: String?
    /// How many times it started (more than one after a crash).
    public var attempts: Int
    /// Whether the kill-switch was on for the run when the phase last started.
    public var startedWithSwitchOn: Bool
    /// The facts its last completion established (nil until it completed).
    public var facts: RunFacts?

    public init(phase: PlanPhase) {
        self.phase = phase
        status = .pending
        attempts = 0
        startedWithSwitchOn = false
    }

    /// Milliseconds from start to end, once both are known.
    public var duration: Int64? {
        guard let startedAt, let endedAt else { return nil }
        return endedAt - startedAt
    }
}

/// Where a phase stands.
public enum PhaseStatus: String, Sendable, Equatable, Codable {
    case pending, running, done, failed, skipped
}

/// How a run ended.
public enum RunOutcome: Sendable, Equatable, Codable {
    /// Every phase done and the close-out signed.
    case closed
    /// A phase failed.
    case failed(phase: String, reason: String)
    /// Someone (or the runner, on drift) aborted it.
    case aborted(by: String, reason: String)
    /// A sovereign rejected a gate.
    case rejected(gate: String, by: String, reason: String)

    /// One word: closed, failed, aborted or rejected.
    public var word: String {
        switch self {
        case .closed: "closed"
        case .failed: "failed"
        case .aborted: "aborted"
        case .rejected: "rejected"
        }
    }

    /// A line that says what happened.
    public var summary: String {
        switch self {
        case .closed: "closed out"
        case .failed(let phase, let reason): "failed at \(phase): \(reason)"
        case .aborted(let by, let reason): "aborted by \(by): \(reason)"
        case .rejected(let gate, let by, let reason): "rejected at \(gate) by \(by): \(reason)"
        }
    }
}

/// A sovereign's decision as journaled.
public struct RecordedDecision: Sendable, Equatable, Codable {
    public var decision: GateDecision
    public var approved: Bool
    public var sequence: Int64
    public var time: Int64
}

/// Where an event sits in the journal.
public struct EventMark: Sendable, Equatable, Codable {
    public var sequence: Int64
    public var time: Int64
}

/// A signed kill-switch enable as journaled.
public struct RecordedSwitchEnable: Sendable, Equatable, Codable {
    public var enable: SwitchEnable
    public var sequence: Int64
    public var time: Int64
}

/// A resume of an ended run as journaled.
public struct RecordedResumeCheck: Sendable, Equatable, Codable {
    public var check: ResumeCheck
    public var sequence: Int64
    public var time: Int64
}

/// A restore drill as journaled.
public struct RecordedRestoreDrill: Sendable, Equatable, Codable {
    public var drill: RestoreDrill
    public var sequence: Int64
    public var time: Int64
}

/// A parity comparison as journaled.
public struct RecordedParityCheck: Sendable, Equatable, Codable {
    public var check: ParityCheck
    public var sequence: Int64
    public var time: Int64
}

/// A refused transition as journaled.
public struct RecordedRefusal: Sendable, Equatable, Codable {
    /// The event kind that was refused, such as `gate.approved`.
    public var attempted: String
    public var code: String
    public var message: String
    public var actor: String
    public var sequence: Int64
    public var time: Int64
}

/// How far a running phase is.
public struct PhaseProgress: Sendable, Equatable, Codable {
    public var phase: String
    public var done: Int
    public var total: Int
}

/// A line of a phase's output.
public struct LogLine: Sendable, Equatable, Codable {
    public var phase: String
    public var stream: String
    public var text: String
    public var sequence: Int64
    public var time: Int64
}
