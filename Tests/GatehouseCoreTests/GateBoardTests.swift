import GatehouseCore
import GatehouseEngine
import Testing

/// The gate board derives "blocked" from unmet requirements and says why.
struct GateBoardTests {
    private let o5 = ProgrammeLoader.embedded()

    @Test func passedGateHasNoBlockers() {
        let g3 = GateBoard(o5).entry("G3")
        #expect(g3?.status == .pass)
        #expect(g3?.blockers.isEmpty == true)
    }

    @Test func gateO8IsBlockedByOpenGapsEarlierGatesAndTheRuling() throws {
        let entry = try #require(GateBoard(o5).entry("GATE-O8"))
        #expect(entry.status == .blocked)
        let reasons = entry.blockers.map(\.reason)
        for gap in 3...8 { #expect(reasons.contains("gap GAP-\(gap) is open")) }
        #expect(reasons.contains("gate GATE-O6 is blocked, not pass"))
        #expect(reasons.contains("gate GATE-O7 is blocked, not pass"))
        #expect(reasons.contains("GATE-O8 is xhigh and no ruling is recorded for it"))
    }

    private func programme(gates: [Gate], gaps: [Gap] = []) -> Programme {
        Programme(
            info: ProgrammeInfo(id: "P", title: "P", document: nil, part: nil, date: nil),
            analysis: Analysis(gate: gates[0].id, question: "?", result: .pass, resultLabel: nil),
            axes: [], options: [], gates: gates, gaps: gaps, macros: [], policies: [],
            recommendation: Recommendation(highGates: nil, xhighGates: nil))
    }

    @Test func metRequirementsLeaveAGatePending() {
        let board = GateBoard(programme(
            gates: [Gate(id: "A", title: nil, level: .high, status: .pass),
                    Gate(id: "B", title: nil, level: .high, status: .pending,
                         requires: [.gate("A"), .gap("GAP-1"), .condition("ruling", met: true)])],
            gaps: [Gap(id: "GAP-1", title: nil, status: .closed, closedBy: nil)]))
        #expect(board.entry("B")?.status == .pending)
        #expect(board.entry("B")?.blockers.isEmpty == true)
    }

    @Test func unknownGapStatusBlocks() {
        let board = GateBoard(programme(
            gates: [Gate(id: "B", title: nil, level: .high, status: .pending, requires: [.gap("GAP-2")])],
            gaps: [Gap(id: "GAP-2", title: nil, status: .unknown, closedBy: nil)]))
        #expect(board.entry("B")?.blockers.map(\.reason) == ["gap GAP-2 is not known to be closed"])
    }

    @Test func macrosAreClearOnlyWhenEveryNeededGatePassed() {
        let board = GateBoard(o5)
        #expect(board.macros.map(\.isClear) == [false, false, false])
        #expect(board.macros[2].needs.map(\.id) == ["GATE-O8", "SG_1", "SG_2"])
    }
}
