/// The gate board: every gate's live status, from the programme file's starting state and
/// what the journal records since (sign-offs, gaps closed, conditions met, rulings, runs
/// closed out), and, for a gate that cannot pass yet, exactly why.
///
/// - A gate whose requirements are not all met (an xhigh gate's ruling among them) is
///   `blocked`; those requirements are its blockers.
/// - Its sign-offs count once per sovereign (their latest), and only while they are not
///   stale: a sign-off binds the gate's definition and the evidence its signer saw, so a
///   change of the gate in the file, or evidence that no longer holds (a gap reopened), makes
///   it stale. A counted fail makes the gate `fail`; enough counted passes
///   (``Gate/signaturesNeeded``) make it `pass`.
/// - A gate nobody has signed keeps the status the file records when that is `pass`, `fail`
///   or `blocked` (G3 stays pass); a `pending` one is `pending` (ready to sign) or `blocked`.
public struct GateBoard: Sendable, Equatable {
    /// One reason a gate cannot pass.
    public struct Blocker: Sendable, Equatable {
        /// The requirement that is not met (nil: the xhigh gate's ruling).
        public var requirement: Requirement?
        /// Why, in words: `gap GAP-3 is open`.
        public var reason: String
    }

    /// A sign-off that no longer counts, and why.
    public struct StaleSignOff: Sendable, Equatable {
        public var signOff: ProgrammeBook.Entry
        public var why: String
    }

    /// A gate with its live status, its blockers, its sign-offs and its evidence.
    public struct Entry: Sendable, Equatable {
        public var gate: Gate
        public var status: GateStatus
        public var blockers: [Blocker]
        /// The distinct sovereigns' sign-offs that count, passes and fails, oldest first.
        public var signOffs: [ProgrammeBook.Entry] = []
        /// The sign-offs that no longer count.
        public var stale: [StaleSignOff] = []
        /// One line per requirement met, as a signer sees it: what a sign-off binds.
        public var evidence: [String] = []
        /// SHA-256 over ``evidence``.
        public var evidenceDigest: String = ""
        /// The ruling for an xhigh gate, if one is recorded (journal or file).
        public var ruling: String?

        /// How many distinct sovereigns must sign it off.
        public var signaturesNeeded: Int { gate.signaturesNeeded }
        /// The counted passes.
        public var passes: [ProgrammeBook.Entry] { signOffs.filter(\.act.passes) }
        /// The counted fail, if any.
        public var failure: ProgrammeBook.Entry? { signOffs.last { !$0.act.passes } }
        /// Whether a sovereign may sign it pass now: nothing blocks it and it is not pass yet.
        public var isReadyToSign: Bool { !gate.isSovereign && blockers.isEmpty && status != .pass }
        /// `1 of 2 signatures`, for a gate signed by some but not enough.
        public var signatureCount: String { "\(passes.count) of \(signaturesNeeded) signature\(signaturesNeeded == 1 ? "" : "s")" }
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
    /// The charter the board is of.
    public let charter: ProgrammeCharter
    /// What the journal records of the programme.
    public let book: ProgrammeBook

    /// The board of `programme` as its file records it (nothing journaled).
    public init(_ programme: Programme) {
        self.init(charter: ProgrammeCharter(programme), book: ProgrammeBook(), closedRuns: [:])
    }

    /// The entry of one gate, working out only the gates it requires (what the rules need to
    /// check a sign-off, without the whole board).
    public static func entry(_ gateID: String, charter: ProgrammeCharter, book: ProgrammeBook,
                             closedRuns: [String: ClosedRun], parityRuns: [String: ParityRun] = [:]) -> Entry? {
        var resolver = Resolver(charter: charter, book: book, closedRuns: closedRuns, parityRuns: parityRuns)
        return resolver.entry(of: gateID)
    }

    /// The board of `charter` with what `book` records, the runs that closed out (the first
    /// of each plan and mode, by ``ClosedRun/key(plan:mode:)``) and those shown at parity.
    public init(charter: ProgrammeCharter, book: ProgrammeBook, closedRuns: [String: ClosedRun],
                parityRuns: [String: ParityRun] = [:]) {
        self.charter = charter
        self.book = book
        var resolver = Resolver(charter: charter, book: book, closedRuns: closedRuns, parityRuns: parityRuns)
        entries = charter.gates.map { resolver.entry(of: $0.id) ?? Entry(gate: $0, status: .blocked, blockers: []) }
        let statuses = Dictionary(entries.map { ($0.gate.id, $0.status) }, uniquingKeysWith: { a, _ in a })
        macros = charter.macros.map { macro in
            MacroEntry(macro: macro, needs: macro.needs.map { (id: $0, status: statuses[$0]) })
        }
    }

    /// The entry for one gate.
    public func entry(_ gateID: String) -> Entry? { entries.first { $0.gate.id == gateID } }

    /// Whether `gap` is closed, and why the board says so: the journal's last word on it,
    /// else the file's.
    public func gap(_ id: String) -> (closed: Bool, why: String) {
        Self.gap(id, charter: charter, book: book)
    }

    /// Whether `gap` is closed, and why, as `book` and `charter` say.
    static func gap(_ id: String, charter: ProgrammeCharter, book: ProgrammeBook) -> (closed: Bool, why: String) {
        if let last = book.gaps[id] {
            return last.act.kind == .closeGap
                ? (true, "closed at #\(last.sequence) by \(last.act.by)" + (last.act.run.map { ", run \($0.prefix(12))" } ?? ""))
                : (false, "reopened at #\(last.sequence) by \(last.act.by): \(last.act.reason)")
        }
        switch charter.gap(id)?.status {
        case .closed: return (true, "recorded as closed in the programme")
        case .open: return (false, "open")
        case .unknown, nil: return (false, "not known to be closed")
        }
    }

    /// Works out entries, following requirements from gate to gate; a cycle counts as unmet.
    private struct Resolver {
        let charter: ProgrammeCharter
        let book: ProgrammeBook
        let closedRuns: [String: ClosedRun]
        let parityRuns: [String: ParityRun]
        var memo: [String: Entry] = [:]
        var visiting: Set<String> = []

        init(charter: ProgrammeCharter, book: ProgrammeBook, closedRuns: [String: ClosedRun], parityRuns: [String: ParityRun]) {
            self.charter = charter
            self.book = book
            self.closedRuns = closedRuns
            self.parityRuns = parityRuns
        }

        mutating func status(of gateID: String) -> GateStatus? { entry(of: gateID)?.status }

        mutating func entry(of gateID: String) -> Entry? {
            if let known = memo[gateID] { return known }
            guard let gate = charter.gate(gateID), !visiting.contains(gateID) else { return nil }
            visiting.insert(gateID)
            defer { visiting.remove(gateID) }
            var blockers: [Blocker] = []
            var evidence: [String] = []
            for requirement in gate.requires {
                switch state(of: requirement) {
                case .met(let line): evidence.append(line)
                case .unmet(let reason): blockers.append(Blocker(requirement: requirement, reason: reason))
                }
            }
            var ruling: String?
            if gate.needsRuling {
                if let recorded = book.rulings[gateID] {
                    ruling = recorded.act.rulingText
                    evidence.append("ruling on \(gateID) at #\(recorded.sequence) by \(recorded.act.by), text sha256 \(sha256Hex(recorded.act.rulingText).prefix(16))")
                } else if let file = charter.fileRuling(for: gateID) {
                    ruling = file.text
                    evidence.append("ruling on \(gateID) by \(file.by) on \(file.date), in the programme")
                } else {
                    blockers.append(Blocker(requirement: nil, reason: "\(gateID) is xhigh and no ruling is recorded for it"))
                }
            }
            let digest = sha256Hex(evidence.joined(separator: "\n"))
            var entry = Entry(gate: gate, status: gate.status, blockers: [], evidence: evidence, evidenceDigest: digest, ruling: ruling)
            // Each sovereign's latest sign-off; stale ones are listed, not counted.
            let latest = book.latestSignOffs[gateID] ?? [:]
            let current = Set(evidence)
            for signOff in latest.values.sorted(by: { $0.sequence < $1.sequence }) {
                if let why = staleness(of: signOff, gate: gateID, evidence: current) {
                    entry.stale.append(StaleSignOff(signOff: signOff, why: why))
                } else {
                    entry.signOffs.append(signOff)
                }
            }
            if gate.isSovereign || gate.status == .pass && latest.isEmpty {
                // A run's own gate (SG_1, SG_2), or one the file records as passed: the file's word.
                entry.blockers = gate.status == .pass ? [] : blockers
                entry.status = gate.status == .pending && !blockers.isEmpty ? .blocked : gate.status
            } else if entry.failure != nil {
                entry.status = .fail
                entry.blockers = blockers
            } else if blockers.isEmpty && entry.passes.count >= gate.signaturesNeeded {
                entry.status = .pass
            } else if latest.isEmpty && (gate.status == .fail || gate.status == .blocked) {
                entry.status = gate.status
                entry.blockers = blockers
            } else {
                entry.status = blockers.isEmpty ? .pending : .blocked
                entry.blockers = blockers
            }
            memo[gateID] = entry
            return entry
        }

        /// Why a sign-off no longer counts, or nil when it does.
        func staleness(of signOff: ProgrammeBook.Entry, gate: String, evidence: Set<String>) -> String? {
            if signOff.act.gateDigest != charter.definitionDigests[gate] {
                return "\(gate) changed in the programme file since \(signOff.act.by) signed it off (#\(signOff.sequence))"
            }
            if let gone = signOff.act.evidence.first(where: { !evidence.contains($0) }) {
                return "what \(signOff.act.by) signed off on (#\(signOff.sequence)) no longer holds: \(gone)"
            }
            return nil
        }

        enum RequirementState {
            case met(String)
            case unmet(String)
        }

        /// Whether a requirement is met, with the line of evidence, or why not.
        mutating func state(of requirement: Requirement) -> RequirementState {
            switch requirement {
            case .gate(let id):
                switch status(of: id) {
                case .pass: return .met("gate \(id) pass")
                case .some(let status): return .unmet("gate \(id) is \(status.rawValue), not pass")
                case nil: return .unmet("gate \(id) cannot be resolved (unknown or circular)")
                }
            case .gap(let id):
                if let last = book.gaps[id] {
                    return last.act.kind == .closeGap
                        ? .met("gap \(id) closed at #\(last.sequence) by \(last.act.by)")
                        : .unmet("gap \(id) was reopened at #\(last.sequence) by \(last.act.by): \(last.act.reason)")
                }
                switch charter.gap(id)?.status {
                case .closed: return .met("gap \(id) closed, as the programme records")
                case .open: return .unmet("gap \(id) is open")
                case .unknown, nil: return .unmet("gap \(id) is not known to be closed")
                }
            case .condition(let text, met: true):
                return .met("condition met, as the programme records: \(text)")
            case .condition(let text, met: false):
                for (gate, conditions) in book.conditions {
                    if let recorded = conditions[text], charter.gate(gate)?.requires.contains(requirement) == true {
                        return .met("condition met at #\(recorded.sequence) by \(recorded.act.by): \(text)")
                    }
                }
                return .unmet("not recorded as met: \(text)")
            case .runs(let plan, let mode):
                if let run = closedRuns[ClosedRun.key(plan: plan, mode: mode)] {
                    return .met("run \(run.shortID) of \(plan) (\(mode.rawValue)) closed out at #\(run.sequence)")
                }
                return .unmet("no \(mode.label) run of \(plan) has closed out yet")
            case .parity(let plan, let mode):
                if let shown = parityRuns[ClosedRun.key(plan: plan, mode: mode)] {
                    let check = shown.check
                    return .met("run \(shown.run.shortID) of \(plan) (\(mode.rawValue)) \(check.summary), reference head "
                                + "\(check.referenceHead.prefix(12)), at #\(shown.run.sequence)")
                }
                return .unmet("no closed-out \(mode.label) run of \(plan) has been shown at parity with a reference "
                              + "(`gatehouse compare REFERENCE RUN --record-verdict`)")
            }
        }
    }
}

extension ClosedRun {
    /// The key of ``GateBoard``'s closed runs for a plan and a mode.
    public static func key(plan: String, mode: RunMode) -> String { "\(plan) \(mode.rawValue)" }
}
