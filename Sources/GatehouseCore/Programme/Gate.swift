/// How much scrutiny a gate demands.
public enum GateLevel: String, Sendable, Equatable, CaseIterable, Comparable, Codable {
    case medium
    case high
    case xhigh

    public static func < (lhs: GateLevel, rhs: GateLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Where a gate stands.
public enum GateStatus: String, Sendable, Equatable, CaseIterable, Codable {
    case pass
    case pending
    case fail
    case blocked
}

/// A gate of the programme: a point a change may not pass without approval.
public struct Gate: Sendable, Equatable, Identifiable, Codable {
    /// Identifier, such as `G3` or `SG_1`.
    public var id: String
    /// What the gate is about, or `nil` when the source does not say.
    public var title: String?
    /// Its level, or `nil` when the source does not say.
    public var level: GateLevel?
    /// Its status as recorded; `GateBoard` derives the effective status from requirements.
    public var status: GateStatus
    /// Whether approval is a sovereign's signed act (SG_1, SG_2).
    public var isSovereign: Bool
    /// The options that pass through this gate.
    public var covers: [String]
    /// What must hold before the gate can pass.
    public var requires: [Requirement]
    /// A remark from the source.
    public var note: String?
    /// How many distinct sovereigns must sign it off, when the file says (else its level's).
    public var signatures: Int?

    public init(
        id: String, title: String?, level: GateLevel?, status: GateStatus,
        isSovereign: Bool = false, covers: [String] = [], requires: [Requirement] = [],
        note: String? = nil, signatures: Int? = nil
    ) {
        self.id = id
        self.title = title
        self.level = level
        self.status = status
        self.isSovereign = isSovereign
        self.covers = covers
        self.requires = requires
        self.note = note
        self.signatures = signatures
    }

    /// How many distinct sovereigns must sign it off: `signatures:` if the file says, else
    /// by level (medium and high 1, xhigh 2).
    public var signaturesNeeded: Int {
        signatures ?? (level == .xhigh ? 2 : 1)
    }

    /// Whether a ruling must be recorded before it can be signed off (an xhigh gate).
    public var needsRuling: Bool { level == .xhigh }
}

/// One thing a gate needs before it can pass.
public enum Requirement: Sendable, Equatable, Codable {
    /// Another gate must have passed.
    case gate(String)
    /// A gap must be closed.
    case gap(String)
    /// A condition stated in words, which the programme cannot check by itself; `met` records
    /// whether the file marks it done (the journal can record it met too).
    case condition(String, met: Bool)
    /// A run of `plan` in `mode` must have closed out (the run is the evidence).
    case runs(plan: String, mode: RunMode)
    /// A closed-out run of `plan` in `mode` must have been shown at parity with a reference run
    /// (`gatehouse compare REFERENCE RUN --record-verdict`; the comparison is the evidence).
    case parity(plan: String, mode: RunMode)
}
