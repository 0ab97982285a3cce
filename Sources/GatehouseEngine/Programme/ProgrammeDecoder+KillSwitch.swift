import GatehouseCore

/// The `kill_switch:`, `rulings:` and `run_options:` sections: what must hold before LIVE,
/// the rulings recorded for gates, and which option each plan carries out.
extension ProgrammeDecoder {
    func decodeLivePreconditions(_ node: YAMLNode) -> LivePreconditions? {
        guard let map = read.mapping(node, "'kill_switch'") else { return nil }
        defer { map.finish() }
        let gate = map.optional("gate").flatMap { reference(.gate, $0, "the gate of 'kill_switch'") }
        let gaps = map.optional("gaps_closed").flatMap { node in
            read.list(node, "'gaps_closed' of 'kill_switch'")?.compactMap { reference(.gap, $0, "a gap 'kill_switch' needs closed") }
        } ?? []
        let macros = map.optional("macros_done").flatMap { node in
            read.list(node, "'macros_done' of 'kill_switch'")?.compactMap { reference(.macro, $0, "a macro 'kill_switch' needs done") }
        } ?? []
        return LivePreconditions(gate: gate, gapsClosed: gaps, macrosDone: macros)
    }

    /// The rulings, one per gate.
    func decodeRulings(_ node: YAMLNode) -> [Ruling]? {
        guard let items = read.list(node, "'rulings'") else { return nil }
        var rulings: [Ruling] = []
        for item in items {
            guard let ruling = decodeRuling(item) else { continue }
            if rulings.contains(where: { $0.gate == ruling.gate }) {
                read.error(item, "gate '\(ruling.gate)' has two rulings; record one ruling per gate")
                continue
            }
            rulings.append(ruling)
        }
        return rulings
    }

    private func decodeRuling(_ node: YAMLNode) -> Ruling? {
        guard let map = read.mapping(node, "a ruling") else { return nil }
        defer { map.finish() }
        let gate = map.required("gate").flatMap { reference(.gate, $0, "the gate of a ruling") }
        let what = "the ruling on '\(gate ?? "?")'"
        let by = map.required("by").flatMap { read.text($0, "who made \(what)") }
        let date = map.required("date").flatMap { read.text($0, "the date of \(what)") }
        let text = map.required("text").flatMap { read.text($0, "the text of \(what)") }
        guard let gate, let by, let date, let text else { return nil }
        return Ruling(gate: gate, by: by, date: date, text: text)
    }

    func decodeRunOption(_ node: YAMLNode) -> RunOption? {
        guard let map = read.mapping(node, "a run option") else { return nil }
        defer { map.finish() }
        let plan = map.required("plan").flatMap { node -> String? in
            guard let id = read.text(node, "the plan of a run option") else { return nil }
            if id != RunPlan.productionCutID { symbols.references.append((.plan, id, node, "the plan of a run option")) }
            return id
        }
        let mode = map.optional("mode").flatMap { read.choice($0, "the mode of a run option", RunMode.self) }
        let option = map.required("option").flatMap { reference(.option, $0, "the option of a run option") }
        guard let plan, let option else { return nil }
        return RunOption(plan: plan, mode: mode, option: option)
    }
}
