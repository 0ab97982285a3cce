/// The JSON form of `gatehouse status` (see docs/json-output.md).
extension StatusExport {
    /// The runs of a journal, each with its runner as the journal and `seen` (by run) tell it.
    public static func json(_ ledger: RunLedger, seen: [String: RunnerPresence] = [:]) -> JSONValue {
        .object([
            "format_version": .int(1),
            "kill_switch": .object(["on": .bool(ledger.killSwitchHolder != nil),
                                    "run": ledger.killSwitchHolder.map(JSONValue.string) ?? .null]),
            "runs": .array(ledger.newestFirst.map { summary($0, seen: seen[$0.id]) }),
            "anomalies": .int(Int64(ledger.anomalies.count)),
        ])
    }

    /// One run, in a line of the list.
    static func summary(_ state: RunState, seen: RunnerPresence?) -> JSONValue {
        let runner = state.runner(seen: seen)
        return .object([
            "id": .string(state.id), "mode": .string(state.mode.rawValue), "plan": .string(state.start.plan.id),
            "document": state.start.document.map(JSONValue.string) ?? .null, "status": .string(state.situation(runner: runner)),
            "runner": runner.map(json) ?? .null,
            "outcome": state.outcome.map { .string($0.word) } ?? .null, "started_ms": .int(state.startedAt),
            "kill_switch": .bool(state.switchOn),
        ])
    }

    /// A run's runner: `alive`, `gone` or `unknown`, and who it is (or was), when known.
    static func json(_ runner: RunnerPresence) -> JSONValue {
        .object(["state": .string(runner.word), "host": runner.identity.map { .string($0.host) } ?? .null,
                 "pid": runner.identity.map { .int(Int64($0.pid)) } ?? .null])
    }

    /// One run in detail, with its runner as the journal and `seen` (its lock) tell it.
    public static func json(_ state: RunState, seen: RunnerPresence? = nil) -> JSONValue {
        guard case .object(var members) = summary(state, seen: seen) else { return .null }
        members["format_version"] = .int(1)
        members["operator"] = .string(state.start.operatorName)
        members["phases"] = .array(state.phases.map { record in
            .object([
                "id": .string(record.phase.id), "title": .string(record.phase.title),
                "state": .string(record.status.rawValue), "mutates": .bool(record.phase.mutates),
                "started_ms": record.startedAt.map(JSONValue.int) ?? .null,
                "ended_ms": record.endedAt.map(JSONValue.int) ?? .null,
                "attempts": .int(Int64(record.attempts)), "note": record.note.map(JSONValue.string) ?? .null,
            ])
        })
        members["facts"] = .object(state.facts.json)
        members["fingerprint"] = state.start.fingerprint?.json ?? .null
        members["plan_digest"] = .string(state.start.planDigest)
        members["resumes_after_end"] = .array(state.resumeChecks.map {
            var check = $0.check.json
            if case .object(var fields) = check {
                fields["sequence"] = .int($0.sequence)
                fields["target_unchanged"] = $0.check.targetUnchanged.map(JSONValue.bool) ?? .null
                check = .object(fields)
            }
            return check
        })
        members["decisions"] = .array(state.decisions.map {
            .object(["gate": .string($0.decision.gate), "approved": .bool($0.approved), "by": .string($0.decision.by),
                     "reason": .string($0.decision.reason), "provider": .string($0.decision.provider),
                     "sequence": .int($0.sequence)])
        })
        members["refusals"] = .array(state.refusals.map {
            .object(["attempted": .string($0.attempted), "code": .string($0.code), "message": .string($0.message),
                     "actor": .string($0.actor), "sequence": .int($0.sequence)])
        })
        return .object(members)
    }
}
