/// What an auditor finds in a journal's checkpoints: each one compared with the fold of the
/// journal from its first event through the checkpoint's own event.
///
/// Fed the journal's events in order (as the chain walk reads them), it folds them and keeps
/// the fold at each event a checkpoint is stored at; at the end it checks each checkpoint's
/// seal and binding and that the fold it holds is that fold: a checkpoint edited and sealed again is found here, where an opening,
/// which trusts a sealed checkpoint on the chain, cannot find it.
public struct CheckpointAudit: Sendable {
    /// The fold of the events handed so far.
    public private(set) var ledger = RunLedger()
    /// The checkpoints compared so far.
    public private(set) var checked = 0
    /// The checkpoints that do not hold, in journal order.
    public private(set) var problems: [LedgerCheckpoint.Problem] = []
    /// The events checkpoints are stored at, not reached yet, in increasing order.
    private var pending: ArraySlice<Int64>
    /// The fold and the event's hash at each checkpoint's event reached, to compare at the end
    /// (a journal is not read again while its chain is walked).
    private var reached: [(sequence: Int64, hash: String, ledger: RunLedger)] = []

    /// An audit of the checkpoints stored at `sequences`.
    public init(checkpointsAt sequences: [Int64]) {
        pending = sequences.sorted()[...]
    }

    /// Folds the next event, keeping the fold if a checkpoint is stored at it.
    public mutating func add(_ event: JournalEvent) {
        ledger.apply(event)
        while let next = pending.first, next <= event.sequence {
            pending.removeFirst()
            // A number the chain skipped is no event: the checkpoint is on none.
            reached.append((next, next == event.sequence ? event.hash : "", ledger))
        }
    }

    /// Once every event was handed: compares each checkpoint, read by `load`, with the fold at
    /// its event; one after the journal's last event is on no event.
    public mutating func end(load: (Int64) -> LedgerCheckpoint?) {
        for (sequence, hash, fold) in reached {
            checked += 1
            guard let checkpoint = load(sequence) else { continue }
            switch checkpoint.ledger(journalHash: hash.isEmpty ? nil : hash) {
            case .success(let held): if held != fold { problems.append(.differs(sequence: sequence)) }
            case .failure(let problem): problems.append(problem)
            }
        }
        for sequence in pending {
            checked += 1
            problems.append(.notOnTheChain(sequence: sequence, bound: load(sequence)?.eventHash ?? "?", found: nil))
        }
        reached = []
        pending = []
    }

    /// One line: `checkpoints: 3 checked, every one the fold at its event`.
    public var summary: String {
        "checkpoints: \(checked) checked, " + (problems.isEmpty ? "every one the fold at its event" : "\(problems.count) wrong")
    }
}
