import GatehouseCore
import GatehouseEngine
import Testing
@testable import GatehouseTUI

/// What each key does to the dashboard's state.
struct DashboardStateTests {
    private let programme = ProgrammeLoader.embedded()

    private func state(after keys: [Key]) -> (DashboardState, DashboardState.Outcome) {
        var state = DashboardState()
        var outcome = DashboardState.Outcome.continueRunning
        for key in keys { outcome = state.handle(key, programme: programme) }
        return (state, outcome)
    }

    @Test func qQuitsFromAnywhere() {
        #expect(state(after: [.character("q")]).1 == .quit)
        #expect(state(after: [.enter, .character("q")]).1 == .quit)
        #expect(state(after: [.tab, .enter, .character("q")]).1 == .quit)
        #expect(state(after: [.character("?"), .character("q")]).1 == .quit)
    }

    @Test func cursorMovesWithArrowsAndVimKeysAndStopsAtTheEnds() {
        #expect(state(after: [.down, .character("j")]).0.matrixCursor == 2)
        #expect(state(after: [.up]).0.matrixCursor == 0)
        #expect(state(after: Array(repeating: .down, count: 9)).0.matrixCursor == 4)
        #expect(state(after: [.end, .character("k")]).0.matrixCursor == 3)
    }

    @Test func enterOpensTheDetailAndEscGoesBack() {
        let (open, _) = state(after: [.down, .enter])
        #expect(open.detailOptionID == "OPT-2")
        let (back, _) = state(after: [.down, .enter, .escape])
        #expect(back.detailOptionID == nil)
        #expect(back.matrixCursor == 1)
    }

    @Test func nextAndPreviousOptionFromTheDetail() {
        #expect(state(after: [.enter, .character("n"), .character("n")]).0.detailOptionID == "OPT-3")
        #expect(state(after: [.enter, .character("p")]).0.detailOptionID == "OPT-1")
    }

    @Test func sCyclesTheSortAxisAndKeepsTheCursorOnTheSameOption() {
        // Given the cursor on OPT-5 (5 safety stars, last in document order)
        let (sorted, _) = state(after: [.end, .character("s")])
        // When sorted by safety, OPT-5 moves up but stays selected
        #expect(sorted.matrixOrder == .axis("safety"))
        let rows = sorted.matrixOrder.sorted(programme.options, in: programme)
        #expect(rows[sorted.matrixCursor].id == "OPT-5")
        // And the cycle goes safety, value, effort, back to document order.
        #expect(state(after: Array(repeating: .character("s"), count: 4)).0.matrixOrder == .document)
    }

    @Test func tabAndDigitsSwitchTabsAndCloseDetails() {
        #expect(state(after: [.tab]).0.tab == .gates)
        #expect(state(after: [.tab, .tab]).0.tab == .runs)
        #expect(state(after: [.tab, .tab, .tab]).0.tab == .approvals)
        #expect(state(after: [.tab, .tab, .tab, .tab, .tab]).0.tab == .matrix)
        #expect(state(after: [.backTab]).0.tab == .audit)
        #expect(state(after: [.character("2"), .character("1")]).0.tab == .matrix)
        #expect(state(after: [.character("3")]).0.tab == .runs)
        #expect(state(after: [.character("4")]).0.tab == .approvals)
        #expect(state(after: [.character("5")]).0.tab == .audit)
        #expect(state(after: [.enter, .tab, .tab, .tab, .tab, .tab]).0.detailOptionID == nil)
    }

    @Test func enterOnAGateOpensWhyAndEscClosesIt() {
        #expect(state(after: [.tab, .down, .enter]).0.gatesDetailOpen)
        #expect(!state(after: [.tab, .down, .enter, .escape]).0.gatesDetailOpen)
    }

    @Test func helpClosesOnAnyKeyWithoutActingOnIt() {
        let (state, outcome) = state(after: [.character("?"), .down])
        #expect(!state.helpOpen)
        #expect(state.matrixCursor == 0)
        #expect(outcome == .continueRunning)
    }

    @Test func scrollLimitStopsScrollingPastTheEnd() {
        var state = self.state(after: [.enter]).0
        let limit = DashboardView.scrollLimit(programme, state: state, width: 80, height: 24, glyphs: .unicode)
        #expect(limit > 0)
        state.detailScroll = 1000
        // The view clamps what it draws to the limit.
        let clamped = DashboardView.render(programme, state: state, width: 80, height: 24, glyphs: .unicode)
        state.detailScroll = limit
        #expect(clamped == DashboardView.render(programme, state: state, width: 80, height: 24, glyphs: .unicode))
    }
}
