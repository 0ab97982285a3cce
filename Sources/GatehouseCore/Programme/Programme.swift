/// A gated release programme: the options analysis of one gate and everything it rests on.
///
/// A programme is pure data. It is read from a programme file (see
/// `docs/programme-format.md`) by the engine, and every screen and export is computed from it.
/// Text the source document does not state is `nil` ("unknown"), never invented.
package struct Programme: Sendable, Equatable {
    /// Who and what the programme is.
    package var info: ProgrammeInfo
    /// The gate this options analysis belongs to, and its outcome.
    package var analysis: Analysis
    /// The evaluation axes, in the order the document lists them.
    package var axes: [Axis]
    /// The candidate options, in document order.
    package var options: [ProgrammeOption]
    /// Every gate the programme names, in document order.
    package var gates: [Gate]
    /// The gaps that stand between the programme and its goal.
    package var gaps: [Gap]
    /// The macros (O6, O7, ...) the recommendation groups options into, in order.
    package var macros: [Macro]
    /// Policy rules adopted from options.
    package var policies: [PolicyRule]
    /// The free-text gate lists of the recommendation (`high_gates`, `xhigh_gates`).
    package var recommendation: Recommendation
    /// Run plans the programme defines (shell-command phases through the same gates).
    package var plans: [RunPlan]
    /// Who may sign the sovereign gates of its runs.
    package var sovereigns: [Sovereign]
    /// The two-person rule, the operator rule, expiries.
    package var approvalRules: ApprovalRules
    /// What must hold before the kill-switch may enable a LIVE run, if the programme says.
    package var livePreconditions: LivePreconditions?
    /// Rulings recorded for gates (an xhigh gate needs one before LIVE).
    package var rulings: [Ruling]
    /// Which option each plan (and mode) carries out.
    package var runOptions: [RunOption]
    /// SHA-256 of the programme file's bytes, when it was read from one; approvals bind it.
    package var sourceDigest: String?

    package init(
        info: ProgrammeInfo, analysis: Analysis, axes: [Axis], options: [ProgrammeOption],
        gates: [Gate], gaps: [Gap], macros: [Macro], policies: [PolicyRule],
        recommendation: Recommendation, plans: [RunPlan] = [], sovereigns: [Sovereign] = [],
        approvalRules: ApprovalRules = ApprovalRules(), livePreconditions: LivePreconditions? = nil,
        rulings: [Ruling] = [], runOptions: [RunOption] = [], sourceDigest: String? = nil
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
        self.sourceDigest = sourceDigest
    }

    /// The axis with this id, if the programme has one.
    package func axis(_ id: String) -> Axis? { axes.first { $0.id == id } }

    /// The option with this id, if the programme has one.
    package func option(_ id: String) -> ProgrammeOption? { options.first { $0.id == id } }

    /// The gate with this id, if the programme has one.
    package func gate(_ id: String) -> Gate? { gates.first { $0.id == id } }

    /// The gap with this id, if the programme has one.
    package func gap(_ id: String) -> Gap? { gaps.first { $0.id == id } }

    /// The macro with this id, if the programme has one.
    package func macro(_ id: String) -> Macro? { macros.first { $0.id == id } }

    /// The plan with this id: the embedded production cut, or one of the programme's plans.
    package func plan(_ id: String) -> RunPlan? {
        id == RunPlan.productionCutID ? RunPlan.productionCut : plans.first { $0.id == id }
    }

    /// The ruling recorded for a gate, if any.
    package func ruling(for gate: String) -> Ruling? { rulings.first { $0.gate == gate } }

    /// The macro an option belongs to, if the recommendation places it in one.
    package func macro(containing optionID: String) -> Macro? {
        macros.first { $0.options.contains(optionID) }
    }
}

/// The programme's identity as its document states it.
package struct ProgrammeInfo: Sendable, Equatable {
    /// Short id, such as `O5`.
    package var id: String
    /// Full title, such as `O5 Release / Live-Production Planning`.
    package var title: String
    /// The document this analysis is, such as `03 - Options Analysis`.
    package var document: String?
    /// Where the document sits in its series, such as `doc 3 of 6`.
    package var part: String?
    /// The document's date as written (not parsed: the programme has no clock).
    package var date: String?

    package init(id: String, title: String, document: String?, part: String?, date: String?) {
        self.id = id
        self.title = title
        self.document = document
        self.part = part
        self.date = date
    }
}

/// The gate the options analysis is held at, its question and its result.
package struct Analysis: Sendable, Equatable {
    /// The id of the gate (one of `Programme.gates`), such as `G3`.
    package var gate: String
    /// What the gate asks.
    package var question: String
    /// The result the gate reached.
    package var result: GateStatus
    /// The name the result is recorded under, such as `G3_option_analysis`.
    package var resultLabel: String?

    package init(gate: String, question: String, result: GateStatus, resultLabel: String?) {
        self.gate = gate
        self.question = question
        self.result = result
        self.resultLabel = resultLabel
    }
}

/// The gate lists of the recommendation, kept as the document words them.
package struct Recommendation: Sendable, Equatable {
    /// Which moves pass through high gates.
    package var highGates: String?
    /// Which moves pass through xhigh gates.
    package var xhighGates: String?

    package init(highGates: String?, xhighGates: String?) {
        self.highGates = highGates
        self.xhighGates = xhighGates
    }
}
