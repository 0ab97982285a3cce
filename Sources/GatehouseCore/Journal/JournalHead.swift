/// The last event of a chain, by number and hash: where a walk of the chain stands, and what
/// the journal records as its end.
public struct JournalHead: Sendable, Equatable {
    /// The event's sequence number; 0 before the first event.
    public var sequence: Int64
    /// The event's hash; ``JournalEvent/genesisHash`` before the first event.
    public var hash: String

    public init(sequence: Int64, hash: String) {
        self.sequence = sequence
        self.hash = hash
    }

    /// Where every chain starts: no event yet.
    public static let genesis = JournalHead(sequence: 0, hash: JournalEvent.genesisHash)
}
