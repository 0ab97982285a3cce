/// What a sovereign signs to turn the kill-switch on: the run, the phrase they typed, and the
/// values the run's writes rest on, so that it cannot be moved to another run or changed content.
public enum SwitchStatement {
    /// The `action` a kill-switch statement carries; an approval statement carries none.
    public static let action = "killswitch.enable"

    /// The phrase a person types to turn the switch on for `run`: `ENABLE LIVE <short id>`.
    public static func phrase(for run: RunState) -> String { "ENABLE LIVE \(run.shortID)" }

    /// The statement for enabling LIVE on `run` as it stands.
    public static func make(run: RunState, by name: String, signedAt: Int64, nonce: String) -> [String: JSONValue] {
        var statement: [String: JSONValue] = [
            "action": .string(action), "run": .string(run.id), "by": .string(name), "mode": .string(run.mode.rawValue),
            "phrase": .string(phrase(for: run)), "signed_at_ms": .int(signedAt), "nonce": .string(nonce),
        ]
        for (name, value) in ApprovalStatement.boundValues(of: run) { statement[name] = value }
        return statement
    }
}
