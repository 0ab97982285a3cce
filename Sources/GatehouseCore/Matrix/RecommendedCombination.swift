/// The result of the analysis gate and the recommended combination, as the lines of the
/// seed's §5: the result, the macros in order, the policy rules and the gate lists.
package struct RecommendedCombination: Sendable, Equatable {
    /// One scheduled macro: `next: OPT-1 (folded) + OPT-2 → macro O6`.
    package struct Step: Sendable, Equatable {
        package var order: Macro.Order
        package var macroID: String
        package var options: [String]
        package var folded: [String]
        package var remark: String?

        /// The step's line, with the arrow drawn from `glyphs`.
        package func line(_ glyphs: GlyphSet) -> String {
            let carried = options.map { folded.contains($0) ? "\($0) (folded)" : $0 }
                .joined(separator: " + ")
            let remark = remark.map { " (\($0))" } ?? ""
            return glyphs.fit("\(order.rawValue): \(carried) → macro \(macroID)\(remark)")
        }
    }

    /// The label the result is recorded under, such as `G3_option_analysis`.
    package var resultLabel: String
    /// The gate's result.
    package var result: GateStatus
    /// The macros in order: next, then, later.
    package var steps: [Step]
    /// `OPT-5 scoped to signature-critical documents only`, one per policy rule.
    package var policyRules: [String]
    /// The gate lists as the document words them.
    package var highGates: String?
    package var xhighGates: String?

    package init(_ programme: Programme) {
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
    package var resultLine: String { "\(resultLabel): \(result.rawValue.uppercased())" }

    /// The lines of the recommended combination, from `recommended_combination:` on.
    package func lines(_ glyphs: GlyphSet) -> [String] {
        var lines = ["recommended_combination:"]
        lines += steps.map { $0.line(glyphs) }
        lines += policyRules.map { glyphs.fit("policy_rule: \($0)") }
        if let highGates { lines.append(glyphs.fit("high_gates: \(highGates)")) }
        if let xhighGates { lines.append(glyphs.fit("xhigh_gates: \(xhighGates)")) }
        return lines
    }
}
