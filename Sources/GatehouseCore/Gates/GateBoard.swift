/// The gate board: every gate's effective status and, for a gate that cannot pass yet,
/// exactly why.
///
/// A gate recorded as `pending` whose requirements are not all met is `blocked`; the
/// requirements that are not met are its blockers. A gate recorded as `pass` or `fail`
/// keeps that status.
package struct GateBoard: Sendable, Equatable {
    /// One reason a gate cannot pass.
    package struct Blocker: Sendable, Equatable {
        /// The requirement that is not met.
        package var requirement: Requirement
        /// Why, in words: `gap GAP-3 is open`.
        package var reason: String
    }

    /// A gate with its effective status and blockers.
    package struct Entry: Sendable, Equatable {
        package var gate: Gate
        package var status: GateStatus
        package var blockers: [Blocker]
    }

    /// A macro with the gates it needs and whether they have all passed.
    package struct MacroEntry: Sendable, Equatable {
        package var macro: Macro
        /// Each needed gate with its effective status.
        package var needs: [(id: String, status: GateStatus?)]
        /// Whether every needed gate has passed.
        package var isClear: Bool { needs.allSatisfy { $0.status == .pass } }

        package static func == (lhs: MacroEntry, rhs: MacroEntry) -> Bool {
            lhs.macro == rhs.macro && lhs.needs.elementsEqual(rhs.needs) { $0 == $1 }
        }
    }

    /// The gates in programme order.
    package var entries: [Entry]
    /// The macros in programme order.
    package var macros: [MacroEntry]

    package init(_ programme: Programme) {
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
    package func entry(_ gateID: String) -> Entry? { entries.first { $0.gate.id == gateID } }

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
