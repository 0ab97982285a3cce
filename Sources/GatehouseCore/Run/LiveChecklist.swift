/// The checklist for enabling LIVE on a run: the programme's preconditions as the run pinned
/// them, the document policy, and the approvals the writes rest on.
///
/// The kill-switch turns on only when every line is met; the state machine refuses it
/// otherwise (``RunRefusal/preconditionsUnmet(run:unmet:)``), whoever asks.
public enum LiveChecklist {
    /// The programme's own preconditions as its file records them (what a run pins when it
    /// starts, for a journal that holds no charter of it).
    public static func programmeChecks(_ programme: Programme) -> [PreconditionCheck] {
        programmeChecks(GateBoard(programme))
    }

    /// The programme's own preconditions on `board`: its gaps, macros and ruling as the
    /// journal records them over the file.
    public static func programmeChecks(_ board: GateBoard) -> [PreconditionCheck] {
        guard let preconditions = board.charter.livePreconditions else { return [] }
        var checks: [PreconditionCheck] = []
        for id in preconditions.gapsClosed {
            let gap = board.charter.gap(id)
            let title = gap?.title.map { " (\($0))" } ?? ""
            let state = board.gap(id)
            if gap == nil {
                checks.append(PreconditionCheck(kind: "gap", label: "\(id) closed", met: false, why: "the programme has no gap \(id)"))
            } else if state.closed {
                checks.append(PreconditionCheck(kind: "gap", label: "\(id) closed", met: true, why: state.why))
            } else {
                checks.append(PreconditionCheck(kind: "gap", label: "\(id) closed", met: false,
                                                why: "\(id)\(title) is \(state.why) (close it: gatehouse gap close \(id))"))
            }
        }
        for id in preconditions.macrosDone {
            guard let entry = board.macros.first(where: { $0.macro.id == id }) else {
                checks.append(PreconditionCheck(kind: "macro", label: "macro \(id) done", met: false, why: "the programme has no macro \(id)"))
                continue
            }
            if entry.isClear {
                let gates = entry.needs.map(\.id).joined(separator: ", ")
                checks.append(PreconditionCheck(kind: "macro", label: "macro \(id) done", met: true,
                                                why: entry.needs.isEmpty ? "it needs no gate" : "\(gates) passed"))
            } else {
                let open = entry.needs.filter { $0.status != .pass }
                    .map { "\($0.id) is \($0.status?.rawValue ?? "unknown")" }.joined(separator: ", ")
                checks.append(PreconditionCheck(kind: "macro", label: "macro \(id) done", met: false, why: "\(open), not pass"))
            }
        }
        if let gateID = preconditions.gate, let entry = board.entry(gateID), entry.gate.needsRuling {
            let label = "ruling for xhigh gate \(gateID)"
            if let recorded = board.book.rulings[gateID] {
                checks.append(PreconditionCheck(kind: "ruling", label: label, met: true,
                                                why: "recorded by \(recorded.act.by) at #\(recorded.sequence)"))
            } else if let ruling = board.charter.fileRuling(for: gateID) {
                checks.append(PreconditionCheck(kind: "ruling", label: label, met: true, why: "recorded by \(ruling.by) on \(ruling.date)"))
            } else {
                checks.append(PreconditionCheck(kind: "ruling", label: label, met: false,
                                                why: "none recorded yet: gatehouse ruling \(gateID)"))
            }
        }
        return checks
    }

    /// Every line for `run` as it stands: the programme checks, then the document policy and
    /// the approvals before the first write.
    ///
    /// The programme checks are read from `programme` at this instant when the journal holds
    /// the charter of the file the run started from (so a gap closed at the terminal counts);
    /// else they are the ones the run pinned when it started.
    public static func checks(for run: RunState, programme: ProgrammeLedger) -> [PreconditionCheck] {
        programmeChecks(for: run, programme: programme) + [documentCheck(run), approvalsCheck(run)]
    }

    /// How the programme's lines of ``checks(for:programme:)`` were had, in words: read from the
    /// journal now, or pinned when the run started.
    public static func source(for run: RunState, programme: ProgrammeLedger) -> String {
        readsTheJournal(run, programme: programme) ? "the programme's, as the journal records them now" : "the programme's, pinned when the run started"
    }

    /// Whether the programme's lines are read from the journal at this instant.
    public static func readsTheJournal(_ run: RunState, programme: ProgrammeLedger) -> Bool {
        charter(for: run, programme: programme) != nil
    }

    /// The charter a LIVE run's programme lines are read on: the one the journal pinned for
    /// the file the run started from, if it holds it.
    private static func charter(for run: RunState, programme: ProgrammeLedger) -> ProgrammeCharter? {
        guard run.mode == .live, let digest = run.start.programmeDigest else { return nil }
        return programme.charters[digest]
    }

    /// The programme checks of ``checks(for:programme:)``.
    public static func programmeChecks(for run: RunState, programme: ProgrammeLedger) -> [PreconditionCheck] {
        guard let charter = charter(for: run, programme: programme) else { return run.start.preconditions }
        return programmeChecks(programme.board(charter))
    }

    /// The lines that are not met.
    public static func unmet(_ run: RunState, programme: ProgrammeLedger) -> [PreconditionCheck] {
        checks(for: run, programme: programme).filter { !$0.met }
    }

    /// POLICY-OPT-5: a signature-critical document is cut LIVE only under a real signing provider.
    static func documentCheck(_ run: RunState) -> PreconditionCheck {
        let label = "document policy"
        let selects = run.start.plan.phases.contains { $0.action == .builtin(.selectDocument) }
        guard selects else {
            return PreconditionCheck(kind: "document", label: label, met: true, why: "the plan cuts no document")
        }
        guard let critical = run.facts.signatureCritical else {
            return PreconditionCheck(kind: "document", label: label, met: false, why: "the document is not selected yet")
        }
        let document = run.start.document ?? "the document"
        guard critical else {
            return PreconditionCheck(kind: "document", label: label, met: true,
                                     why: "\(document) is not signature-critical; \(run.start.signing) signing is allowed")
        }
        if run.start.signing == StubSigning.providerName {
            return PreconditionCheck(kind: "document", label: label, met: false,
                                     why: "\(document) is signature-critical and this run signs with the stub (INSECURE); it needs a real provider (ed25519 sovereigns)")
        }
        return PreconditionCheck(kind: "document", label: label, met: true,
                                 why: "\(document) is signature-critical and this run signs with \(run.start.signing)")
    }

    /// Every sovereign gate before the run's first write must be approved.
    static func approvalsCheck(_ run: RunState) -> PreconditionCheck {
        let label = "approvals present"
        let firstWrite = run.start.plan.phases.firstIndex(where: \.mutates) ?? run.start.plan.phases.count
        let gates = run.start.plan.phases[..<firstWrite].compactMap(\.gate)
        guard !gates.isEmpty else {
            return PreconditionCheck(kind: "approvals", label: label, met: true, why: "no sovereign gate comes before the first write")
        }
        var approved: [String] = []
        for gate in gates {
            guard let decision = run.approval(of: gate) else {
                return PreconditionCheck(kind: "approvals", label: label, met: false, why: "\(gate) is not approved yet")
            }
            let insecure = decision.decision.provider == StubSigning.providerName ? ", INSECURE" : ""
            approved.append("\(gate) by \(decision.decision.by) (\(decision.decision.provider)\(insecure))")
        }
        return PreconditionCheck(kind: "approvals", label: label, met: true, why: approved.joined(separator: "; "))
    }
}
