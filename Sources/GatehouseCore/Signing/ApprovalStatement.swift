/// What a sovereign's decision signs: the run, the gate, the decision and the values it rests
/// on, so that it cannot be moved to another run, another gate or changed content.
public enum ApprovalStatement {
    /// The statement for a decision on `gate` of `run`, bound to the run's facts as they stand
    /// (pre-state SHA, candidates digest, document digest) and the programme it started from;
    /// an approval of the last gate before the close-out also carries the close-out statement.
    public static func make(run: RunState, gate: String, approve: Bool, by name: String, reason: String,
                            signedAt: Int64, nonce: String) -> [String: JSONValue] {
        var statement: [String: JSONValue] = [
            "run": .string(run.id), "gate": .string(gate), "decision": .string(approve ? "approve" : "reject"),
            "by": .string(name), "reason": .string(reason), "signed_at_ms": .int(signedAt), "nonce": .string(nonce),
            "mode": .string(run.mode.rawValue),
        ]
        for (name, value) in boundValues(of: run) { statement[name] = value }
        // The approval of the last gate signs the close-out it leads to (see CloseOutStatement).
        if approve && CloseOutStatement.closesOut(gate, in: run.start.plan) {
            statement[CloseOutStatement.member] = .object(CloseOutStatement.make(run: run, approving: gate, by: name))
        }
        return statement
    }

    /// The run facts a decision is bound to.
    static let boundFacts: [RunFacts.Field] = [.preStateSHA, .candidatesDigest, .documentDigest]

    /// What a decision or a kill-switch enable on `run` binds, by name: the bound facts recorded
    /// so far, the programme file's digest and the command-review package's.
    public static func boundValues(of run: RunState) -> [(name: String, value: JSONValue)] {
        var bound = run.facts.values(of: boundFacts)
        if let digest = run.start.programmeDigest { bound.append(("programme_digest", .string(digest))) }
        if let package = run.start.package { bound.append(("package_digest", .string(package.digest))) }
        return bound
    }

    /// The bytes a provider signs: a domain line, then the canonical JSON.
    public static func signedBytes(_ statement: [String: JSONValue]) -> [UInt8] {
        signedBytes(canonical: JSONValue.object(statement).canonical)
    }

    /// The bytes a provider signs for the statement whose canonical JSON is `canonical`.
    public static func signedBytes(canonical: String) -> [UInt8] {
        Array(("gatehouse-approval-v1\n" + canonical).utf8)
    }
}
