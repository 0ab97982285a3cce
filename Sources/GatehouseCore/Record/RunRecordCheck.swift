/// What holds of a run record read on another host: its chain link by link, the run its events
/// fold to, the pinned keys it repeats, and every signature against those keys.
///
/// Offline, the kill-switch checklist of a LIVE run is re-checked against the programme lines
/// the run pinned when it started: the programme acts that may have met a line since live in
/// the first host's journal, outside the record.
public struct RunRecordCheck: Sendable {
    /// The record checked.
    public let record: RunRecord
    /// The chain from the record's anchor through its last event.
    public let chain: ChainVerification
    /// The run the record's events fold to (nil when they do not start one).
    public let run: RunState?
    /// The signatures of the run's decisions and kill-switch enables, and the events the
    /// state machine refuses.
    public let audit: JournalAudit?
    /// The run's command output: every stream's batches end to end, their digests.
    public private(set) var output = OutputAudit()
    /// Everything that does not hold, each naming the event or member and what was found.
    public let problems: [String]
    /// How many of the record's events are the run's own.
    public let runEventCount: Int

    /// Checks `record`, telling `walked` how many of its events the chain walk has checked
    /// (by how many more: every 1,024 events, and the rest at the end), for a progress bar.
    public init(_ record: RunRecord, walked: ((Int) -> Void)? = nil) {
        self.record = record
        var problems: [String] = []
        guard let anchor = record.anchor else {
            self.chain = .broken(sequence: 0, reason: "the record holds no events")
            self.runEventCount = 0
            self.run = nil
            self.audit = nil
            self.problems = ["the record holds no events"]
            return
        }
        var walk = ChainWalk(from: anchor)
        var chain: ChainVerification?
        for (index, event) in record.events.enumerated() {
            if let broken = walk.check(event) { chain = broken; break }
            if index % 1024 == 1023 { walked?(1024) }
        }
        walked?(record.events.count % 1024)
        let walked = chain ?? walk.end(recordedHead: nil)
        self.chain = walked
        if case .broken(let sequence, let reason) = walked {
            problems.append("event \(sequence): \(reason)")
        }
        let head = record.journalHead
        if let last = record.events.last {
            if head.sequence < last.sequence {
                problems.append("the record's journal head is event \(head.sequence), before its own last event \(last.sequence)")
            } else if head.sequence == last.sequence && head.hash != last.hash {
                problems.append("the record's journal head (event \(head.sequence)) has another hash than that event")
            }
        }
        let runEvents = record.runEvents
        runEventCount = runEvents.count
        for event in runEvents { output.add(event) }
        problems += output.problems.map { "event \($0.sequence): \($0.text)" }
        let ledger = RunLedger(events: runEvents)
        guard let run = ledger[record.run], runEvents.first?.kind == "run.started" else {
            self.run = nil
            self.audit = nil
            self.problems = problems + ["the record's events do not start run \(record.run) (its first event must be its run.started)"]
            return
        }
        self.run = run
        problems += Self.keyProblems(listed: record.sovereigns, pinned: run.start.sovereigns)
        let audit = JournalAudit(ledger)
        self.audit = audit
        problems += audit.problems
        self.problems = problems
    }

    /// Whether everything holds.
    public var isClean: Bool { problems.isEmpty }

    /// The sovereigns a record lists against those its `run.started` pinned, by name.
    static func keyProblems(listed: [Sovereign], pinned: [Sovereign]) -> [String] {
        var problems: [String] = []
        let pinnedByName = Dictionary(pinned.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let listedNames = Set(listed.map(\.name))
        for sovereign in listed {
            guard let original = pinnedByName[sovereign.name] else {
                problems.append("the record lists sovereign \(sovereign.name), whom run.started did not pin")
                continue
            }
            if original != sovereign {
                problems.append("the record lists sovereign \(sovereign.name) with another key or provider than run.started pinned (\(sovereign.provider) \(sovereign.publicKey?.prefix(16) ?? "no key")… against \(original.provider) \(original.publicKey?.prefix(16) ?? "no key")…): a key was swapped")
            }
        }
        for sovereign in pinned where !listedNames.contains(sovereign.name) {
            problems.append("the record does not list sovereign \(sovereign.name), whom run.started pinned")
        }
        return problems
    }

    /// One line: `record of run 1a2b3c4d: OK, 42 events (#17-#58, 40 of the run), anchored at #16 3f2a…; signatures: …`.
    public var summary: String {
        let first = record.events.first?.sequence ?? 0
        let last = record.events.last?.sequence ?? 0
        var line = "record of run \(record.run): \(isClean ? "OK" : "DOES NOT HOLD"), \(record.events.count) events (#\(first)-#\(last), \(runEventCount) of the run)"
        if let anchor = record.anchor { line += ", anchored at #\(anchor.sequence) \(anchor.hash.prefix(12))" }
        if let audit { line += "; \(audit.summary)" }
        if output.batches > 0 { line += "; \(output.summary)" }
        return line
    }
}
