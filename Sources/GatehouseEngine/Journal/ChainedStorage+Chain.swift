import GatehouseCore

/// Appending, chaining and checking events: the one implementation every journal uses.
extension ChainedStorage {
    /// Reads and appends in one atomic step, as ``Journal/append(after:_:)`` says: `decide` is
    /// given the events after `sequence` (none for `.max`), and the entries it returns are
    /// chained onto the last stored event, numbered, timed and stored with the new head record.
    package func appendChained(after sequence: Int64,
                               _ decide: ([JournalEvent]) throws -> [JournalEntry]) throws -> [JournalEvent] {
        try appending { append in
            let unseen = sequence == .max ? [] : try events(after: sequence, in: append)
            let entries = try decide(unseen)
            guard !entries.isEmpty else { return [] }
            let head = try lastEvent(in: append)
            let appended = Self.chain(entries, onto: head, at: clock.milliseconds())
            let last = appended[appended.count - 1]
            try store(appended, head: JournalHead(sequence: last.sequence, hash: last.hash), in: append)
            return appended
        }
    }

    /// The events `entries` make, numbered on from `head` and each linked to the one before.
    private static func chain(_ entries: [JournalEntry], onto head: JournalHead, at time: Int64) -> [JournalEvent] {
        var nextSequence = head.sequence + 1
        var previousHash = head.hash
        var events: [JournalEvent] = []
        events.reserveCapacity(entries.count)
        for entry in entries {
            let event = JournalEvent(
                sequence: nextSequence, timeMilliseconds: time, runID: entry.runID, kind: entry.kind,
                actor: entry.actor, payload: entry.payload, previousHash: previousHash)
            events.append(event)
            nextSequence += 1
            previousHash = event.hash
        }
        return events
    }

    /// Walks the whole chain, in one consistent snapshot.
    package func verifyChain() throws -> ChainVerification {
        try verifyChain(after: .genesis) { _ in }
    }

    /// Walks the chain after `head`, an event verified before, in one consistent snapshot, as
    /// ``Journal/verify(after:handing:)`` says: first checks that event is still the one
    /// verified, then hands `body` each event found in place, then compares the end of the
    /// walk with the journal's record of its last event.
    package func verifyChain(after head: JournalHead, handing body: (JournalEvent) -> Void) throws -> ChainVerification {
        try walking { walk in
            if let moved = try verifiedHeadMoved(head, in: walk) { return moved }
            var chain = ChainWalk(from: head)
            var rows = try storedRows(after: head.sequence, in: walk)
            while let row = try rows.next() {
                switch row {
                case .success(let event):
                    if let broken = chain.check(event) { return broken }
                    body(event)
                case .failure(let error):
                    return chain.unreadable(sequence: error.sequence, problem: error.problem)
                }
            }
            return try end(of: chain, in: walk)
        }
    }

    /// The break when the event a walk continues after is gone or rewritten; nil when it is
    /// still the one verified.
    private func verifiedHeadMoved(_ head: JournalHead, in walk: Walk) throws -> ChainVerification? {
        guard head.sequence > 0 else { return nil }
        let stored = try storedHash(of: head.sequence, in: walk)
        guard stored != head.hash else { return nil }
        return .broken(sequence: head.sequence, reason: stored == nil
            ? "the event is gone since it was verified: events were cut off or deleted"
            : "its hash changed since it was verified: the event was rewritten")
    }

    /// The verdict once every stored row was found in place, against the recorded head.
    private func end(of chain: ChainWalk, in walk: Walk) throws -> ChainVerification {
        switch try recordedHead(in: walk) {
        case .notKept:
            return chain.end(recordedHead: nil)
        case .unreadable:
            return .broken(sequence: max(chain.head.sequence, 1),
                           reason: "the journal's record of its last event (table chain_head) is missing or not readable: \(editedStorage)")
        case .recorded(let recorded):
            return chain.end(recordedHead: recorded)
        }
    }
}
