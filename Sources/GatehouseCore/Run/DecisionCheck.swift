/// Whether a sovereign's decision holds for a run as it stands: the signer, their right to
/// this gate, the signature, and every value the statement binds.
enum DecisionCheck {
    /// Why `decision` must be refused, or nil when it holds. A run that pinned no sovereigns
    /// (a programme without any) accepts any name, as its decisions are only stub-signed.
    static func refusal(_ decision: GateDecision, approve: Bool, run: RunState, time: Int64) -> RunRefusal? {
        func refuse(_ reason: String) -> RunRefusal { .approvalInvalid(run: run.id, gate: decision.gate, reason: reason) }
        guard !run.start.sovereigns.isEmpty else { return nil }
        let sovereign: Sovereign
        switch SignedStatementCheck.sovereign(decision.by, of: run) {
        case .failure(let reason): return refuse(reason.text)
        case .success(let found): sovereign = found
        }
        guard sovereign.gates.contains(decision.gate) else {
            return refuse("\(sovereign.name) may not sign \(decision.gate) (may sign: \(sovereign.gates.joined(separator: ", ")))")
        }
        let statement = decision.statement
        if let reason = SignedStatementCheck.failure(sovereign: sovereign, provider: decision.provider,
                                                     signature: decision.signature, statement: statement, run: run) {
            return refuse(reason)
        }
        guard statement["action"] == nil, statement["gate"] == .string(decision.gate),
              statement["decision"] == .string(approve ? "approve" : "reject") else {
            return refuse("the statement's gate or decision differ from the decision made")
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

/// Whether a signed kill-switch enable holds for a run as it stands.
enum SwitchEnableCheck {
    /// Why `enable` must be refused, or nil when it holds. Any sovereign of the run may sign it;
    /// a run that pinned no sovereigns accepts any name (stub-signed).
    static func refusal(_ enable: SwitchEnable, run: RunState) -> RunRefusal? {
        func refuse(_ reason: String) -> RunRefusal { .switchEnableInvalid(run: run.id, reason: reason) }
        guard !run.start.sovereigns.isEmpty else { return nil }
        let sovereign: Sovereign
        switch SignedStatementCheck.sovereign(enable.by, of: run) {
        case .failure(let reason): return refuse(reason.text)
        case .success(let found): sovereign = found
        }
        if let reason = SignedStatementCheck.failure(sovereign: sovereign, provider: enable.provider,
                                                     signature: enable.signature, statement: enable.statement, run: run) {
            return refuse(reason)
        }
        guard enable.statement["action"] == .string(SwitchStatement.action),
              enable.statement["phrase"] == .string(SwitchStatement.phrase(for: run)) else {
            return refuse("the statement is not an enable of this run (its action or typed phrase differ)")
        }
        if !run.start.rules.operatorMayApprove && enable.by == run.start.operatorName {
            return refuse("\(enable.by) started this run and may not turn LIVE on for it")
        }
        return nil
    }
}

/// Whether a restore holds for a run as it stands: a signed decision to restore this run's
/// backup, with the phrase typed right.
enum RestoreCheck {
    /// Why `restore` must be refused, or nil when it holds. Any sovereign of the run may sign
    /// it; a run that pinned no sovereigns takes any name's stub-signed decision, still with
    /// the phrase typed right.
    static func refusal(_ restore: TargetRestore, run: RunState) -> RunRefusal? {
        func refuse(_ reason: String) -> RunRefusal { .restoreInvalid(run: run.id, reason: reason) }
        guard let decision = restore.decision else {
            return refuse("it carries no signed decision; a sovereign signs one (`gatehouse restore \(run.shortID) --as SOVEREIGN`)")
        }
        guard decision.by == restore.by else { return refuse("it was signed by \(decision.by) but done by \(restore.by)") }
        let statement = decision.statement
        guard statement["action"] == .string(RestoreStatement.action) else {
            return refuse("the statement is not a restore (its action is \(statement["action"]?.stringValue ?? "missing"))")
        }
        guard statement["phrase"] == .string(RestoreStatement.phrase(for: run)) else {
            return refuse("the phrase typed was '\(statement["phrase"]?.stringValue ?? "")', not '\(RestoreStatement.phrase(for: run))'")
        }
        guard statement["backup_sha256"] == .string(restore.sha256), restore.sha256 == run.facts.backupSHA256,
              restore.backup == run.facts.backupPath else {
            return refuse("the decision and the restore are not of the backup the run took (\(run.facts.backupPath ?? "none"))")
        }
        if run.start.sovereigns.isEmpty {
            return StubSigning.verify(decision.signature, of: statement) && decision.provider == StubSigning.providerName
                ? nil : refuse("the signature does not verify (the statement was altered)")
        }
        let sovereign: Sovereign
        switch SignedStatementCheck.sovereign(decision.by, of: run) {
        case .failure(let reason): return refuse(reason.text)
        case .success(let found): sovereign = found
        }
        if let reason = SignedStatementCheck.failure(sovereign: sovereign, provider: decision.provider,
                                                     signature: decision.signature, statement: statement, run: run) {
            return refuse(reason)
        }
        return nil
    }
}

/// What every signed statement must satisfy: a sovereign of the run, their provider, a
/// signature that verifies, this run, and the run's bound values as they stand.
enum SignedStatementCheck {
    /// Why a statement fails, as a value `Result` can carry.
    struct Reason: Error {
        var text: String
    }

    /// The sovereign of `run` called `name`.
    static func sovereign(_ name: String, of run: RunState) -> Result<Sovereign, Reason> {
        let sovereigns = run.start.sovereigns
        guard let sovereign = sovereigns.first(where: { $0.name == name }) else {
            return .failure(Reason(text: "'\(name)' is not a sovereign of this run (sovereigns: \(sovereigns.map(\.name).joined(separator: ", ")))"))
        }
        return .success(sovereign)
    }

    /// Whether `signature` over `statement` verifies under `sovereign`'s provider and pinned
    /// key; over `canonical`, the statement's canonical JSON as journaled, when given (the same
    /// bytes without encoding them again: canonical JSON reads back as what it encodes).
    static func verifies(_ signature: String, of statement: [String: JSONValue], canonical: String?, by sovereign: Sovereign) -> Bool {
        guard let canonical else { return verifies(signature, of: statement, by: sovereign) }
        // Every provider signs the same bytes: a domain line, then the canonical JSON.
        switch sovereign.provider {
        case StubSigning.providerName: return StubSigning.verify(signature, canonical: canonical)
        case Ed25519Signing.providerName:
            return sovereign.publicKey.map { Ed25519Signing.verify(signature, canonical: canonical, publicKey: $0) } ?? false
        case SSHSigning.providerName:
            return sovereign.publicKey.map { SSHSigning.verify(signature, canonical: canonical, publicKey: $0) } ?? false
        case OpenPGPSigning.providerName:
            return OpenPGPSigning.verify(signature, canonical: canonical, by: sovereign)
        default: return false
        }
    }

    /// Whether `signature` over `statement` verifies under `sovereign`'s provider and pinned key.
    static func verifies(_ signature: String, of statement: [String: JSONValue], by sovereign: Sovereign) -> Bool {
        verifies(signature, of: statement, canonical: JSONValue.object(statement).canonical, by: sovereign)
    }

    /// Why the statement must be refused, or nil when its signature and bound values hold.
    static func failure(sovereign: Sovereign, provider: String, signature: String,
                        statement: [String: JSONValue], run: RunState) -> String? {
        guard provider == sovereign.provider else {
            return "signed with provider '\(provider)', but \(sovereign.name) signs with '\(sovereign.provider)'"
        }
        guard verifies(signature, of: statement, by: sovereign) else {
            return "the signature does not verify against \(sovereign.name)'s key (a wrong key, or the statement was altered)"
        }
        guard statement["run"] == .string(run.id) else {
            return "the statement was signed for run \(statement["run"]?.stringValue ?? "?"), not this one (a replay?)"
        }
        guard statement["by"] == .string(sovereign.name) else {
            return "the statement names signer \(statement["by"]?.stringValue ?? "nobody"), not \(sovereign.name)"
        }
        for (key, current) in ApprovalStatement.boundValues(of: run) where statement[key] != current {
            let signed = statement[key]?.stringValue.map { String($0.prefix(12)) + "…" } ?? "nothing"
            let now = current.stringValue.map { String($0.prefix(12)) + "…" } ?? "?"
            return "it is bound to \(key) \(signed), but the run's is \(now); the content changed since it was signed"
        }
        return nil
    }
}
