/// Whether a sovereign's decision holds for a run as it stands: the signer, their right to
/// this gate, the signature, and every value the statement binds.
enum DecisionCheck {
    /// Why `decision` must be refused, or nil when it holds. A run that pinned no sovereigns
    /// (a programme without any) accepts any name, as its decisions are only stub-signed.
    static func refusal(_ decision: GateDecision, approve: Bool, run: RunState, time: Int64) -> RunRefusal? {
        func refuse(_ reason: String) -> RunRefusal { .approvalInvalid(run: run.id, gate: decision.gate, reason: reason) }
        let sovereigns = run.start.sovereigns
        guard !sovereigns.isEmpty else { return nil }
        guard let sovereign = sovereigns.first(where: { $0.name == decision.by }) else {
            return refuse("'\(decision.by)' is not a sovereign of this run (sovereigns: \(sovereigns.map(\.name).joined(separator: ", ")))")
        }
        guard sovereign.gates.contains(decision.gate) else {
            return refuse("\(sovereign.name) may not sign \(decision.gate) (may sign: \(sovereign.gates.joined(separator: ", ")))")
        }
        guard decision.provider == sovereign.provider else {
            return refuse("signed with provider '\(decision.provider)', but \(sovereign.name) signs with '\(sovereign.provider)'")
        }
        let statement = decision.statement
        let verified: Bool
        switch sovereign.provider {
        case StubSigning.providerName:
            verified = StubSigning.verify(decision.signature, of: statement)
        case Ed25519Signing.providerName:
            verified = sovereign.publicKey.map { Ed25519Signing.verify(decision.signature, of: statement, publicKey: $0) } ?? false
        default:
            verified = false
        }
        guard verified else {
            return refuse("the signature does not verify against \(sovereign.name)'s key (a wrong key, or the statement was altered)")
        }
        guard statement["run"] == .string(run.id) else {
            return refuse("the statement was signed for run \(statement["run"]?.stringValue ?? "?"), not this one (a replay?)")
        }
        guard statement["gate"] == .string(decision.gate), statement["decision"] == .string(approve ? "approve" : "reject"),
              statement["by"] == .string(decision.by) else {
            return refuse("the statement's gate, decision or signer differ from the decision made")
        }
        for key in ApprovalStatement.boundFacts {
            guard let current = run.facts[key] else { continue }
            guard statement[key] == current else {
                let signed = statement[key]?.stringValue.map { String($0.prefix(12)) + "…" } ?? "nothing"
                return refuse("it is bound to \(key) \(signed), but the run's is \(current.stringValue.map { String($0.prefix(12)) + "…" } ?? "?"); the content changed since it was signed")
            }
        }
        if approve && run.start.rules.twoPersonRule,
           let other = run.decisions.first(where: { $0.approved && $0.decision.by == decision.by && $0.decision.gate != decision.gate }) {
            return refuse("the two-person rule: \(decision.by) already approved \(other.decision.gate) of this run")
        }
        if approve && !run.start.rules.operatorMayApprove && decision.by == run.start.operatorName {
            return refuse("\(decision.by) started this run and may not approve it")
        }
        if let limit = run.start.rules.expirySeconds[decision.gate] {
            guard let signedAt = statement["signed_at_ms"]?.intValue else { return refuse("the statement carries no signing time") }
            if time - signedAt > Int64(limit) * 1000 {
                return refuse("it was signed \((time - signedAt) / 1000) s ago; decisions on \(decision.gate) expire after \(limit) s")
            }
        }
        return nil
    }
}
