import GatehouseCore
import Testing
@testable import GatehouseTUI

/// The cell canvas: clipping, wide characters, ASCII folding.
struct CanvasTests {
    @Test func putClipsAtTheRightEdgeAndReturnsTheNextColumn() {
        var canvas = Canvas(width: 6, height: 1)
        let next = canvas.put("abcdefgh", x: 2, y: 0)
        #expect(canvas.lines == ["  abcd"])
        #expect(next == 6)
    }

    @Test func outOfBoundsDrawingIsIgnored() {
        var canvas = Canvas(width: 3, height: 2)
        canvas.put("x", x: 0, y: 5)
        canvas.put("y", x: -1, y: 0)
        canvas.fill(Rect(x: -2, y: -2, width: 10, height: 10), character: ".", role: .dim)
        #expect(canvas.lines == ["...", "..."])
    }

    @Test func wideCharactersTakeTwoCells() {
        var canvas = Canvas(width: 5, height: 1)
        canvas.put("a漢b", x: 0, y: 0)
        #expect(canvas[1, 0].character == "漢")
        #expect(canvas[2, 0].isContinuation)
        #expect(canvas[3, 0].character == "b")
        #expect(canvas.lines == ["a漢b "])
    }

    @Test func asciiCanvasFoldsEveryGlyph() {
        var canvas = Canvas(width: 12, height: 1, asciiOnly: true)
        canvas.put("★☆ — → ✓", x: 0, y: 0)
        #expect(canvas.lines == ["*. - -> v   "])
    }

    @Test func controlCharactersAreShownAsSpaces() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.put("a\u{1B}b", x: 0, y: 0)
        #expect(canvas.lines == ["a b "])
    }
}
