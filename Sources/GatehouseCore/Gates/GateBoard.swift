/// The gate board: every gate's effective status and, for a gate that cannot pass yet,
/// exactly why.
///
/// A gate recorded as `pending` whose requirements are not all met is `blocked`; the
/// requirements that are not met are its blockers. A gate recorded as `pass` or `fail`
/// keeps that status.
public struct GateBoard: Sendable, Equatable {
    /// One reason a gate cannot pass.
    public struct Blocker: Sendable, Equatable {
        /// The requirement that is not met.
        public var requirement: Requirement
        /// Why, in words: `gap GAP-3 is open`.
        public var reason: String
    }

    /// A gate with its effective status and blockers.
    public struct Entry: Sendable, Equatable {
        public var gate: Gate
        public var status: GateStatus
        public var blockers: [Blocker]
    }

    /// A macro with the gates it needs and whether they have all passed.
    public struct MacroEntry: Sendable, Equatable {
        public var macro: Macro
        /// Each needed gate with its effective status.
        public var needs: [(id: String, status: GateStatus?)]
        /// Whether every needed gate has passed.
        public var isClear: Bool { needs.allSatisfy { $0.status == .pass } }

        public static func == (lhs: MacroEntry, rhs: MacroEntry) -> Bool {
            lhs.macro == rhs.macro && lhs.needs.elementsEqual(rhs.needs) { $0 == $1 }
        }
    }

    /// The gates in programme order.
    public var entries: [Entry]
    /// The macros in programme order.
    public var macros: [MacroEntry]

    public init(_ programme: Programme) {
        var resolver = Resolver(programme: programme)
        entries = programme.gates.map { gate in
            let status = resolver.status(of: gate.id) ?? gate.status
            return Entry(gate: gate, status: status, blockers: resolver.blockers(of: gate))
        }
        let statuses = Dictionary(entries.map { ($0.gate.id, $0.status) }, uniquingKeysWith: { a, _ in a })
        macros = programme.macros.map { macro in
            MacroEntry(macro: macro, needs: macro.needs.map { (id: $0, status: statuses[$0]) })
        }
    }

    /// The entry for one gate.
    public func entry(_ gateID: String) -> Entry? { entries.first { $0.gate.id == gateID } }

    /// Works out statuses, following requirements from gate to gate; a cycle counts as unmet.
    private struct Resolver {
        let programme: Programme
        var memo: [String: GateStatus] = [:]
        var visiting: Set<String> = []

        init(programme: Programme) { self.programme = programme }

        mutating func status(of gateID: String) -> GateStatus? {
            if let known = memo[gateID] { return known }
            guard let gate = programme.gate(gateID), !visiting.contains(gateID) else { return nil }
            visiting.insert(gateID)
            defer { visiting.remove(gateID) }
            let status: GateStatus
            switch gate.status {
            case .pass, .fail, .blocked: status = gate.status
            case .pending: status = blockers(of: gate).isEmpty ? .pending : .blocked
            }
            memo[gateID] = status
            return status
        }

        mutating func blockers(of gate: Gate) -> [Blocker] {
            guard gate.status != .pass else { return [] }
            return gate.requires.compactMap { requirement in
                reason(requirement).map { Blocker(requirement: requirement, reason: $0) }
            }
        }

        /// Why a requirement is unmet, or nil if it is met.
        mutating func reason(_ requirement: Requirement) -> String? {
            switch requirement {
            case .gate(let id):
                switch status(of: id) {
                case .pass: return nil
                case .some(let status): return "gate \(id) is \(status.rawValue), not pass"
                case nil: return "gate \(id) cannot be resolved (unknown or circular)"
                }
            case .gap(let id):
                switch programme.gap(id)?.status {
                case .closed: return nil
                case .open: return "gap \(id) is open"
                case .unknown, nil: return "gap \(id) is not known to be closed"
                }
            case .condition(_, met: true):
                return nil
            case .condition(let text, met: false):
                return "not recorded as met: \(text)"
            }
        }
    }
}
