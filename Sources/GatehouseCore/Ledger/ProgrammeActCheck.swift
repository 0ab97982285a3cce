/// Whether a sovereign's programme act holds as the journal stands: the charter it is signed
/// against, the signer and their right to the gate, the signature, the values it binds, and
/// the act's own rules (a gate must be ready to pass, a gap open to be closed, ...).
enum ProgrammeActCheck {
    /// Why `act` must be refused, or nil when it holds.
    static func refusal(_ act: ProgrammeAct, ledger: ProgrammeLedger, runs: (String) -> RunState?) -> ProgrammeRefusal? {
        func refuse(_ reason: String) -> ProgrammeRefusal {
            ProgrammeRefusal(programme: act.programme, attempted: act.kind?.words ?? "act", subject: act.subject, by: act.by, reason: reason)
        }
        guard let kind = act.kind else { return refuse("the statement names no known act") }
        guard let charter = ledger.charter(of: act.programme) else {
            return refuse("no charter of programme '\(act.programme)' is pinned in this journal")
        }
        guard act.statement["programme_digest"] == .string(charter.digest) else {
            let signed = act.statement["programme_digest"]?.stringValue.map { String($0.prefix(12)) } ?? "nothing"
            return refuse("it was signed for programme digest \(signed)…, but the programme is now \(charter.digest.prefix(12))… (a replay, or the file changed since: sign again)")
        }
        guard let sovereign = charter.sovereign(act.by) else {
            let names = charter.sovereigns.map(\.name)
            return refuse(names.isEmpty
                ? "the programme names no sovereigns (add them under 'sovereigns')"
                : "'\(act.by)' is not a sovereign of the programme (sovereigns: \(names.joined(separator: ", ")))")
        }
        guard act.provider == sovereign.provider else {
            return refuse("signed with provider '\(act.provider)', but \(sovereign.name) signs with '\(sovereign.provider)'")
        }
        guard SignedStatementCheck.verifies(act.signature, of: act.statement, canonical: act.journaledStatement, by: sovereign) else {
            return refuse("the signature does not verify against \(sovereign.name)'s key (a wrong key, or the statement was altered)")
        }
        guard act.statement["run"] == nil || kind == .closeGap, act.statement["decision"] == nil else {
            return refuse("the statement is a run's, not a programme act")
        }
        // Only what the act's rules look at is worked out: the fold asks this of every act.
        let board = Scope(charter: charter, book: ledger.book(of: charter.programme), closedRuns: ledger.closedRuns,
                          parityRuns: ledger.parityRuns)
        let reason: String?
        switch kind {
        case .signOff: reason = signOff(act, sovereign: sovereign, board: board)
        case .closeGap: reason = closeGap(act, sovereign: sovereign, board: board, runs: runs)
        case .reopenGap: reason = reopenGap(act, sovereign: sovereign, board: board)
        case .conditionMet: reason = conditionMet(act, sovereign: sovereign, board: board)
        case .ruling: reason = ruling(act, sovereign: sovereign, board: board)
        }
        return reason.map(refuse)
    }

    /// The charter and the book an act is checked against, with the one gate or gap it names
    /// worked out when asked (not the whole board).
    struct Scope {
        let charter: ProgrammeCharter
        let book: ProgrammeBook
        let closedRuns: [String: ClosedRun]
        let parityRuns: [String: ParityRun]

        func entry(_ gate: String) -> GateBoard.Entry? {
            GateBoard.entry(gate, charter: charter, book: book, closedRuns: closedRuns, parityRuns: parityRuns)
        }

        func gap(_ id: String) -> (closed: Bool, why: String) {
            GateBoard.gap(id, charter: charter, book: book)
        }
    }

    /// `sovereign` may sign `gate`, or why not.
    private static func allowed(_ sovereign: Sovereign, gate: String) -> String? {
        sovereign.gates.contains(gate)
            ? nil : "\(sovereign.name) may not sign \(gate) (may sign: \(sovereign.gates.joined(separator: ", ")))"
    }

    private static func signOff(_ act: ProgrammeAct, sovereign: Sovereign, board: Scope) -> String? {
        guard let entry = board.entry(act.gate) else { return "the programme has no gate \(act.gate)" }
        if entry.gate.isSovereign {
            return "\(act.gate) is a run's sovereign gate: it is decided inside each run (`gatehouse approve RUN \(act.gate)`)"
        }
        if let reason = allowed(sovereign, gate: act.gate) { return reason }
        guard act.gateDigest == board.charter.definitionDigests[act.gate] else {
            return "it is bound to another definition of \(act.gate) than the programme's (signed before the file changed?)"
        }
        guard act.evidenceDigest == entry.evidenceDigest else {
            return "it is bound to evidence \(act.evidenceDigest.prefix(8)), but \(act.gate)'s is now \(entry.evidenceDigest.prefix(8)); what it rests on changed since it was signed: look again and sign again"
        }
        guard act.statement["verdict"] == .string("pass") || act.statement["verdict"] == .string("fail") else {
            return "the verdict must be pass or fail"
        }
        guard act.passes else {
            return act.reason.isBlank ? "a fail needs a reason" : nil
        }
        if entry.gate.needsRuling && entry.ruling == nil {
            return "\(act.gate) is xhigh and no ruling is recorded for it (record one first: `gatehouse ruling \(act.gate)`)"
        }
        if let blocker = entry.blockers.first {
            let more = entry.blockers.count > 1 ? " (and \(entry.blockers.count - 1) more)" : ""
            return "\(act.gate) is blocked: \(blocker.reason)\(more)"
        }
        if let own = entry.passes.first(where: { $0.act.by == act.by }) {
            return "\(act.by) signed \(act.gate) off already (#\(own.sequence)); the same sovereign counts once\(entry.status == .pass ? "" : ": it needs another sovereign's signature")"
        }
        if entry.status == .pass {
            let by = entry.passes.map(\.act.by)
            return "\(act.gate) is pass already" + (by.isEmpty ? ", as the programme records" : " (signed off by \(by.joined(separator: ", ")))")
        }
        return nil
    }

    /// `sovereign` may close or reopen `gap`: they may sign a gate that relies on it (any
    /// sovereign, when none does), or why not.
    private static func allowed(_ sovereign: Sovereign, gap: String, board: Scope) -> String? {
        let gates = board.charter.gatesRelying(onGap: gap)
        guard !gates.isEmpty, !gates.contains(where: sovereign.gates.contains) else { return nil }
        return "\(sovereign.name) may not sign any gate that relies on \(gap) (\(gates.joined(separator: ", ")))"
    }

    private static func closeGap(_ act: ProgrammeAct, sovereign: Sovereign, board: Scope, runs: (String) -> RunState?) -> String? {
        guard board.charter.gap(act.gap) != nil else { return "the programme has no gap \(act.gap)" }
        if let reason = allowed(sovereign, gap: act.gap, board: board) { return reason }
        let state = board.gap(act.gap)
        if state.closed { return "\(act.gap) is closed already (\(state.why))" }
        guard act.run != nil || !act.evidenceText.isBlank else {
            return "a closure needs evidence: a closed-out run (--run RUN) and/or a text (--evidence TEXT)"
        }
        if let id = act.run {
            guard let run = runs(id) else { return "there is no run '\(id)' in the journal" }
            guard run.outcome == .closed else {
                return "run \(run.shortID) has not closed out (\(run.outcome.map { "it \($0.word)" } ?? run.situation)); only a closed-out run is evidence"
            }
        }
        return nil
    }

    private static func reopenGap(_ act: ProgrammeAct, sovereign: Sovereign, board: Scope) -> String? {
        guard board.charter.gap(act.gap) != nil else { return "the programme has no gap \(act.gap)" }
        if let reason = allowed(sovereign, gap: act.gap, board: board) { return reason }
        guard board.gap(act.gap).closed else { return "\(act.gap) is not closed (\(board.gap(act.gap).why))" }
        return act.reason.isBlank ? "a reopening needs a reason" : nil
    }

    private static func conditionMet(_ act: ProgrammeAct, sovereign: Sovereign, board: Scope) -> String? {
        guard let entry = board.entry(act.gate) else { return "the programme has no gate \(act.gate)" }
        if let reason = allowed(sovereign, gate: act.gate) { return reason }
        guard entry.gate.requires.contains(.condition(act.condition, met: false)) else {
            let conditions = entry.gate.requires.compactMap { requirement -> String? in
                if case .condition(let text, false) = requirement { return "'\(text)'" }
                return nil
            }
            return conditions.isEmpty
                ? "\(act.gate) has no condition left to record"
                : "\(act.gate) has no condition '\(act.condition)' (its conditions: \(conditions.joined(separator: ", ")))"
        }
        if let recorded = board.book.conditions[act.gate]?[act.condition] {
            return "it is recorded as met already (#\(recorded.sequence) by \(recorded.act.by))"
        }
        return act.evidenceText.isBlank ? "a condition met needs evidence" : nil
    }

    private static func ruling(_ act: ProgrammeAct, sovereign: Sovereign, board: Scope) -> String? {
        guard let entry = board.entry(act.gate) else { return "the programme has no gate \(act.gate)" }
        guard entry.gate.needsRuling else {
            return "rulings are recorded for xhigh gates; \(act.gate) is \(entry.gate.level?.rawValue ?? "of no known level")"
        }
        if let reason = allowed(sovereign, gate: act.gate) { return reason }
        if let recorded = board.book.rulings[act.gate] {
            return "a ruling on \(act.gate) is recorded already (#\(recorded.sequence) by \(recorded.act.by))"
        }
        if let file = board.charter.fileRuling(for: act.gate) {
            return "the programme records a ruling on \(act.gate) already (by \(file.by) on \(file.date))"
        }
        guard !act.rulingText.isBlank else { return "a ruling needs its text" }
        guard act.statement["text_digest"] == .string(sha256Hex(act.rulingText)) else {
            return "the ruling's text digest does not match its text"
        }
        return nil
    }
}

extension String {
    /// Whether it is empty or only white space.
    var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
