import Foundation
import GatehouseCore

/// Whether a ``RunStore`` opens from a checkpoint of the fold, and when it writes one.
///
/// A store that appends writes a checkpoint (``LedgerCheckpoint``) once it has folded
/// ``interval`` events past the newest one stored, so the journal's next opening folds only
/// what came after it. The environment may set the interval: `GATEHOUSE_CHECKPOINT_EVERY`
/// (events; `0` writes none).
public struct CheckpointPolicy: Sendable {
    /// Events between two checkpoints unless the environment says otherwise.
    public static let defaultInterval: Int64 = 100_000

    /// Open from the newest checkpoint that holds, and fold only the events after it.
    public var opensFromCheckpoint: Bool
    /// Write a checkpoint once this many events were folded past the newest stored; nil for never.
    public var interval: Int64?
    /// Where a crash test kills the process (`checkpoint-before-commit`).
    public var faults: FaultInjection

    public init(opensFromCheckpoint: Bool, interval: Int64?, faults: FaultInjection = FaultInjection(point: nil)) {
        self.opensFromCheckpoint = opensFromCheckpoint
        self.interval = interval
        self.faults = faults
    }

    /// Fold every event from the first, write no checkpoint: what `gatehouse verify` does.
    public static let fromTheStart = CheckpointPolicy(opensFromCheckpoint: false, interval: nil)

    /// Open from a checkpoint; write one every `GATEHOUSE_CHECKPOINT_EVERY` events (default
    /// ``defaultInterval``, `0` for none).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> CheckpointPolicy {
        let every = environment["GATEHOUSE_CHECKPOINT_EVERY"].flatMap { Int64($0) }.map { $0 > 0 ? $0 : nil } ?? defaultInterval
        return CheckpointPolicy(opensFromCheckpoint: true, interval: every, faults: .fromEnvironment(environment))
    }
}
