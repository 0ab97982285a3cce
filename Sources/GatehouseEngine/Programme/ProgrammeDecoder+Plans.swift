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
        let identity = map.optional("identity").flatMap { decodeIdentity($0, of: what) }
        let preState = map.optional("pre_state").flatMap { decodePreState($0, of: what) }
        var seen: [String: Int] = [:]
        var implicit: [PlanPhase] = []
        if identity != nil {
            implicit.append(PlanPhase(id: HostStep.identityGuards.name, title: "Identity guards", action: .host(.identityGuards), mutates: false))
        }
        if preState != nil {
            implicit.append(PlanPhase(id: HostStep.preState.name, title: "Pre-state probe", action: .host(.preState), mutates: false))
        }
        for phase in implicit { seen[phase.id] = 0 }
        let phases = map.required("phases").flatMap { node -> [PlanPhase]? in
            guard let items = read.list(node, "the phases of \(what)") else { return nil }
            if items.isEmpty { read.error(node, "\(what) has no phases; list at least one") }
            return implicit + items.compactMap { item in
                guard let phase = decodePhase(item, of: what, repository: identity?.repository) else { return nil }
                if let line = seen[phase.id] {
                    let first = line == 0 ? "a step the plan's identity or pre_state adds" : "first at line \(line)"
                    read.error(item, "duplicate phase id \(NodeReader.quoted(phase.id)) in \(what) (\(first)); phase ids must be unique")
                    return nil
                }
                seen[phase.id] = read.location(item).line
                return phase
            }
        }
        guard let id, let title, let phases, !phases.isEmpty else { return nil }
        return RunPlan(id: id, title: title, phases: phases, identity: identity, preState: preState)
    }

    /// The keys a command phase may have besides `run`.
    private static let commandKeys = ["id", "title", "timeout", "mutates", "directory", "environment", "paths", "files", "revert"]

    private func decodePhase(_ node: YAMLNode, of plan: String, repository: RepositoryGuard?) -> PlanPhase? {
        guard let map = read.mapping(node, "a phase of \(plan)") else { return nil }
        defer { map.finish() }
        let kinds = [("run", map.optional("run")), ("gate", map.optional("gate")), ("tag", map.optional("tag"))]
            .compactMap { kind in kind.1.map { (kind.0, $0) } }
        if kinds.count != 1 {
            for key in Self.commandKeys { _ = map.optional(key) }
            if kinds.isEmpty {
                read.error(node, "a phase of \(plan) needs either 'run' (a shell command), 'gate' (a sovereign gate) or 'tag' (a local git tag)")
            } else {
                read.error(kinds[1].1, "a phase of \(plan) has both \(kinds.map { "'\($0.0)'" }.joined(separator: " and ")); give one")
            }
            return nil
        }
        let runNode = kinds[0].0 == "run" ? kinds[0].1 : nil
        let gateNode = kinds[0].0 == "gate" ? kinds[0].1 : nil
        if kinds[0].0 == "tag" { return decodeTagPhase(kinds[0].1, map: map, of: plan, repository: repository) }
        switch (runNode, gateNode) {
        case (nil, nil), (.some, .some):
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
            let setting = decodeCommandSetting(map, of: what)
            let revert = map.optional("revert").flatMap { decodeRevert($0, of: what) }
            guard let id, let command else { return nil }
            return PlanPhase(id: id, title: title ?? id,
                             action: .command(ShellCommand(command: command, timeoutSeconds: timeout ?? Self.defaultTimeout,
                                                           directory: setting.directory, environment: setting.environment,
                                                           paths: setting.paths, files: setting.files)),
                             mutates: mutates ?? true, revert: revert)
        }
    }
}
