import GatehouseCore

/// How performing one phase ended.
package enum PhaseResult: Sendable, Equatable {
    /// Done, with the facts it established.
    case done(RunFacts)
    /// Failed, with a reason a person can act on.
    case failed(String)
    /// Stopped before it finished (a stop signal or an abort); nothing was committed.
    case stopped(String)
}

/// The hooks a phase uses while it works: progress, log lines and "should I stop?".
package struct PhaseContext {
    /// Reports units done out of a total.
    package var progress: (_ done: Int, _ total: Int) -> Void
    /// Journals a line of output.
    package var log: (_ stream: String, _ text: String) -> Void
    /// Why the phase must stop now (a signal, the run aborted), or nil to go on.
    package var stopReason: () -> String?
    /// Test-only crash points.
    package var faults: FaultInjection

    package init(progress: @escaping (Int, Int) -> Void, log: @escaping (String, String) -> Void,
                stopReason: @escaping () -> String?, faults: FaultInjection) {
        self.progress = progress
        self.log = log
        self.stopReason = stopReason
        self.faults = faults
    }
}
