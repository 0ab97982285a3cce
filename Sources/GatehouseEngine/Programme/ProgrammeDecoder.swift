import GatehouseCore

/// Turns a programme file's node tree into a `Programme`, checking every rule of
/// `docs/programme-format.md`: required and unknown keys, types, ranges, duplicate ids and
/// references to axes, options, gates and gaps that do not exist.
struct ProgrammeDecoder {
    let read: NodeReader
    let symbols = Symbols()
    /// The programme file's folder, which a file it names (an OpenPGP key) is read from; nil
    /// for a programme that is not a file.
    let directory: String?

    /// The ids declared so far and the references made, checked once the whole file is read.
    final class Symbols {
        /// Every id declared, by kind, with where it was first declared.
        var declared: [IDKind: [String: SourceLocation]] = [:]
        /// Every reference made.
        var references: [(kind: IDKind, id: String, node: YAMLNode, what: String)] = []
    }

    enum IDKind: String {
        case axis, option, gate, gap, macro, policy, plan, sovereign
    }

    init(diagnostics: Diagnostics, directory: String? = nil) {
        read = NodeReader(diagnostics: diagnostics)
        self.directory = directory
    }

    /// The programme, or nil when any error was recorded.
    func decode(_ root: YAMLNode) -> Programme? {
        guard let top = read.mapping(root, "the programme file") else { return nil }
        let info = top.required("programme").flatMap { decodeInfo($0) }
        let analysis = top.required("analysis").flatMap { decodeAnalysis($0) }
        let axes = top.required("axes").flatMap { items("axes", $0, min: 1) { decodeAxis($0) } }
        let options = top.required("options").flatMap { node in
            items("options", node, min: 1) { decodeOption($0, axes: axes ?? []) }
        }
        let gates = top.required("gates").flatMap { items("gates", $0, min: 1) { decodeGate($0) } }
        let gaps = top.optional("gaps").flatMap { items("gaps", $0) { decodeGap($0) } } ?? []
        let macros = top.optional("macros").flatMap { items("macros", $0) { decodeMacro($0) } } ?? []
        let policies = top.optional("policies").flatMap { items("policies", $0) { decodePolicy($0) } } ?? []
        let recommendation = top.optional("recommendation").flatMap { decodeRecommendation($0) }
            ?? Recommendation(highGates: nil, xhighGates: nil)
        let plans = top.optional("plans").flatMap { items("plans", $0) { decodePlan($0) } } ?? []
        let sovereigns = top.optional("sovereigns").flatMap { items("sovereigns", $0) { decodeSovereign($0) } } ?? []
        let approvalRules = top.optional("approvals").flatMap { decodeApprovalRules($0) } ?? ApprovalRules()
        let livePreconditions = top.optional("kill_switch").flatMap { decodeLivePreconditions($0) }
        let rulings = top.optional("rulings").flatMap { decodeRulings($0) } ?? []
        let runOptions = top.optional("run_options").flatMap { items("run_options", $0) { decodeRunOption($0) } } ?? []
        let backup = top.optional("backup").flatMap { decodeBackup($0) }
        top.finish()
        checkReferences()
        if let gates { checkCycles(gates) }

        guard read.diagnostics.errors.isEmpty, let info, let analysis, let axes, let options, let gates else {
            return nil
        }
        return Programme(info: info, analysis: analysis, axes: axes, options: options, gates: gates,
                         gaps: gaps, macros: macros, policies: policies, recommendation: recommendation, plans: plans,
                         sovereigns: sovereigns, approvalRules: approvalRules, livePreconditions: livePreconditions,
                         rulings: rulings, runOptions: runOptions, backupRecipients: backup?.recipients ?? [],
                         backupDrillRequired: backup?.drillRequired ?? false)
    }

    // MARK: - Sections

    private func decodeInfo(_ node: YAMLNode) -> ProgrammeInfo? {
        guard let map = read.mapping(node, "'programme'") else { return nil }
        defer { map.finish() }
        let id = map.required("id").flatMap { read.identifier($0, "the programme's id") }
        let title = map.required("title").flatMap { read.text($0, "the programme's title") }
        let document = map.optional("document").flatMap { read.knownText($0, "the programme's document") }
        let part = map.optional("part").flatMap { read.knownText($0, "the programme's part") }
        let date = map.optional("date").flatMap { read.knownText($0, "the programme's date") }
        guard let id, let title else { return nil }
        return ProgrammeInfo(id: id, title: title, document: document ?? nil, part: part ?? nil, date: date ?? nil)
    }

    private func decodeAnalysis(_ node: YAMLNode) -> Analysis? {
        guard let map = read.mapping(node, "'analysis'") else { return nil }
        defer { map.finish() }
        let gate = map.required("gate").flatMap { reference(.gate, $0, "the analysis' gate") }
        let question = map.required("question").flatMap { read.text($0, "the analysis' question") }
        let result = map.required("result").flatMap { read.choice($0, "the analysis' result", GateStatus.self) }
        let label = map.optional("result_label").flatMap { read.identifier($0, "the analysis' result_label") }
        guard let gate, let question, let result else { return nil }
        return Analysis(gate: gate, question: question, result: result, resultLabel: label)
    }

    private func decodeAxis(_ node: YAMLNode) -> Axis? {
        guard let map = read.mapping(node, "an axis") else { return nil }
        defer { map.finish() }
        let id = map.required("id").flatMap { declare(.axis, $0) }
        let what = "axis '\(id ?? "?")'"
        let name = map.required("name").flatMap { read.text($0, "the name of \(what)") }
        let meaning = map.required("meaning").flatMap { read.knownText($0, "the meaning of \(what)") }
        let summary = map.required("summary").flatMap { read.choice($0, "the summary of \(what)", Axis.Summary.self) }
        var scale: [String] = []
        if let node = map.optional("scale"), let words = read.texts(node, "the scale of \(what)") {
            if summary != .word {
                read.error(node, "only an axis with 'summary: word' has a scale; \(what) has summary \(summary?.rawValue ?? "?")")
            }
            scale = words.map(\.0)
            for (index, (word, node)) in words.enumerated() where words[..<index].contains(where: { $0.0 == word }) {
                read.error(node, "the scale of \(what) lists \(NodeReader.quoted(word)) twice")
            }
        }
        guard let id, let name, let meaning, let summary else { return nil }
        return Axis(id: id, name: name, meaning: meaning, summary: summary, scale: scale)
    }

    private func decodeOption(_ node: YAMLNode, axes: [Axis]) -> ProgrammeOption? {
        guard let map = read.mapping(node, "an option") else { return nil }
        defer { map.finish() }
        let id = map.required("id").flatMap { declare(.option, $0) }
        let what = "option '\(id ?? "?")'"
        let title = map.required("title").flatMap { read.text($0, "the title of \(what)") }
        let label = map.required("label").flatMap { read.text($0, "the label of \(what)") }
        let whatText = map.required("what").flatMap { read.text($0, "the 'what' of \(what)") }
        let assessments = map.required("assessments").flatMap { decodeAssessments($0, of: what, axes: axes) }
        let verdict = map.required("verdict").flatMap { read.text($0, "the verdict of \(what)") }
        let next = map.required("next_macro").flatMap { decodeNextMacro($0, of: what) }
        let level = map.required("gate_level").flatMap { read.knownChoice($0, "the gate_level of \(what)", GateLevel.self) }
        guard let id, let title, let label, let whatText, let assessments, let verdict, let next, let level else {
            return nil
        }
        return ProgrammeOption(id: id, title: title, label: label, what: whatText, assessments: assessments,
                               verdict: verdict, nextMacro: next, gateLevel: level)
    }

    private func decodeAssessments(_ node: YAMLNode, of option: String, axes: [Axis]) -> [String: Assessment]? {
        guard let map = read.mapping(node, "the assessments of \(option)") else { return nil }
        var result: [String: Assessment] = [:]
        for (key, keyNode) in map.keys {
            guard let axis = axes.first(where: { $0.id == key }) else {
                let expected = axes.map { "'\($0.id)'" }.joined(separator: ", ")
                read.error(keyNode, "\(option) assesses axis \(NodeReader.quoted(key)), which is not declared under 'axes'; expected one of \(expected)")
                _ = map.optional(key)
                continue
            }
            guard let value = map.optional(key) else { continue }
            if let assessment = decodeAssessment(value, of: option, axis: axis) {
                result[key] = assessment
            }
        }
        for axis in axes where !map.keys.contains(where: { $0.name == axis.id }) {
            read.error(node, "\(option) has no assessment for axis '\(axis.id)'; every option is assessed on every axis")
        }
        map.finish()
        return result
    }

    private func decodeAssessment(_ node: YAMLNode, of option: String, axis: Axis) -> Assessment? {
        let what = "the assessment of \(option) on axis '\(axis.id)'"
        guard let map = read.mapping(node, what) else { return nil }
        defer { map.finish() }
        let text = map.required("text").flatMap { read.text($0, "the text of \(what)") }
        var stars: Int?
        var word: String?
        switch axis.summary {
        case .stars:
            stars = map.required("stars").flatMap {
                read.integer($0, "the star rating of \(option) for axis '\(axis.id)'", in: 1...5)
            }
            if stars == nil { return nil }
        case .word:
            if let node = map.required("word") {
                word = read.text(node, "the summary word of \(option) for axis '\(axis.id)'")
                if let w = word, !axis.scale.isEmpty, !axis.scale.contains(w) {
                    read.error(node, "the summary word of \(option) for axis '\(axis.id)' must be one of \(axis.scale.joined(separator: ", ")), found \(NodeReader.quoted(w))")
                }
            }
            if word == nil { return nil }
        case .none:
            break
        }
        guard let text else { return nil }
        return Assessment(stars: stars, word: word, text: text)
    }

    private func decodeNextMacro(_ node: YAMLNode, of option: String) -> NextMacro? {
        guard let map = read.mapping(node, "the next_macro of \(option)") else { return nil }
        defer { map.finish() }
        let answer = map.required("answer").flatMap { read.choice($0, "the next_macro answer of \(option)", NextMacro.Answer.self) }
        let text = map.required("text").flatMap { read.text($0, "the next_macro text of \(option)") }
        guard let answer, let text else { return nil }
        return NextMacro(answer: answer, text: text)
    }

    private func decodeGate(_ node: YAMLNode) -> Gate? {
        guard let map = read.mapping(node, "a gate") else { return nil }
        defer { map.finish() }
        let id = map.required("id").flatMap { declare(.gate, $0) }
        let what = "gate '\(id ?? "?")'"
        let title = map.required("title").flatMap { read.knownText($0, "the title of \(what)") }
        let level = map.required("level").flatMap { read.knownChoice($0, "the level of \(what)", GateLevel.self) }
        let status = map.required("status").flatMap { read.choice($0, "the status of \(what)", GateStatus.self) }
        let sovereign = map.optional("sovereign").flatMap { read.boolean($0, "'sovereign' of \(what)") } ?? false
        let covers = map.optional("covers").flatMap { references(.option, $0, "the options \(what) covers") } ?? []
        let requires = map.optional("requires").flatMap { node in
            read.list(node, "the requirements of \(what)")?.compactMap { decodeRequirement($0, of: what) }
        } ?? []
        let note = map.optional("note").flatMap { read.text($0, "the note of \(what)") }
        let signatures = map.optional("signatures").flatMap { read.integer($0, "'signatures' of \(what)", in: 1...9) }
        guard let id, let title, let level, let status else { return nil }
        return Gate(id: id, title: title, level: level, status: status, isSovereign: sovereign,
                    covers: covers, requires: requires, note: note, signatures: signatures)
    }

    private func decodeRequirement(_ node: YAMLNode, of gate: String) -> Requirement? {
        let what = "a requirement of \(gate)"
        guard let map = read.mapping(node, what) else { return nil }
        defer { map.finish() }
        let kinds = ["gate", "gap", "condition", "runs", "parity"]
        let present = map.keys.filter { kinds.contains($0.name) }
        guard present.count == 1 else {
            read.error(node, "\(what) must have exactly one of 'gate', 'gap', 'condition', 'runs' or 'parity', found \(present.count)")
            kinds.forEach { _ = map.optional($0) }
            _ = map.optional("met")
            return nil
        }
        switch present[0].name {
        case "gate":
            return map.required("gate").flatMap { reference(.gate, $0, "\(what)") }.map(Requirement.gate)
        case "gap":
            return map.required("gap").flatMap { reference(.gap, $0, "\(what)") }.map(Requirement.gap)
        case "runs", "parity":
            let kind = present[0].name
            let named = kind == "runs" ? "the runs \(what) names" : "the runs whose parity \(what) needs"
            guard let runs = map.required(kind).flatMap({ read.mapping($0, named) }) else { return nil }
            defer { runs.finish() }
            let plan = runs.required("plan").flatMap { node -> String? in
                guard let id = read.text(node, "the plan of \(named)") else { return nil }
                if id != RunPlan.productionCutID { symbols.references.append((.plan, id, node, "the plan of \(named)")) }
                return id
            }
            let mode = runs.required("mode").flatMap { read.choice($0, "the mode of \(named)", RunMode.self) }
            guard let plan, let mode else { return nil }
            return kind == "runs" ? .runs(plan: plan, mode: mode) : .parity(plan: plan, mode: mode)
        default:
            let text = map.required("condition").flatMap { read.text($0, "the condition of \(what)") }
            let met = map.optional("met").flatMap { read.boolean($0, "'met' of \(what)") } ?? false
            return text.map { Requirement.condition($0, met: met) }
        }
    }

    private func decodeGap(_ node: YAMLNode) -> Gap? {
        guard let map = read.mapping(node, "a gap") else { return nil }
        defer { map.finish() }
        let id = map.required("id").flatMap { declare(.gap, $0) }
        let what = "gap '\(id ?? "?")'"
        let title = map.required("title").flatMap { read.knownText($0, "the title of \(what)") }
        let status = map.required("status").flatMap { read.choice($0, "the status of \(what)", Gap.Status.self) }
        var closedBy: [String]??
        if let node = map.required("closed_by") {
            if case .scalar(let scalar) = node, scalar.string == NodeReader.unknown {
                closedBy = .some(nil)
            } else {
                closedBy = references(.option, node, "the options that close \(what)").map { .some($0) }
            }
        }
        guard let id, let title, let status, let closedBy else { return nil }
        return Gap(id: id, title: title, status: status, closedBy: closedBy)
    }

    private func decodeMacro(_ node: YAMLNode) -> Macro? {
        guard let map = read.mapping(node, "a macro") else { return nil }
        defer { map.finish() }
        let id = map.required("id").flatMap { declare(.macro, $0) }
        let what = "macro '\(id ?? "?")'"
        let order = map.required("order").flatMap { read.choice($0, "the order of \(what)", Macro.Order.self) }
        let optionsNode = map.required("options")
        let options = optionsNode.flatMap { references(.option, $0, "the options of \(what)") }
        let folded = map.optional("folded").flatMap { node -> [String]? in
            guard let folded = references(.option, node, "the folded options of \(what)") else { return nil }
            for id in folded where !(options ?? []).contains(id) {
                read.error(node, "\(what) folds \(NodeReader.quoted(id)), which is not among its options")
            }
            return folded
        } ?? []
        let level = map.required("level").flatMap { read.choice($0, "the level of \(what)", GateLevel.self) }
        let remark = map.optional("remark").flatMap { read.text($0, "the remark of \(what)") }
        let needs = map.optional("needs").flatMap { references(.gate, $0, "the gates \(what) needs") } ?? []
        if let optionsNode, options?.isEmpty == true {
            read.error(optionsNode, "\(what) carries no option; list at least one")
        }
        guard let id, let order, let options, let level else { return nil }
        return Macro(id: id, order: order, options: options, folded: folded, level: level, remark: remark, needs: needs)
    }

    private func decodePolicy(_ node: YAMLNode) -> PolicyRule? {
        guard let map = read.mapping(node, "a policy rule") else { return nil }
        defer { map.finish() }
        let id = map.required("id").flatMap { declare(.policy, $0) }
        let what = "policy rule '\(id ?? "?")'"
        let option = map.required("option").flatMap { reference(.option, $0, "the option of \(what)") }
        let scope = map.required("scope").flatMap { read.text($0, "the scope of \(what)") }
        let rule = map.required("rule").flatMap { read.text($0, "the rule of \(what)") }
        guard let id, let option, let scope, let rule else { return nil }
        return PolicyRule(id: id, option: option, scope: scope, rule: rule)
    }

    private func decodeRecommendation(_ node: YAMLNode) -> Recommendation? {
        guard let map = read.mapping(node, "'recommendation'") else { return nil }
        defer { map.finish() }
        let high = map.optional("high_gates").flatMap { read.text($0, "'high_gates' of the recommendation") }
        let xhigh = map.optional("xhigh_gates").flatMap { read.text($0, "'xhigh_gates' of the recommendation") }
        return Recommendation(highGates: high, xhighGates: xhigh)
    }

    // MARK: - Ids and references

    /// Reads a list section, each item with `decode`.
    func items<T>(_ section: String, _ node: YAMLNode, min: Int = 0, _ decode: (YAMLNode) -> T?) -> [T]? {
        guard let items = read.list(node, "'\(section)'") else { return nil }
        if items.count < min {
            read.error(node, "'\(section)' is empty; list at least \(min)")
        }
        return items.compactMap(decode)
    }

    /// Records an id's declaration; a second declaration of the same id is an error.
    func declare(_ kind: IDKind, _ node: YAMLNode) -> String? {
        guard let id = read.identifier(node, "the id of \(article(kind)) \(kind.rawValue)") else { return nil }
        if let first = symbols.declared[kind]?[id] {
            read.error(node, "duplicate \(kind.rawValue) id '\(id)' (first declared at line \(first.line)); ids must be unique")
            return nil
        }
        symbols.declared[kind, default: [:]][id] = read.location(node)
        return id
    }

    /// Records a reference to check once every id is known.
    func reference(_ kind: IDKind, _ node: YAMLNode, _ what: String) -> String? {
        guard let id = read.text(node, what) else { return nil }
        symbols.references.append((kind, id, node, what))
        return id
    }

    /// A list of references.
    private func references(_ kind: IDKind, _ node: YAMLNode, _ what: String) -> [String]? {
        guard let items = read.list(node, what) else { return nil }
        let ids = items.compactMap { reference(kind, $0, "an item of \(what)") }
        return ids.count == items.count ? ids : nil
    }

    private func checkReferences() {
        for reference in symbols.references where symbols.declared[reference.kind]?[reference.id] == nil {
            let known = (symbols.declared[reference.kind] ?? [:]).sorted { $0.value < $1.value }.map(\.key)
            let expected = known.isEmpty ? "none is declared" : "expected one of \(known.joined(separator: ", "))"
            read.error(reference.node, "\(reference.what) names \(reference.kind.rawValue) \(NodeReader.quoted(reference.id)), which is not declared; \(expected)")
        }
    }

    /// A gate that requires itself, directly or through others, could never pass.
    private func checkCycles(_ gates: [Gate]) {
        let requires = Dictionary(gates.map { gate in
            (gate.id, gate.requires.compactMap { requirement -> String? in
                if case .gate(let id) = requirement { return id }
                return nil
            })
        }, uniquingKeysWith: { first, _ in first })
        var reported: Set<String> = []
        for gate in gates {
            var stack = [(gate.id, [gate.id])]
            var seen: Set<String> = []
            while let (current, path) = stack.popLast() {
                for next in requires[current] ?? [] {
                    if next == gate.id {
                        if reported.insert(gate.id).inserted, let location = symbols.declared[.gate]?[gate.id] {
                            read.diagnostics.error(at: location, "gate '\(gate.id)' requires itself through \((path + [next]).joined(separator: " -> ")); requirements must not form a cycle")
                        }
                    } else if seen.insert(next).inserted {
                        stack.append((next, path + [next]))
                    }
                }
            }
        }
    }

    private func article(_ kind: IDKind) -> String {
        kind == .axis || kind == .option ? "an" : "a"
    }
}
