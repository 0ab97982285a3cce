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
        let attached = store.ledger.newestFirst.filter { !$0.isEnded && $0.runnerAttached }.map(\.id)
        guard !attached.isEmpty else { return [] }
        return try recordLost(liveness.presence(of: attached), store: store, actor: actor)
    }

    /// Records `run.runner_lost` for the runs `presence` found gone that the journal still
    /// believes attached and unfinished.
    ///
    /// `presence` must be looked at before the journal is read again here: a runner lets go of
    /// its lock only after its last event is journaled, so a run that ended meanwhile is seen ended.
    /// - Returns: the runs recorded lost.
    @discardableResult
    public static func recordLost(_ presence: [String: RunnerPresence], store: RunStore, actor: String) throws -> [String] {
        let gone = presence.filter { $0.value.isGone }.keys.sorted()
        guard !gone.isEmpty else { return [] }
        try store.refresh()
        var lost: [String] = []
        for run in gone {
            guard let state = store.ledger[run], !state.isEnded, state.runnerAttached else { continue }
            do {
                try store.record(.runnerLost(reason: "its runner process is gone (crashed or killed) without recording it"),
                                 run: run, actor: actor)
                lost.append(run)
            } catch is RunRefusal {
                continue
            }
        }
        return lost
    }
}
