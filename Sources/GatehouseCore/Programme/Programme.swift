/// A gated release programme: the options analysis of one gate and everything it rests on.
///
/// A programme is pure data. It is read from a programme file (see
/// `docs/programme-format.md`) by the engine, and every screen and export is computed from it.
/// Text the source document does not state is `nil` ("unknown"), never invented.
public struct Programme: Sendable, Equatable {
    /// Who and what the programme is.
    public var info: ProgrammeInfo
    /// The gate this options analysis belongs to, and its outcome.
    public var analysis: Analysis
    /// The evaluation axes, in the order the document lists them.
    public var axes: [Axis]
    /// The candidate options, in document order.
    public var options: [ProgrammeOption]
    /// Every gate the programme names, in document order.
    public var gates: [Gate]
    /// The gaps that stand between the programme and its goal.
    public var gaps: [Gap]
    /// The macros (O6, O7, ...) the recommendation groups options into, in order.
    public var macros: [Macro]
    /// Policy rules adopted from options.
    public var policies: [PolicyRule]
    /// The free-text gate lists of the recommendation (`high_gates`, `xhigh_gates`).
    public var recommendation: Recommendation
    /// Run plans the programme defines (shell-command phases through the same gates).
    public var plans: [RunPlan]
    /// Who may sign the sovereign gates of its runs.
    public var sovereigns: [Sovereign]
    /// The two-person rule, the operator rule, expiries.
    public var approvalRules: ApprovalRules
    /// What must hold before the kill-switch may enable a LIVE run, if the programme says.
    public var livePreconditions: LivePreconditions?
    /// Rulings recorded for gates (an xhigh gate needs one before LIVE).
    public var rulings: [Ruling]
    /// Which option each plan (and mode) carries out.
    public var runOptions: [RunOption]
    /// The OpenPGP keys a LIVE run's backup is encrypted to (`backup: {recipients: [...]}`),
    /// by fingerprint; empty: backups are plain files, 0600.
    public var backupRecipients: [String]
    /// Whether SG_2 of a LIVE run waits for a passing restore drill of its backup
    /// (`backup: {require_drill: true}`).
    public var backupDrillRequired: Bool
    /// SHA-256 of the programme file's bytes, when it was read from one; approvals bind it.
    public var sourceDigest: String?

    public init(
        info: ProgrammeInfo, analysis: Analysis, axes: [Axis], options: [ProgrammeOption],
        gates: [Gate], gaps: [Gap], macros: [Macro], policies: [PolicyRule],
        recommendation: Recommendation, plans: [RunPlan] = [], sovereigns: [Sovereign] = [],
        approvalRules: ApprovalRules = ApprovalRules(), livePreconditions: LivePreconditions? = nil,
        rulings: [Ruling] = [], runOptions: [RunOption] = [], backupRecipients: [String] = [], backupDrillRequired: Bool = false,
        sourceDigest: String? = nil
    ) {
        self.info = info
        self.analysis = analysis
        self.axes = axes
        self.options = options
        self.gates = gates
        self.gaps = gaps
        self.macros = macros
        self.policies = policies
        self.recommendation = recommendation
        self.plans = plans
        self.sovereigns = sovereigns
        self.approvalRules = approvalRules
        self.livePreconditions = livePreconditions
        self.rulings = rulings
        self.runOptions = runOptions
        self.backupRecipients = backupRecipients
        self.backupDrillRequired = backupDrillRequired
        self.sourceDigest = sourceDigest
    }

    /// The axis with this id, if the programme has one.
    public func axis(_ id: String) -> Axis? { axes.first { $0.id == id } }

    /// The option with this id, if the programme has one.
    public func option(_ id: String) -> ProgrammeOption? { options.first { $0.id == id } }

    /// The gate with this id, if the programme has one.
    public func gate(_ id: String) -> Gate? { gates.first { $0.id == id } }

    /// The gap with this id, if the programme has one.
    public func gap(_ id: String) -> Gap? { gaps.first { $0.id == id } }

    /// The macro with this id, if the programme has one.
    public func macro(_ id: String) -> Macro? { macros.first { $0.id == id } }

    /// The plan with this id: the embedded production cut, or one of the programme's plans.
    public func plan(_ id: String) -> RunPlan? {
        id == RunPlan.productionCutID ? RunPlan.productionCut : plans.first { $0.id == id }
    }

    /// The ruling recorded for a gate, if any.
    public func ruling(for gate: String) -> Ruling? { rulings.first { $0.gate == gate } }

    /// The macro an option belongs to, if the recommendation places it in one.
    public func macro(containing optionID: String) -> Macro? {
        macros.first { $0.options.contains(optionID) }
    }
}

/// The programme's identity as its document states it.
public struct ProgrammeInfo: Sendable, Equatable {
    /// Short id, such as `O5`.
    public var id: String
    /// Full title, such as `O5 Release / Live-Production Planning`.
    public var title: String
    /// The document this analysis is, such as `03 - Options Analysis`.
    public var document: String?
    /// Where the document sits in its series, such as `doc 3 of 6`.
    public var part: String?
    /// The document's date as written (not parsed: the programme has no clock).
    public var date: String?

    public init(id: String, title: String, document: String?, part: String?, date: String?) {
        self.id = id
        self.title = title
        self.document = document
        self.part = part
        self.date = date
    }
}

/// The gate the options analysis is held at, its question and its result.
public struct Analysis: Sendable, Equatable {
    /// The id of the gate (one of `Programme.gates`), such as `G3`.
    public var gate: String
    /// What the gate asks.
    public var question: String
    /// The result the gate reached.
    public var result: GateStatus
    /// The name the result is recorded under, such as `G3_option_analysis`.
    public var resultLabel: String?

    public init(gate: String, question: String, result: GateStatus, resultLabel: String?) {
        self.gate = gate
        self.question = question
        self.result = result
        self.resultLabel = resultLabel
    }
}

/// The gate lists of the recommendation, kept as the document words them.
public struct Recommendation: Sendable, Equatable {
    /// Which moves pass through high gates.
    public var highGates: String?
    /// Which moves pass through xhigh gates.
    public var xhighGates: String?

    public init(highGates: String?, xhighGates: String?) {
        self.highGates = highGates
        self.xhighGates = xhighGates
    }
}
