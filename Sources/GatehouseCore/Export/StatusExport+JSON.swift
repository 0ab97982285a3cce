/// The JSON form of `gatehouse status` (see docs/json-output.md).
extension StatusExport {
    /// The runs of a journal.
    public static func json(_ ledger: RunLedger) -> JSONValue {
        .object([
            "format_version": .int(1),
            "kill_switch": .object(["on": .bool(ledger.killSwitchHolder != nil),
                                    "run": ledger.killSwitchHolder.map(JSONValue.string) ?? .null]),
            "runs": .array(ledger.newestFirst.map { summary($0) }),
            "anomalies": .int(Int64(ledger.anomalies.count)),
        ])
    }

    /// One run, in a line of the list.
    static func summary(_ state: RunState) -> JSONValue {
        .object([
            "id": .string(state.id), "mode": .string(state.mode.rawValue), "plan": .string(state.start.plan.id),
            "document": state.start.document.map(JSONValue.string) ?? .null, "status": .string(state.situation),
            "outcome": state.outcome.map { .string($0.word) } ?? .null, "started_ms": .int(state.startedAt),
            "kill_switch": .bool(state.switchOn),
        ])
    }

    /// One run in detail.
    public static func json(_ state: RunState) -> JSONValue {
        guard case .object(var members) = summary(state) else { return .null }
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
