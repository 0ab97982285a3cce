/// Checks a journal's hash chain: numbering, links and hashes.
public enum ChainVerification: Sendable, Equatable {
    /// Every event is in place: `count` events, the last with hash `head`.
    case intact(count: Int, head: String)
    /// The first event that does not fit, by sequence number, and why.
    case broken(sequence: Int64, reason: String)

    /// Walks `events` in stored order.
    public static func verify<Events: Sequence<JournalEvent>>(_ events: Events) -> ChainVerification {
        var expectedSequence: Int64 = 1
        var previous = JournalEvent.genesisHash
        var count = 0
        for event in events {
            if event.sequence != expectedSequence {
                return .broken(sequence: expectedSequence,
                               reason: "expected event \(expectedSequence), found \(event.sequence): an event is missing or out of order")
            }
            if event.previousHash != previous {
                return .broken(sequence: event.sequence,
                               reason: "its previous_hash does not match the hash of event \(event.sequence - 1)")
            }
            if event.computedHash != event.hash {
                return .broken(sequence: event.sequence,
                               reason: "its content does not match its hash: the event was edited")
            }
            previous = event.hash
            expectedSequence += 1
            count += 1
        }
        return .intact(count: count, head: previous)
    }
}
