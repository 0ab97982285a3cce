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

    /// Every pending item in `ledger`.
    static func all(_ ledger: RunLedger) -> [PendingItem] {
        ledger.newestFirst.compactMap { run in
            switch run.nextStep {
            case .awaitDecision(let gate): PendingItem(run: run, kind: .gate(gate))
            case .awaitKillSwitch: PendingItem(run: run, kind: .killSwitch)
            default: nil
            }
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
