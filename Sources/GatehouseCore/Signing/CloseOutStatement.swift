/// What a run's close-out signs: the run, its mode and plan, the approvals it closed out on
/// and the facts that say what it did (documents, pre- and post-state, candidates, backup).
///
/// The runner cannot hold a sovereign's key (it runs unattended, the key is in a sovereign's
/// agent or sealed under their passphrase), so the close-out is signed by the sovereign who
/// approves the last gate before it: their decision's statement carries the close-out
/// statement the run will journal (`close_out`), one signature over both. At the close-out the
/// runner journals that statement with that decision's provider and signature; `verify` checks
/// that the decision holds and that its `close_out` is the statement journaled. When that
/// decision is the stub's, or carries no close-out, the close-out is the stub's, INSECURE.
public enum CloseOutStatement {
    /// The facts the close-out signs, beside the run, its mode, its plan and its approvals.
    public static let facts: [RunFacts.Field] = [
        .document, .documentDigest, .preStateSHA, .postStateSHA, .candidatesDigest, .backupSHA256,
    ]

    /// The member of a decision's statement that carries the close-out statement.
    public static let member = "close_out"

    /// The close-out statement of `run` closed out on the approvals `approvals` (gate, sovereign).
    public static func make(run: RunState, approvals: [(gate: String, by: String)]) -> [String: JSONValue] {
        var statement: [String: JSONValue] = [
            "run": .string(run.id), "mode": .string(run.mode.rawValue), "plan": .string(run.start.plan.id),
            "approvals": .array(approvals.map { .object(["gate": .string($0.gate), "by": .string($0.by)]) }),
        ]
        for (name, value) in run.facts.values(of: facts) { statement[name] = value }
        return statement
    }

    /// The close-out statement of `run` as it stands (its approvals so far), and with the
    /// approval of `gate` by `name` when one is being signed.
    public static func make(run: RunState, approving gate: String? = nil, by name: String = "") -> [String: JSONValue] {
        let approved = run.decisions.filter(\.approved).map { ($0.decision.gate, $0.decision.by) }
        return make(run: run, approvals: approved + (gate.map { [($0, name)] } ?? []))
    }

    /// Whether `gate` is the last gate of `plan` before its close-out: the gate whose
    /// approval signs the close-out.
    public static func closesOut(_ gate: String, in plan: RunPlan) -> Bool {
        guard let index = plan.phases.firstIndex(where: { $0.action == .gate(gate) }), index + 1 < plan.phases.count else { return false }
        return plan.phases[index + 1].action == .builtin(.signAndCloseOut)
    }

    /// The approved decision whose statement carries `run`'s close-out, if there is one.
    public static func signingDecision(of run: RunState) -> GateDecision? {
        run.decisions.last { $0.approved && closesOut($0.decision.gate, in: run.start.plan) }?.decision
    }

    /// How `run`'s journaled close-out stands: verified when it is the statement its signing
    /// decision carries and that decision's signature holds; INSECURE when it is the stub's;
    /// nil when the run has not closed out.
    public static func verdict(of run: RunState) -> SignatureVerdict? {
        guard let statement = run.facts.closeoutStatement, let provider = run.facts.closeoutProvider,
              let signature = run.facts.closeoutSignature else { return nil }
        if provider == StubSigning.providerName {
            return StubSigning.verify(signature, of: statement) ? .insecure : .failed("the close-out's stub digest does not recompute")
        }
        guard let decision = signingDecision(of: run) else {
            return .failed("the close-out is signed with \(provider) but no approval of the run carries it")
        }
        guard decision.provider == provider, decision.signature == signature,
              decision.statement[member] == .object(statement) else {
            return .failed("the close-out is not the statement \(decision.gate)'s approval by \(decision.by) signed")
        }
        return SignatureAudit.verdict(signer: decision.by, provider: decision.provider, signature: decision.signature,
                                      statement: decision.statement, run: run)
    }
}
