import GatehouseCore

/// What waits for a sovereign, newest run first: a gate a run waits at, or a LIVE run waiting
/// for the kill-switch. The Approvals tab lists them.
struct PendingItem: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case gate(String)
        case killSwitch
    }

    var run: RunState
    var kind: Kind

    /// Every pending item in `ledger`. A gate whose run's runner is gone still waits for its
    /// decision (which then waits for the resume); the kill-switch needs a runner to enable.
    static func all(_ ledger: RunLedger) -> [PendingItem] {
        ledger.newestFirst.compactMap { run in
            guard !run.isEnded else { return nil }
            if let gate = run.waitingGate { return PendingItem(run: run, kind: .gate(gate)) }
            if case .awaitKillSwitch = run.nextStep { return PendingItem(run: run, kind: .killSwitch) }
            return nil
        }
    }

    /// The flow Enter opens for this item.
    var flow: SignFlow {
        switch kind {
        case .gate(let gate): SignFlow(runID: run.id, purpose: .decide(gate: gate))
        case .killSwitch: SignFlow(runID: run.id, purpose: .enableLive)
        }
    }
}
