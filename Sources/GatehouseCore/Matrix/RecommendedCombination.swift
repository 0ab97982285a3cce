/// The result of the analysis gate and the recommended combination, as the lines of the
/// seed's §5: the result, the macros in order, the policy rules and the gate lists.
public struct RecommendedCombination: Sendable, Equatable {
    /// One scheduled macro: `next: OPT-1 (folded) + OPT-2 → macro O6`.
    public struct Step: Sendable, Equatable {
        public var order: Macro.Order
        public var macroID: String
        public var options: [String]
        public var folded: [String]
        public var remark: String?

        /// The step's line, with the arrow drawn from `glyphs`.
        public func line(_ glyphs: GlyphSet) -> String {
            let carried = options.map { folded.contains($0) ? "\($0) (folded)" : $0 }
                .joined(separator: " + ")
            let remark = remark.map { " (\($0))" } ?? ""
            return glyphs.fit("\(order.rawValue): \(carried) → macro \(macroID)\(remark)")
        }
    }

    /// The label the result is recorded under, such as `G3_option_analysis`.
    public var resultLabel: String
    /// The gate's result.
    public var result: GateStatus
    /// The macros in order: next, then, later.
    public var steps: [Step]
    /// `OPT-5 scoped to signature-critical documents only`, one per policy rule.
    public var policyRules: [String]
    /// The gate lists as the document words them.
    public var highGates: String?
    public var xhighGates: String?

    public init(_ programme: Programme) {
        resultLabel = programme.analysis.resultLabel ?? programme.analysis.gate
        result = programme.analysis.result
        steps = Macro.Order.allCases.flatMap { order in
            programme.macros.filter { $0.order == order }.map { macro in
                Step(order: order, macroID: macro.id, options: macro.options, folded: macro.folded,
                     remark: macro.remark)
            }
        }
        policyRules = programme.policies.map { "\($0.option) scoped to \($0.scope)" }
        highGates = programme.recommendation.highGates
        xhighGates = programme.recommendation.xhighGates
    }

    /// The result line, such as `G3_option_analysis: PASS`.
    public var resultLine: String { "\(resultLabel): \(result.rawValue.uppercased())" }

    /// The lines of the recommended combination, from `recommended_combination:` on.
    public func lines(_ glyphs: GlyphSet) -> [String] {
        var lines = ["recommended_combination:"]
        lines += steps.map { $0.line(glyphs) }
        lines += policyRules.map { glyphs.fit("policy_rule: \($0)") }
        if let highGates { lines.append(glyphs.fit("high_gates: \(highGates)")) }
        if let xhighGates { lines.append(glyphs.fit("xhigh_gates: \(xhighGates)")) }
        return lines
    }
}
