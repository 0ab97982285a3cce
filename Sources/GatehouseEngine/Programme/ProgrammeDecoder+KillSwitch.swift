import GatehouseCore
import Yams

/// The `kill_switch:` and `rulings:` sections: what must hold before LIVE, and the rulings
/// recorded for gates.
extension ProgrammeDecoder {
    func decodeLivePreconditions(_ node: Node) -> LivePreconditions? {
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
    func decodeRulings(_ node: Node) -> [Ruling]? {
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

    private func decodeRuling(_ node: Node) -> Ruling? {
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
}
