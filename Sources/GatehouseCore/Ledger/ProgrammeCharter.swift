/// The part of a programme its signed acts rest on: its gates, gaps, macros, kill-switch
/// preconditions, rulings and sovereigns, with the digest of the file they came from.
///
/// The journal pins it (`programme.pinned`) before the first act on that digest, so that the
/// fold can check every act, and the kill-switch its checklist, from the journal alone, as a
/// run's pinned plan lets it check the run's phases.
public struct ProgrammeCharter: Sendable, Equatable, Codable {
    /// The programme's id, such as `O5`.
    public var programme: String
    /// SHA-256 of the programme file (or of this charter, for a programme made in code).
    public var digest: String
    public var gates: [Gate]
    public var gaps: [Gap]
    public var macros: [Macro]
    public var livePreconditions: LivePreconditions?
    /// Rulings the file records.
    public var rulings: [Ruling]
    public var sovereigns: [Sovereign]
    /// Each gate's definition digest, by gate id.
    public private(set) var definitionDigests: [String: String] = [:]

    /// The charter of `programme`.
    public init(_ programme: Programme) {
        self.init(programme: programme.info.id, digest: programme.sourceDigest, gates: programme.gates, gaps: programme.gaps,
                  macros: programme.macros, livePreconditions: programme.livePreconditions, rulings: programme.rulings,
                  sovereigns: programme.sovereigns)
    }

    /// A charter of these parts; without a `digest`, its own (the SHA-256 of its JSON).
    public init(programme: String, digest: String?, gates: [Gate], gaps: [Gap], macros: [Macro],
                livePreconditions: LivePreconditions?, rulings: [Ruling], sovereigns: [Sovereign]) {
        self.programme = programme
        self.digest = ""
        self.gates = gates
        self.gaps = gaps
        self.macros = macros
        self.livePreconditions = livePreconditions
        self.rulings = rulings
        self.sovereigns = sovereigns
        self.digest = digest ?? sha256Hex(JSONValue.object(members).canonical)
        definitionDigests = Dictionary(gates.map { ($0.id, sha256Hex("gatehouse-gate-v1\n" + $0.definition.canonical)) },
                                       uniquingKeysWith: { first, _ in first })
    }

    /// The gate with this id, if the charter has one.
    public func gate(_ id: String) -> Gate? { gates.first { $0.id == id } }

    /// The gap with this id, if the charter has one.
    public func gap(_ id: String) -> Gap? { gaps.first { $0.id == id } }

    /// The sovereign called `name`, if any.
    public func sovereign(_ name: String) -> Sovereign? { sovereigns.first { $0.name == name } }

    /// The ruling the file records for `gate`, if any.
    public func fileRuling(for gate: String) -> Ruling? { rulings.first { $0.gate == gate } }

    /// The gates whose sign-off may close or reopen `gap`: those that require it, and the
    /// kill-switch's gate when its preconditions list it. Empty: any sovereign may.
    public func gatesRelying(onGap gap: String) -> [String] {
        var gates = self.gates.filter { $0.requires.contains(.gap(gap)) }.map(\.id)
        if let preconditions = livePreconditions, preconditions.gapsClosed.contains(gap),
           let gate = preconditions.gate, !gates.contains(gate) {
            gates.append(gate)
        }
        return gates
    }
}

// MARK: - The journal form

extension ProgrammeCharter {
    private var members: [String: JSONValue] {
        var members: [String: JSONValue] = [
            "programme": .string(programme),
            "gates": .array(gates.map(\.json)), "gaps": .array(gaps.map(\.json)), "macros": .array(macros.map(\.json)),
            "rulings": .array(rulings.map(\.json)), "sovereigns": .array(sovereigns.map(\.json)),
        ]
        if let livePreconditions { members["kill_switch"] = livePreconditions.json }
        return members
    }

    /// The charter as pinned in a `programme.pinned` event.
    public var json: JSONValue {
        var members = members
        members["digest"] = .string(digest)
        return .object(members)
    }

    /// The charter a `json` value describes, or nil if it is not one.
    public init?(json: JSONValue) {
        guard let programme = json["programme"]?.stringValue, let digest = json["digest"]?.stringValue,
              let gates = json["gates"]?.arrayValue.flatMap({ Self.all($0, Gate.init(json:)) }),
              let gaps = json["gaps"]?.arrayValue.flatMap({ Self.all($0, Gap.init(json:)) }),
              let macros = json["macros"]?.arrayValue.flatMap({ Self.all($0, Macro.init(json:)) }),
              let rulings = json["rulings"]?.arrayValue.flatMap({ Self.all($0, Ruling.init(json:)) }),
              let sovereigns = json["sovereigns"]?.arrayValue.flatMap({ Self.all($0, Sovereign.init(json:)) }) else { return nil }
        var preconditions: LivePreconditions?
        if let value = json["kill_switch"] {
            guard let decoded = LivePreconditions(json: value) else { return nil }
            preconditions = decoded
        }
        self.init(programme: programme, digest: digest, gates: gates, gaps: gaps, macros: macros,
                  livePreconditions: preconditions, rulings: rulings, sovereigns: sovereigns)
    }

    /// Every item decoded, or nil if one is not.
    private static func all<T>(_ items: [JSONValue], _ decode: (JSONValue) -> T?) -> [T]? {
        var decoded: [T] = []
        for item in items {
            guard let value = decode(item) else { return nil }
            decoded.append(value)
        }
        return decoded
    }
}

extension Gate {
    /// What the gate demands, which a sign-off binds: its id, level, recorded status, whether
    /// it is a run's sovereign gate, its signature count and its requirements (not its title,
    /// note or the options it covers, which change no sign-off).
    var definition: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "status": .string(status.rawValue), "sovereign": .bool(isSovereign),
            "signatures": .int(Int64(signaturesNeeded)), "requires": .array(requires.map(\.json)),
        ]
        if let level { members["level"] = .string(level.rawValue) }
        return .object(members)
    }

    var json: JSONValue {
        guard case .object(var members) = definition else { return definition }
        if let signatures { members["signatures"] = .int(Int64(signatures)) } else { members["signatures"] = nil }
        if let title { members["title"] = .string(title) }
        if let note { members["note"] = .string(note) }
        members["covers"] = .array(covers.map(JSONValue.string))
        return .object(members)
    }

    init?(json: JSONValue) {
        guard let id = json["id"]?.stringValue, let status = json["status"]?.stringValue.flatMap(GateStatus.init(rawValue:)),
              let sovereign = json["sovereign"]?.boolValue, let items = json["requires"]?.arrayValue else { return nil }
        var requires: [Requirement] = []
        for item in items {
            guard let requirement = Requirement(json: item) else { return nil }
            requires.append(requirement)
        }
        var level: GateLevel?
        if let text = json["level"]?.stringValue {
            guard let known = GateLevel(rawValue: text) else { return nil }
            level = known
        }
        self.init(id: id, title: json["title"]?.stringValue, level: level, status: status, isSovereign: sovereign,
                  covers: json["covers"]?.arrayValue?.compactMap(\.stringValue) ?? [], requires: requires,
                  note: json["note"]?.stringValue, signatures: json["signatures"]?.intValue.map(Int.init))
    }
}

extension Requirement {
    var json: JSONValue {
        switch self {
        case .gate(let id): .object(["gate": .string(id)])
        case .gap(let id): .object(["gap": .string(id)])
        case .condition(let text, let met): .object(["condition": .string(text), "met": .bool(met)])
        case .runs(let plan, let mode): .object(["runs": .object(["plan": .string(plan), "mode": .string(mode.rawValue)])])
        case .parity(let plan, let mode): .object(["parity": .object(["plan": .string(plan), "mode": .string(mode.rawValue)])])
        }
    }

    init?(json: JSONValue) {
        if let id = json["gate"]?.stringValue {
            self = .gate(id)
        } else if let id = json["gap"]?.stringValue {
            self = .gap(id)
        } else if let text = json["condition"]?.stringValue, let met = json["met"]?.boolValue {
            self = .condition(text, met: met)
        } else if let plan = json["runs"]?["plan"]?.stringValue,
                  let mode = json["runs"]?["mode"]?.stringValue.flatMap(RunMode.init(rawValue:)) {
            self = .runs(plan: plan, mode: mode)
        } else if let plan = json["parity"]?["plan"]?.stringValue,
                  let mode = json["parity"]?["mode"]?.stringValue.flatMap(RunMode.init(rawValue:)) {
            self = .parity(plan: plan, mode: mode)
        } else {
            return nil
        }
    }
}

extension Gap {
    var json: JSONValue {
        var members: [String: JSONValue] = ["id": .string(id), "status": .string(status.rawValue)]
        if let title { members["title"] = .string(title) }
        if let closedBy { members["closed_by"] = .array(closedBy.map(JSONValue.string)) }
        return .object(members)
    }

    init?(json: JSONValue) {
        guard let id = json["id"]?.stringValue, let status = json["status"]?.stringValue.flatMap(Gap.Status.init(rawValue:)) else { return nil }
        self.init(id: id, title: json["title"]?.stringValue, status: status,
                  closedBy: json["closed_by"]?.arrayValue?.compactMap(\.stringValue))
    }
}

extension Macro {
    var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "order": .string(order.rawValue), "options": .array(options.map(JSONValue.string)),
            "folded": .array(folded.map(JSONValue.string)), "level": .string(level.rawValue),
            "needs": .array(needs.map(JSONValue.string)),
        ]
        if let remark { members["remark"] = .string(remark) }
        return .object(members)
    }

    init?(json: JSONValue) {
        guard let id = json["id"]?.stringValue, let order = json["order"]?.stringValue.flatMap(Macro.Order.init(rawValue:)),
              let level = json["level"]?.stringValue.flatMap(GateLevel.init(rawValue:)) else { return nil }
        func strings(_ key: String) -> [String] { json[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        self.init(id: id, order: order, options: strings("options"), folded: strings("folded"), level: level,
                  remark: json["remark"]?.stringValue, needs: strings("needs"))
    }
}

extension Ruling {
    var json: JSONValue {
        .object(["gate": .string(gate), "by": .string(by), "date": .string(date), "text": .string(text)])
    }

    init?(json: JSONValue) {
        guard let gate = json["gate"]?.stringValue, let by = json["by"]?.stringValue, let date = json["date"]?.stringValue,
              let text = json["text"]?.stringValue else { return nil }
        self.init(gate: gate, by: by, date: date, text: text)
    }
}

extension LivePreconditions {
    var json: JSONValue {
        var members: [String: JSONValue] = [
            "gaps_closed": .array(gapsClosed.map(JSONValue.string)), "macros_done": .array(macrosDone.map(JSONValue.string)),
        ]
        if let gate { members["gate"] = .string(gate) }
        return .object(members)
    }

    init?(json: JSONValue) {
        guard let gaps = json["gaps_closed"]?.arrayValue, let macros = json["macros_done"]?.arrayValue else { return nil }
        self.init(gate: json["gate"]?.stringValue, gapsClosed: gaps.compactMap(\.stringValue), macrosDone: macros.compactMap(\.stringValue))
    }
}
