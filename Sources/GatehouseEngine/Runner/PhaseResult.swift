import GatehouseCore

/// How performing one phase ended.
public enum PhaseResult: Sendable, Equatable {
    /// Done, with the facts it established.
    case done(RunFacts)
    /// Failed, with a reason a person can act on.
    case failed(String)
    /// Stopped before it finished (a stop signal or an abort); nothing was committed.
    case stopped(String)
}

/// The hooks a phase uses while it works: progress, log lines and "should I stop?".
public struct PhaseContext {
    /// Reports units done out of a total.
    public var progress: (_ done: Int, _ total: Int) -> Void
    /// Journals a line of output.
    public var log: (_ stream: String, _ text: String) -> Void
    /// Why the phase must stop now (a signal, the run aborted), or nil to go on.
    public var stopReason: () -> String?
    /// Test-only crash points.
    public var faults: FaultInjection

    public init(progress: @escaping (Int, Int) -> Void, log: @escaping (String, String) -> Void,
                stopReason: @escaping () -> String?, faults: FaultInjection) {
        self.progress = progress
        self.log = log
        self.stopReason = stopReason
        self.faults = faults
    }
}
