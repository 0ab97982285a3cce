import GatehouseCore
import GatehouseEngine
import Testing

/// The O5 matrix equals the seed's §4 table cell by cell, and §5 line by line.
struct SeedMatrixTests {
    private let o5 = ProgrammeLoader.embedded()

    @Test func comparativeSummaryEqualsTheSeedTable() {
        let summary = ComparativeSummary(o5)
        #expect(summary.headings == ["Option", "Safety", "Value", "Effort", "As next macro?"])
        #expect(summary.table(.unicode) == [
            ["OPT-1 release/tag local", "★★★★★", "★☆☆☆☆", "low", "fold into O6"],
            ["OPT-2 deploy, kill-switch off", "★★★★☆", "★★★★☆", "high", "YES — O6 core"],
            ["OPT-3 post-deploy live dry-run", "★★★★☆", "★★★★☆", "med-high", "YES — O7 core"],
            ["OPT-4 first live production cut", "★★☆☆☆", "★★★★★", "xhigh", "NO — later (O8), separate ruling"],
            ["OPT-5 defer until real crypto", "★★★★★", "★★★☆☆", "xhigh", "NO — adopt as a policy rule"],
        ])
    }

    @Test func asciiStarsWhereTheLocaleIsNotUTF8() {
        let table = ComparativeSummary(o5).table(.ascii)
        #expect(table[0] == ["OPT-1 release/tag local", "*****", "*....", "low", "fold into O6"])
        #expect(table[1][4] == "YES - O6 core")
    }

    @Test func recommendedCombinationEqualsTheSeed() {
        let combination = RecommendedCombination(o5)
        #expect(combination.resultLine == "G3_option_analysis: PASS")
        #expect(combination.lines(.unicode) == [
            "recommended_combination:",
            "next: OPT-1 (folded) + OPT-2 → macro O6",
            "then: OPT-3 → macro O7",
            "later: OPT-4 → macro O8 (xhigh, separate sovereign ruling)",
            "policy_rule: OPT-5 scoped to signature-critical documents only",
            "high_gates: OPT-1, OPT-2, OPT-3 (and O5 planning itself)",
            "xhigh_gates: OPT-4 (execution_enabled flip / live mutation), real crypto, deploy-architecture change",
        ])
    }

    @Test func sortingBySafetyPutsFiveStarsFirstKeepingDocumentOrderForTies() {
        let rows = ComparativeSummary(o5, order: .axis("safety")).rows.map(\.optionID)
        #expect(rows == ["OPT-1", "OPT-5", "OPT-2", "OPT-3", "OPT-4"])
    }

    @Test func sortingByEffortFollowsTheAxisScale() {
        let rows = ComparativeSummary(o5, order: .axis("effort")).rows.map(\.optionID)
        #expect(rows == ["OPT-1", "OPT-3", "OPT-2", "OPT-4", "OPT-5"])
    }

    @Test func sortCycleGoesThroughTheSummarisedAxesAndBack() {
        #expect(MatrixOrder.cycle(for: o5) == [.document, .axis("safety"), .axis("value"), .axis("effort")])
        #expect(MatrixOrder.axis("effort").next(in: o5) == .document)
    }

    @Test func markdownExportReproducesTheSeedTableLines() {
        let markdown = MatrixExport.markdown(o5, glyphs: .unicode)
        #expect(markdown.contains("| OPT-4 first live production cut | ★★☆☆☆ | ★★★★★ | xhigh | NO — later (O8), separate ruling |\n"))
        #expect(markdown.contains("|---|---|---|---|---|\n"))
    }
}
