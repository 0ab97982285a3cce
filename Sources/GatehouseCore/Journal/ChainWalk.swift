/// Walks a journal's chain one stored event at a time, from its start or from an event already
/// verified, and stops at the first event that does not fit.
///
/// A value, so the journal can feed it rows as it reads them and stop reading at the first
/// break; ``ChainVerification/verify(_:)`` is the walk over a whole sequence.
///
/// ```swift
/// var walk = ChainWalk(from: .genesis)
/// for event in stored { if let broken = walk.check(event) { return broken } }
/// return walk.end(recordedHead: head)
/// ```
public struct ChainWalk: Sendable, Equatable {
    /// The last event found in place (``JournalHead/genesis`` before any).
    public private(set) var head: JournalHead

    /// A walk that continues after `head`, an event already found in place.
    public init(from head: JournalHead = .genesis) {
        self.head = head
    }

    /// Checks the next event in stored order: nil if it is in place (the walk moves on to it),
    /// else the break, at the first sequence number that does not fit.
    public mutating func check(_ event: JournalEvent) -> ChainVerification? {
        let expected = head.sequence + 1
        if event.sequence != expected {
            return .broken(sequence: expected,
                           reason: "expected event \(expected), found \(event.sequence): an event is missing or out of order")
        }
        if event.previousHash != head.hash {
            return .broken(sequence: event.sequence,
                           reason: "its previous_hash does not match the hash of event \(event.sequence - 1)")
        }
        if event.computedHash != event.hash {
            return .broken(sequence: event.sequence, reason: "its content does not match its hash: the event was edited")
        }
        head = JournalHead(sequence: event.sequence, hash: event.hash)
        return nil
    }

    /// The break for a stored row that cannot be read as an event (a field of the wrong type),
    /// numbered `sequence`; `problem` says which field.
    public func unreadable(sequence: Int64, problem: String) -> ChainVerification {
        let expected = head.sequence + 1
        guard sequence == expected else {
            return .broken(sequence: expected,
                           reason: "expected event \(expected), found \(sequence): an event is missing or out of order")
        }
        return .broken(sequence: sequence, reason: "\(problem): the event was edited")
    }

    /// The result once every stored event was checked, compared with the head the journal
    /// recorded when it last appended (nil where it records none): a chain cut short at its
    /// end, or extended or rewritten there, links up on its own and only the record shows it.
    public func end(recordedHead: JournalHead?) -> ChainVerification {
        if let recorded = recordedHead {
            if recorded.sequence > head.sequence {
                return .broken(sequence: head.sequence + 1,
                               reason: "event \(head.sequence + 1) is missing: the journal recorded event \(recorded.sequence) as its last, so events were cut off its end")
            }
            if recorded.sequence < head.sequence {
                return .broken(sequence: recorded.sequence + 1,
                               reason: "the journal recorded event \(recorded.sequence) as its last: this event was added after it without being appended through the journal")
            }
            if recorded.hash != head.hash {
                return .broken(sequence: head.sequence,
                               reason: "its hash is not the one the journal recorded for its last event: the event was rewritten")
            }
        }
        return .intact(count: Int(head.sequence), head: head.hash)
    }
}
