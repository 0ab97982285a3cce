/// A plan as journaled in its run's `run.started` event, so a resumed run walks the same phases
/// even if the programme file changed since.
extension RunPlan {
    /// The plan as a JSON value.
    public var json: JSONValue {
        .object([
            "id": .string(id), "title": .string(title),
            "phases": .array(phases.map(\.json)),
        ])
    }

    /// The plan a `json` value describes, or nil if it is not one.
    public init?(json: JSONValue) {
        guard let id = json["id"]?.stringValue, let title = json["title"]?.stringValue,
              let items = json["phases"]?.arrayValue else { return nil }
        var phases: [PlanPhase] = []
        for item in items {
            guard let phase = PlanPhase(json: item) else { return nil }
            phases.append(phase)
        }
        self.init(id: id, title: title, phases: phases)
    }
}

extension PlanPhase {
    /// The phase as a JSON value.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "title": .string(title), "mutates": .bool(mutates),
        ]
        switch action {
        case .builtin(let step): members["builtin"] = .string(step.rawValue)
        case .command(let command):
            members["run"] = .string(command.command)
            members["timeout_s"] = .int(Int64(command.timeoutSeconds))
        case .gate(let gate): members["gate"] = .string(gate)
        }
        return .object(members)
    }

    /// The phase a `json` value describes, or nil if it is not one.
    public init?(json: JSONValue) {
        guard let id = json["id"]?.stringValue, let title = json["title"]?.stringValue,
              let mutates = json["mutates"]?.boolValue else { return nil }
        let action: PhaseAction
        if let step = json["builtin"]?.stringValue.flatMap(BuiltinStep.init(rawValue:)) {
            action = .builtin(step)
        } else if let command = json["run"]?.stringValue, let timeout = json["timeout_s"]?.intValue {
            action = .command(ShellCommand(command: command, timeoutSeconds: Int(timeout)))
        } else if let gate = json["gate"]?.stringValue {
            action = .gate(gate)
        } else {
            return nil
        }
        self.init(id: id, title: title, action: action, mutates: mutates)
    }
}
