import GatehouseCore

/// The `plans:` section: run plans whose phases are shell commands and sovereign gates.
extension ProgrammeDecoder {
    /// The default time a command phase may take, in seconds.
    static let defaultTimeout = 600

    func decodePlan(_ node: YAMLNode) -> RunPlan? {
        guard let map = read.mapping(node, "a plan") else { return nil }
        defer { map.finish() }
        let idNode = map.required("id")
        if let idNode, idNode.string == RunPlan.productionCutID {
            read.error(idNode, "plan id '\(RunPlan.productionCutID)' is reserved for the embedded plan; choose another id")
        }
        let id = idNode.flatMap { declare(.plan, $0) }
        let what = "plan '\(id ?? "?")'"
        let title = map.required("title").flatMap { read.text($0, "the title of \(what)") }
        var seen: [String: Int] = [:]
        let phases = map.required("phases").flatMap { node -> [PlanPhase]? in
            guard let items = read.list(node, "the phases of \(what)") else { return nil }
            if items.isEmpty { read.error(node, "\(what) has no phases; list at least one") }
            return items.compactMap { item in
                guard let phase = decodePhase(item, of: what) else { return nil }
                if let line = seen[phase.id] {
                    read.error(item, "duplicate phase id \(NodeReader.quoted(phase.id)) in \(what) (first at line \(line)); phase ids must be unique")
                    return nil
                }
                seen[phase.id] = read.location(item).line
                return phase
            }
        }
        guard let id, let title, let phases, !phases.isEmpty else { return nil }
        return RunPlan(id: id, title: title, phases: phases)
    }

    private func decodePhase(_ node: YAMLNode, of plan: String) -> PlanPhase? {
        guard let map = read.mapping(node, "a phase of \(plan)") else { return nil }
        defer { map.finish() }
        let runNode = map.optional("run")
        let gateNode = map.optional("gate")
        switch (runNode, gateNode) {
        case (nil, nil):
            for key in ["id", "title", "timeout", "mutates"] { _ = map.optional(key) }
            read.error(node, "a phase of \(plan) needs either 'run' (a shell command) or 'gate' (a sovereign gate)")
            return nil
        case (.some, .some(let gateNode)):
            for key in ["id", "title", "timeout", "mutates"] { _ = map.optional(key) }
            read.error(gateNode, "a phase of \(plan) has both 'run' and 'gate'; give one")
            return nil
        case (nil, .some(let gateNode)):
            let gate = reference(.gate, gateNode, "the gate phase of \(plan)")
            let title = map.optional("title").flatMap { read.text($0, "the title of a phase of \(plan)") }
            guard let gate else { return nil }
            return PlanPhase(id: gate, title: title ?? "Sovereign gate \(gate)", action: .gate(gate), mutates: false)
        case (.some(let runNode), nil):
            let id = map.required("id").flatMap { read.identifier($0, "the id of a phase of \(plan)") }
            let what = "phase '\(id ?? "?")' of \(plan)"
            let title = map.optional("title").flatMap { read.text($0, "the title of \(what)") }
            var command = read.text(runNode, "the command of \(what)")
            if let text = command, text.allSatisfy(\.isWhitespace) {
                read.error(runNode, "the command of \(what) is empty; write the shell command to run")
                command = nil
            }
            let timeout = map.optional("timeout").flatMap { read.integer($0, "the timeout of \(what) (seconds)", in: 1...86_400) }
            let mutates = map.optional("mutates").flatMap { read.boolean($0, "'mutates' of \(what)") }
            guard let id, let command else { return nil }
            return PlanPhase(id: id, title: title ?? id,
                             action: .command(ShellCommand(command: command, timeoutSeconds: timeout ?? Self.defaultTimeout)),
                             mutates: mutates ?? true)
        }
    }
}
