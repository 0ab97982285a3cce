/// How a journaled signature stands when checked again against the sovereign the run pinned.
public enum SignatureVerdict: Sendable, Equatable, Codable {
    /// An ed25519 signature that verifies against the sovereign's pinned public key.
    case verified
    /// A stub signature that recomputes: it proves the statement, not who made it.
    case insecure
    /// The run pinned no sovereigns: any name decided, and nothing is checked.
    case unsigned
    /// The signature does not hold, and why.
    case failed(String)

    /// A few words for tables: `verified`, `INSECURE (stub)`, `unsigned`, `FAILED: ...`.
    public var label: String {
        switch self {
        case .verified: "verified"
        case .insecure: "INSECURE (stub)"
        case .unsigned: "unsigned"
        case .failed(let reason): "FAILED: \(reason)"
        }
    }

    /// Whether the verdict is a failure.
    public var isFailure: Bool {
        if case .failed = self { return true }
        return false
    }
}

/// Checks the signatures of a run's decisions and kill-switch enables again, as an auditor
/// would: against the sovereigns pinned in `run.started`, independent of the state machine
/// that accepted them.
public enum SignatureAudit {
    /// The verdict on a statement `signer` signed with `provider` for `run`.
    public static func verdict(signer: String, provider: String, signature: String,
                               statement: [String: JSONValue], run: RunState) -> SignatureVerdict {
        guard !run.start.sovereigns.isEmpty else { return .unsigned }
        guard let sovereign = run.start.sovereigns.first(where: { $0.name == signer }) else {
            return .failed("\(signer) is not a sovereign of the run")
        }
        guard sovereign.provider == provider else {
            return .failed("signed with \(provider), but \(signer) signs with \(sovereign.provider)")
        }
        guard statement["run"] == .string(run.id), statement["by"] == .string(signer) else {
            return .failed("the statement names another run or signer")
        }
        let verified = SignedStatementCheck.verifies(signature, of: statement, by: sovereign)
        switch provider {
        case StubSigning.providerName:
            return verified ? .insecure : .failed("the stub digest does not recompute")
        case Ed25519Signing.providerName, SSHSigning.providerName, OpenPGPSigning.providerName:
            return verified ? .verified : .failed("the signature does not verify against \(signer)'s public key")
        default:
            return .failed("unknown provider \(provider)")
        }
    }

    /// The verdict on a recorded decision.
    public static func verdict(_ decision: RecordedDecision, in run: RunState) -> SignatureVerdict {
        let made = decision.decision
        return verdict(signer: made.by, provider: made.provider, signature: made.signature, statement: made.statement, run: run)
    }

    /// The verdict on a recorded kill-switch enable.
    public static func verdict(_ enable: RecordedSwitchEnable, in run: RunState) -> SignatureVerdict {
        let made = enable.enable
        return verdict(signer: made.by, provider: made.provider, signature: made.signature, statement: made.statement, run: run)
    }
}
