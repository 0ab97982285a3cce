/// Checks a journal's hash chain: numbering, links and hashes.
public enum ChainVerification: Sendable, Equatable {
    /// Every event is in place: `count` events, the last with hash `head`.
    case intact(count: Int, head: String)
    /// The first event that does not fit, by sequence number, and why.
    case broken(sequence: Int64, reason: String)

    /// Walks `events` in stored order, from the first event; `recordedHead` is the last event
    /// the journal recorded appending, where it keeps one (see ``ChainWalk/end(recordedHead:)``).
    public static func verify<Events: Sequence<JournalEvent>>(_ events: Events, recordedHead: JournalHead? = nil) -> ChainVerification {
        var walk = ChainWalk()
        for event in events {
            if let broken = walk.check(event) { return broken }
        }
        return walk.end(recordedHead: recordedHead)
    }
}
