import Foundation
import GatehouseCore

/// The steps around a runner that every front end shares: naming a run, noticing runners
/// that died, and taking a run up again.
public enum RunLauncher {
    /// A new run id: 12 random lower-case hex digits (the first 8 name it on screens).
    public static func newRunID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<12).map { _ in String(generator.next(upperBound: UInt8(16)), radix: 16) }.joined()
    }

    /// Records `run.runner_lost` for every unfinished run whose runner the journal believes
    /// attached but `liveness` finds gone: their kill-switch goes off at once.
    /// - Returns: the runs found lost.
    @discardableResult
    public static func reapLostRunners(store: RunStore, liveness: any RunnerLiveness, actor: String) throws -> [String] {
        try store.refresh()
        var lost: [String] = []
        for state in store.ledger.newestFirst where !state.isEnded && state.runnerAttached {
            guard !liveness.isHeld(run: state.id) else { continue }
            do {
                try store.record(.runnerLost(reason: "its runner process is gone (crashed or killed) without recording it"),
                                 run: state.id, actor: actor)
                lost.append(state.id)
            } catch is RunRefusal {
                continue
            }
        }
        return lost
    }
}
