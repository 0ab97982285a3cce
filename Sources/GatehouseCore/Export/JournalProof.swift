/// Where a run sits in its journal and how the journal stood when the run was exported: what
/// lets a reader of an exported record check it against the journal later.
public struct JournalProof: Sendable, Equatable {
    /// The sequence numbers of the run's first and last journaled events.
    public var firstSequence: Int64
    public var lastSequence: Int64
    /// How many events of the journal belong to the run.
    public var runEvents: Int
    /// The whole journal's chain as walked at export time.
    public var chain: ChainVerification
    /// When the record was exported (milliseconds since 1970).
    public var exportedAt: Int64

    public init(firstSequence: Int64, lastSequence: Int64, runEvents: Int, chain: ChainVerification, exportedAt: Int64) {
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
        self.runEvents = runEvents
        self.chain = chain
        self.exportedAt = exportedAt
    }
}

extension JournalProof {
    /// The proof for run `id` among `events` (the whole journal, in order), walked as `chain`.
    public init<Events: Sequence<JournalEvent>>(run id: String, events: Events, chain: ChainVerification, exportedAt: Int64) {
        let sequences = events.filter { $0.runID == id }.map(\.sequence)
        self.init(firstSequence: sequences.min() ?? 0, lastSequence: sequences.max() ?? 0, runEvents: sequences.count,
                  chain: chain, exportedAt: exportedAt)
    }
}
