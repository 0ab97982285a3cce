/// What the journal records of one programme: the signed acts the rules accepted, and the
/// ones they refused, in order.
///
/// It holds facts only; what they mean for each gate (pass, blocked, stale, ...) is the
/// ``GateBoard`` of the book over a charter.
public struct ProgrammeBook: Sendable, Equatable, Codable {
    /// An accepted act, where the journal holds it.
    public struct Entry: Sendable, Equatable, Codable {
        public var act: ProgrammeAct
        /// The event's sequence number.
        public var sequence: Int64
        /// When it was journaled (milliseconds since 1970).
        public var time: Int64
    }

    /// A refused act, where the journal holds the refusal.
    public struct Refused: Sendable, Equatable, Codable {
        public var refusal: ProgrammeRefusal
        public var sequence: Int64
        public var time: Int64
    }

    /// The last closure or reopening of each gap, by gap id.
    public private(set) var gaps: [String: Entry] = [:]
    /// The conditions recorded as met, by gate id and then condition text.
    public private(set) var conditions: [String: [String: Entry]] = [:]
    /// The ruling recorded for each gate, by gate id.
    public private(set) var rulings: [String: Entry] = [:]
    /// Every sign-off of each gate, in order, by gate id.
    public private(set) var signOffs: [String: [Entry]] = [:]
    /// Each sovereign's latest sign-off of each gate, by gate id and then signer: what the
    /// board counts (a board drawn every frame must not walk a long history).
    public private(set) var latestSignOffs: [String: [String: Entry]] = [:]
    /// Every accepted act, in order.
    public private(set) var history: [Entry] = []
    /// Every refused act, in order.
    public private(set) var refusals: [Refused] = []

    public init() {}

    /// Whether the journal has closed `gap` (nil: it says nothing of it, the file's word stands).
    public func gapClosed(_ gap: String) -> Bool? {
        gaps[gap].map { $0.act.kind == .closeGap }
    }

    /// Records an act the rules accepted.
    mutating func record(_ act: ProgrammeAct, sequence: Int64, time: Int64) {
        let entry = Entry(act: act, sequence: sequence, time: time)
        history.append(entry)
        switch act.kind {
        case .signOff:
            signOffs[act.gate, default: []].append(entry)
            latestSignOffs[act.gate, default: [:]][act.by] = entry
        case .closeGap, .reopenGap: gaps[act.gap] = entry
        case .conditionMet: conditions[act.gate, default: [:]][act.condition] = entry
        case .ruling: rulings[act.gate] = entry
        case nil: break
        }
    }

    /// Records a refusal.
    mutating func record(_ refusal: ProgrammeRefusal, sequence: Int64, time: Int64) {
        refusals.append(Refused(refusal: refusal, sequence: sequence, time: time))
    }
}

/// A closed-out run shown at parity with a reference, and the comparison that showed it, as a
/// programme's ``Requirement/parity(plan:mode:)`` reads it.
public struct ParityRun: Sendable, Equatable, Codable {
    /// The run, with the sequence number of the comparison's `run.parity_checked`.
    public var run: ClosedRun
    public var check: ParityCheck
}

/// A run that closed out, as programme requirements (``Requirement/runs(plan:mode:)``) and
/// gap closures name it.
public struct ClosedRun: Sendable, Equatable, Codable {
    public var id: String
    public var plan: String
    public var mode: RunMode
    /// The sequence number of its `run.closed`.
    public var sequence: Int64

    /// The run's first twelve characters, as screens show it.
    public var shortID: String { String(id.prefix(12)) }
}
