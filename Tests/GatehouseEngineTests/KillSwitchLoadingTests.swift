import Foundation
import GatehouseCore
import Testing
@testable import GatehouseEngine

/// The `kill_switch:` and `rulings:` sections of a programme file.
struct KillSwitchLoadingTests {
    /// The O5 file without its own kill_switch section, so each test appends its own.
    private static let base: String = {
        let text = EmbeddedProgramme.o5
        return String(text[..<text.range(of: "\n# The document's prerequisites for OPT-4")!.lowerBound]) + "\n"
    }()
    private static let baseLines = base.components(separatedBy: "\n").count - 1

    private func load(_ text: String) -> Result<Programme, SourceErrors> {
        ProgrammeLoader.parse(Self.base + text, fileName: "p.yaml")
    }

    private func expectError(_ text: String, line: Int, _ phrase: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        expectSingleError(load(text), line: Self.baseLines + line, phrase, sourceLocation: sourceLocation)
    }

    @Test func theEmbeddedProgrammeStatesTheDocumentsPreconditionsForTheFlip() {
        let programme = ProgrammeLoader.embedded()
        #expect(programme.livePreconditions == LivePreconditions(
            gate: "GATE-O8", gapsClosed: ["GAP-3", "GAP-4", "GAP-5", "GAP-6", "GAP-7", "GAP-8"], macrosDone: ["O6", "O7"]))
        #expect(programme.rulings.isEmpty)
        #expect(programme.sourceDigest == sha256Hex(EmbeddedProgramme.o5))
    }

    @Test func preconditionsAndRulingsLoad() throws {
        let programme = try load("""
            kill_switch: {gate: GATE-O8, gaps_closed: [GAP-3], macros_done: [O6]}
            rulings:
              - {gate: GATE-O8, by: board, date: 2026-11-20, text: go ahead}

            """).get()
        #expect(programme.livePreconditions == LivePreconditions(gate: "GATE-O8", gapsClosed: ["GAP-3"], macrosDone: ["O6"]))
        #expect(programme.ruling(for: "GATE-O8") == Ruling(gate: "GATE-O8", by: "board", date: "2026-11-20", text: "go ahead"))
    }

    @Test func badPreconditionsAndRulingsAreReportedWhereTheyAre() {
        expectError("kill_switch: {gaps_closed: [GAP-9]}\n", line: 1, "names gap 'GAP-9'")
        expectError("kill_switch: {macros_done: [O9]}\n", line: 1, "names macro 'O9'")
        expectError("kill_switch: {gate: G9}\n", line: 1, "names gate 'G9'")
        expectError("kill_switch: {gaps: [GAP-3]}\n", line: 1, "gaps")
        expectError("rulings:\n  - {gate: GATE-O8, by: b, date: d}\n", line: 2, "text")
        expectError("rulings:\n  - {gate: GATE-O8, by: b, date: d, text: t}\n  - {gate: GATE-O8, by: c, date: d, text: u}\n",
                    line: 3, "two rulings")
    }
}
