/// Where a run stands, in a few words, for lists and headers.
extension RunState {
    /// Such as `waiting for SG_1`, `running apply`, `closed`, `failed at verify`.
    public var situation: String {
        switch nextStep {
        case .finished(let outcome):
            switch outcome {
            case .closed: return "closed"
            case .failed(let phase, _): return "failed at \(phase)"
            case .aborted: return "aborted"
            case .rejected(let gate, _, _): return "rejected at \(gate)"
            }
        case .awaitResume: return goneSituation
        case .awaitDecision(let gate): return "waiting for \(gate)"
        case .awaitKillSwitch: return "waiting for the kill-switch"
        case .phaseInProgress(let phase): return "running \(phase.id)"
        case .perform(let phase, _), .skip(let phase, _), .openGate(let phase): return "next: \(phase.id)"
        case .closeOut: return "closing out"
        }
    }
}
