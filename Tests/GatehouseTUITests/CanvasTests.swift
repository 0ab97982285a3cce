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

    @Test func aCombiningMarkStaysInTheCellOfTheLetterBeforeItInMixedText() {
        // Given ASCII letters around an e with a combining acute accent, and a glyph
        var canvas = Canvas(width: 8, height: 1)
        let next = canvas.put("ae\u{301}b ✓\tc", x: 0, y: 0)
        // Then the e and its accent share one cell; the ASCII around them takes a cell each
        #expect(canvas[1, 0].character == "e\u{301}")
        #expect(canvas.lines == ["ae\u{301}b ✓ c "])
        #expect(next == 7)
    }

    /// Mixed text takes the cells of its ASCII characters from a table; it must land in the
    /// cells a placement grapheme by grapheme gives.
    @Test(arguments: ["ab ✓ cd", "e\u{301}x", "x\r\né", "\r\u{301}a", "1\u{FE0F}\u{20E3}z", "a👩\u{200D}💻b",
                      "🇫🇷🇩🇪x", "漢a字", "a\u{600}1b", "\té\t", "z\u{0}\u{7F}ü"])
    func mixedTextLandsAsGraphemeByGraphemePlacementPutsIt(text: String) {
        var canvas = Canvas(width: 14, height: 1)
        let end = canvas.put(text, x: 1, y: 0, role: .dim, clip: Rect(x: 2, y: 0, width: 10, height: 1))
        // The reference: each grapheme in turn, a control character shown as a space
        var reference = Canvas(width: 14, height: 1)
        var column = 1
        for character in text {
            let width = character.isASCII ? 1 : DisplayWidth.of(character)
            if width == 0 { continue }
            if column + width > 12 { break }
            if column >= 2 {
                reference[column, 0] = Cell((character.asciiValue ?? 0x20) < 0x20 ? " " : String(character), role: .dim)
                if width == 2 { reference[column + 1, 0] = Cell("", role: .dim) }
            }
            column += width
        }
        #expect(canvas == reference)
        #expect(end == column)
    }

    @Test func controlCharactersTakeACellAndCarriageReturnLineFeedOne() {
        var canvas = Canvas(width: 8, height: 1)
        #expect(canvas.put("a\tb\u{0}c\r\nd", x: 0, y: 0) == 7)
        #expect(canvas.lines == ["a b c d "])
    }
}
