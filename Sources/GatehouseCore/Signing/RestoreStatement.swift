/// What a sovereign signs to put a run's target back from its backup: the run, the phrase
/// they typed, and the backup's digests, so that it cannot be moved to another run or to
/// another file.
public enum RestoreStatement {
    /// The `action` a restore statement carries.
    public static let action = "target.restore"

    /// The phrase a person types to restore `run`'s backup: `RESTORE <short id>`.
    public static func phrase(for run: RunState) -> String { "RESTORE \(run.shortID)" }

    /// The statement for restoring `run`'s backup as journaled, with the phrase `typed` as
    /// the person typed it (the state machine refuses one that is not ``phrase(for:)``).
    public static func make(run: RunState, by name: String, typed: String, signedAt: Int64, nonce: String) -> [String: JSONValue] {
        var statement: [String: JSONValue] = [
            "action": .string(action), "run": .string(run.id), "by": .string(name), "phrase": .string(typed),
            "signed_at_ms": .int(signedAt), "nonce": .string(nonce),
        ]
        if let path = run.facts.backupPath { statement["backup"] = .string(path) }
        if let sha = run.facts.backupSHA256 { statement["backup_sha256"] = .string(sha) }
        for (name, value) in ApprovalStatement.boundValues(of: run) { statement[name] = value }
        return statement
    }
}
