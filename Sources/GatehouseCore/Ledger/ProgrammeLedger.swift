/// The state of every programme in a journal: a pure fold of its `programme.*` events, and of
/// the runs that closed out (which programme requirements and gap closures name).
///
/// As for runs, ``check(_:runs:)`` is the one rule book: the engine asks it before appending
/// an act, and the fold asks it again for every act it reads, so an act that should never
/// have been journaled (a hand-edited file, a replayed statement) changes nothing.
public struct ProgrammeLedger: Sendable, Equatable, Codable {
    /// Every charter pinned, by digest.
    public private(set) var charters: [String: ProgrammeCharter] = [:]
    /// The digest of each programme's last pinned charter, by programme id.
    public private(set) var current: [String: String] = [:]
    /// What the journal records of each programme, by programme id.
    public private(set) var books: [String: ProgrammeBook] = [:]
    /// The first run of each plan and mode that closed out (``ClosedRun/key(plan:mode:)``).
    public private(set) var closedRuns: [String: ClosedRun] = [:]
    /// The closed-out runs of each plan and mode whose latest journaled parity comparison held,
    /// the first such in journal order (``ClosedRun/key(plan:mode:)``): what a `parity`
    /// requirement reads.
    public private(set) var parityRuns: [String: ParityRun] = [:]

    public init() {}

    /// The charter `programme`'s acts rest on now, if one is pinned.
    public func charter(of programme: String) -> ProgrammeCharter? {
        current[programme].flatMap { charters[$0] }
    }

    /// What the journal records of `programme`.
    public func book(of programme: String) -> ProgrammeBook { books[programme] ?? ProgrammeBook() }

    /// The live board of `charter`: its gates with what the journal records of its programme.
    public func board(_ charter: ProgrammeCharter) -> GateBoard {
        GateBoard(charter: charter, book: book(of: charter.programme), closedRuns: closedRuns, parityRuns: parityRuns)
    }

    /// Notes a run that closed out.
    mutating func noteClosed(_ run: RunState, sequence: Int64) {
        let key = ClosedRun.key(plan: run.start.plan.id, mode: run.mode)
        guard closedRuns[key] == nil else { return }
        closedRuns[key] = ClosedRun(id: run.id, plan: run.start.plan.id, mode: run.mode, sequence: sequence)
    }

    /// Notes a parity comparison journaled on `run`: a closed-out run whose latest one held
    /// stands for its plan and mode until another does; a later comparison that differs takes
    /// it back.
    mutating func noteParity(_ run: RunState, sequence: Int64) {
        guard run.outcome == .closed, let last = run.parityChecks.last else { return }
        let key = ClosedRun.key(plan: run.start.plan.id, mode: run.mode)
        if last.check.holds {
            if parityRuns[key] == nil {
                parityRuns[key] = ParityRun(run: ClosedRun(id: run.id, plan: run.start.plan.id, mode: run.mode, sequence: sequence),
                                            check: last.check)
            }
        } else if parityRuns[key]?.run.id == run.id {
            parityRuns[key] = nil
        }
    }

    // MARK: - Folding

    /// Applies `event` if the rules allow it; returns the refusal otherwise.
    ///
    /// - Parameter runs: the journal's runs, to look up a run a gap closure names.
    @discardableResult
    public mutating func apply(_ event: ProgrammeEvent, sequence: Int64, time: Int64,
                               runs: (String) -> RunState?) -> ProgrammeRefusal? {
        if let refusal = check(event, runs: runs) { return refusal }
        switch event {
        case .pinned(let charter):
            charters[charter.digest] = charter
            current[charter.programme] = charter.digest
        case .act(let act):
            books[act.programme, default: ProgrammeBook()].record(act, sequence: sequence, time: time)
        case .refused(let refusal):
            books[refusal.programme, default: ProgrammeBook()].record(refusal, sequence: sequence, time: time)
        }
        return nil
    }

    // MARK: - The rules

    /// Why `event` may not be journaled now, or nil when it may.
    public func check(_ event: ProgrammeEvent, runs: (String) -> RunState?) -> ProgrammeRefusal? {
        switch event {
        case .pinned(let charter):
            guard current[charter.programme] != charter.digest else {
                return ProgrammeRefusal(programme: charter.programme, attempted: "pin", subject: charter.programme, by: "",
                                        reason: "the charter \(charter.digest.prefix(12)) is pinned already")
            }
            return nil
        case .refused:
            return nil
        case .act(let act):
            return ProgrammeActCheck.refusal(act, ledger: self, runs: runs)
        }
    }
}
