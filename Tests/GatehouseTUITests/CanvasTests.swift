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

    /// The same text in ASCII and with one non-ASCII character after it lands in the same
    /// cells: all-ASCII text takes a path of its own, which must not differ from the general one.
    @Test(arguments: ["a\tb\u{0}c\r\nd\u{7F}e", "\r\r\nx", "\u{0}\u{0}", "plain text", ""])
    func asciiTextLandsAsTheGeneralPathPutsIt(text: String) {
        var ascii = Canvas(width: 12, height: 1)
        var general = Canvas(width: 12, height: 1)
        let asciiEnd = ascii.put(text, x: 1, y: 0, role: .dim, clip: Rect(x: 2, y: 0, width: 7, height: 1))
        let generalEnd = general.put(text + "é", x: 1, y: 0, role: .dim, clip: Rect(x: 2, y: 0, width: 7, height: 1))
        for column in 0..<12 where column < asciiEnd {
            #expect(ascii[column, 0] == general[column, 0], "column \(column)")
        }
        #expect(generalEnd == min(asciiEnd + 1, 9) || asciiEnd >= 9)
    }

    @Test func controlCharactersTakeACellAndCarriageReturnLineFeedOne() {
        var canvas = Canvas(width: 8, height: 1)
        #expect(canvas.put("a\tb\u{0}c\r\nd", x: 0, y: 0) == 7)
        #expect(canvas.lines == ["a b c d "])
    }
}
