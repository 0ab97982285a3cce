/// The checklist for enabling LIVE on a run: the programme's preconditions as the run pinned
/// them, the document policy, and the approvals the writes rest on.
///
/// The kill-switch turns on only when every line is met; the state machine refuses it
/// otherwise (``RunRefusal/preconditionsUnmet(run:unmet:)``), whoever asks.
public enum LiveChecklist {
    /// The programme's own preconditions, evaluated when a run starts and pinned in it.
    public static func programmeChecks(_ programme: Programme) -> [PreconditionCheck] {
        guard let preconditions = programme.livePreconditions else { return [] }
        var checks: [PreconditionCheck] = []
        for id in preconditions.gapsClosed {
            let gap = programme.gap(id)
            let title = gap?.title.map { " (\($0))" } ?? ""
            switch gap?.status {
            case .closed:
                checks.append(PreconditionCheck(kind: "gap", label: "\(id) closed", met: true, why: "recorded as closed in the programme"))
            case .open:
                checks.append(PreconditionCheck(kind: "gap", label: "\(id) closed", met: false,
                                                why: "\(id)\(title) is open; close it and record it in the programme"))
            case .unknown, nil:
                checks.append(PreconditionCheck(kind: "gap", label: "\(id) closed", met: false,
                                                why: "\(id)\(title) is not known to be closed"))
            }
        }
        let board = GateBoard(programme)
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
        if let gateID = preconditions.gate, let gate = programme.gate(gateID), gate.level == .xhigh {
            if let ruling = programme.ruling(for: gateID) {
                checks.append(PreconditionCheck(kind: "ruling", label: "ruling for xhigh gate \(gateID)", met: true,
                                                why: "recorded by \(ruling.by) on \(ruling.date)"))
            } else {
                checks.append(PreconditionCheck(kind: "ruling", label: "ruling for xhigh gate \(gateID)", met: false,
                                                why: "\(gateID) is xhigh and no ruling is recorded for it (add one under 'rulings')"))
            }
        }
        return checks
    }

    /// Every line for `run` as it stands: the pinned programme checks, then the document policy
    /// and the approvals before the first write.
    public static func checks(for run: RunState) -> [PreconditionCheck] {
        run.start.preconditions + [documentCheck(run), approvalsCheck(run)]
    }

    /// The lines that are not met.
    public static func unmet(_ run: RunState) -> [PreconditionCheck] {
        checks(for: run).filter { !$0.met }
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
