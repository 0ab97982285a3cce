import GatehouseCore
import GatehouseEngine
import Testing
@testable import GatehouseTUI

/// The dashboard's screens, drawn on a canvas at 80x24 and compared with golden text.
struct DashboardScreenTests {
    private let programme = ProgrammeLoader.embedded()

    private func render(_ state: DashboardState = DashboardState(), width: Int = 80, height: Int = 24, glyphs: GlyphSet = .unicode) -> Canvas {
        DashboardView.render(programme, state: state, width: width, height: height, glyphs: glyphs)
    }

    private func state(after keys: [Key]) -> DashboardState {
        var state = DashboardState()
        for key in keys { _ = state.handle(key, programme: programme) }
        return state
    }

    @Test func matrixScreenAt80x24() {
        assertSnapshot(render().text, named: "matrix-80x24")
    }

    @Test func matrixScreenInASCII() {
        let canvas = render(glyphs: .ascii)
        assertSnapshot(canvas.text, named: "matrix-80x24-ascii")
        // Every cell holds ASCII when the locale cannot show UTF-8.
        #expect(canvas.text.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func matrixSortedBySafety() {
        assertSnapshot(render(state(after: [.character("s")])).text, named: "matrix-sorted-safety")
    }

    @Test func optionDetailOfOPT1() {
        assertSnapshot(render(state(after: [.enter])).text, named: "detail-opt-1")
    }

    @Test func gatesScreenAt80x24() {
        assertSnapshot(render(state(after: [.tab])).text, named: "gates-80x24")
    }

    @Test func whyGateO8IsBlocked() {
        let gateO8 = GatesBoardItems(programme).items.firstIndex { $0.id == "GATE-O8" }!
        var state = state(after: [.tab])
        state.gatesCursor = gateO8
        _ = state.handle(.enter, programme: programme)
        assertSnapshot(render(state).text, named: "gates-why-gate-o8")
    }

    @Test func helpOverlay() {
        assertSnapshot(render(state(after: [.character("?")])).text, named: "help-overlay")
    }

    @Test func tooSmallTerminalAsksToEnlarge() {
        let canvas = render(width: 40, height: 10)
        #expect(canvas.text.contains("Terminal too small: 40x10."))
        #expect(canvas.text.contains("Enlarge to 60x16 or more."))
    }

    @Test func aTwentyBySixTerminalStillShowsItsSizeAndHowToQuit() {
        // The message wraps instead of being cut at 20 columns.
        let rows = render(width: 20, height: 6).text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rows.map { $0.split(separator: " ").joined(separator: " ") } == [
            "Terminal too small:", "20x6.", "Enlarge to 60x16 or", "more.", "q quits.", "",
        ])
        // And with too few lines for all of it, the way to quit stays.
        #expect(render(width: 10, height: 3).text.split(separator: "\n").last?.contains("q quits.") == true)
    }

    @Test func largerTerminalShowsTextAxesAndFullAnswers() {
        let canvas = render(width: 160, height: 40)
        #expect(canvas.text.contains("Reversibility"))
        #expect(canvas.text.contains("NO — later (O8), separate ruling"))
    }

    @Test func starsAreDrawnInTheirRoles() {
        // Given the matrix, when OPT-4's row is drawn (2 of 5 safety stars)
        let canvas = render()
        let row = canvas.lines.firstIndex { $0.contains("OPT-4") }!
        let stars = canvas.lines[row].firstRange(of: "★★☆☆☆")!
        let column = canvas.lines[row].distance(from: canvas.lines[row].startIndex, to: stars.lowerBound)
        // Then filled stars are `star`, empty ones `star_empty`.
        #expect(canvas[column, row].role == .star)
        #expect(canvas[column + 2, row].role == .starEmpty)
    }

    @Test func selectedRowIsMarked() {
        let canvas = render(state(after: [.down]))
        let row = canvas.lines.firstIndex { $0.contains("OPT-2") }!
        #expect(canvas.lines[row].hasPrefix(" ▶"))
        #expect(canvas[5, row].role == .selection)
    }

    @Test func everyScreenFitsItsCanvasWithoutWideOverflow() {
        // Drawing never writes past the right edge, at any width from the minimum up.
        for width in [60, 61, 79, 80, 100, 132] {
            for keys: [Key] in [[], [.enter], [.tab], [.tab, .enter], [.character("?")]] {
                let canvas = render(state(after: keys), width: width, height: 24)
                #expect(canvas.lines.allSatisfy { DisplayWidth.of($0) == width })
            }
        }
    }
}
