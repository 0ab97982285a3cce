import GatehouseCore

extension RunStore {
    /// The portable record of `run` as the journal holds it now: its events and those between
    /// them, and the journal's last event (`journalKind` names the kind of journal).
    public func record(of run: RunState, journalKind: String, exportedAt: Int64) throws -> RunRecord {
        var events: [JournalEvent] = []
        try journal.events(after: run.startSequence - 1) { events.append($0) }
        let head = events.last.map { JournalHead(sequence: $0.sequence, hash: $0.hash) } ?? .genesis
        return RunRecord(run, events: RunRecord.segment(of: run.id, in: events), journalKind: journalKind,
                         journalHead: head, exportedAt: exportedAt)
    }
}
