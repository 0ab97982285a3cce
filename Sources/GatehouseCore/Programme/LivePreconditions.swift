/// What must hold before the kill-switch may turn on for one of the programme's LIVE runs.
///
/// The O5 document states them for OPT-4 (the execution_enabled flip): GAP-3..8 closed, the
/// macros before it done, and a standalone ruling for its xhigh gate. The run pins the result
/// when it starts (``PreconditionCheck``), so the checklist is derivable from the journal.
public struct LivePreconditions: Sendable, Equatable, Codable {
    /// The gate the flip passes through, such as `GATE-O8`; an xhigh gate needs a ruling.
    public var gate: String?
    /// Gaps that must be closed.
    public var gapsClosed: [String]
    /// Macros that must be done (every gate they need has passed).
    public var macrosDone: [String]

    public init(gate: String? = nil, gapsClosed: [String] = [], macrosDone: [String] = []) {
        self.gate = gate
        self.gapsClosed = gapsClosed
        self.macrosDone = macrosDone
    }
}

/// A ruling recorded for a gate: who ruled, when and what, as the programme states it.
public struct Ruling: Sendable, Equatable, Codable {
    /// The gate ruled on, such as `GATE-O8`.
    public var gate: String
    /// Who made the ruling.
    public var by: String
    /// When, as written.
    public var date: String
    /// What was ruled.
    public var text: String

    public init(gate: String, by: String, date: String, text: String) {
        self.gate = gate
        self.by = by
        self.date = date
        self.text = text
    }
}
